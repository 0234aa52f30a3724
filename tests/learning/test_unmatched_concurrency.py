"""Resolving an unmatched Zoom participant at the same moment as others, on a real database
server: one assignment wins, and a meeting's computation running alongside never deadlocks."""

import pytest
from django.db import connection
from rest_framework.test import APIClient

from coursepages.selectors import course_teacher
from learning.models import AttendanceChange, AttendanceRecord, UnmatchedParticipant
from learning.services.zoom_attendance import (
    unmatched_participant_resolve,
    zoom_attendance_compute,
)
from tests.concurrency_helpers import run_at_once
from tests.learning.zoom_webhooks_helpers import MINUTE, START, meeting_ended, participant
from tests.session_helpers import member_of

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs a database server: SQLite serialises every writer anyway",
    ),
]


@pytest.fixture
def guest(zoom_session, zoom_send):
    participant(zoom_send, "joined", START, uuid="p9", email="someone@home.example")
    participant(zoom_send, "left", START + 50 * MINUTE, uuid="p9")
    meeting_ended(zoom_send)
    return UnmatchedParticipant.objects.get()


def test_ten_assignments_at_once_leave_exactly_one(zoom_session, guest):
    learners = [member_of(zoom_session.cohort) for _ in range(10)]
    teacher = course_teacher(zoom_session.cohort.course)
    path = f"/api/v1/cohorts/{zoom_session.cohort.pk}/unmatched-participants/{guest.pk}/resolve/"

    def resolve(enrollment):
        def call():
            client = APIClient()
            client.force_authenticate(teacher)
            response = client.post(path, {"enrollment": enrollment.pk}, format="json")
            return response.status_code, response.json().get("code")

        return call

    answers = run_at_once([resolve(enrollment) for enrollment in learners])

    assert sorted(answers, key=str) == sorted(
        [(200, None)] + [(409, "unmatched_closed")] * 9, key=str
    )
    guest.refresh_from_db()
    assert guest.resolved_to in learners
    record = AttendanceRecord.objects.get()
    assert (record.enrollment, record.minutes_attended) == (guest.resolved_to, 50)
    assert AttendanceChange.objects.count() == 1


def test_a_resolution_and_the_meetings_computation_at_once_both_finish(
    zoom_session, guest, zoom_send
):
    learner = member_of(zoom_session.cohort)
    teacher = course_teacher(zoom_session.cohort.course)
    # They came back for the last 5 minutes: each computation rewrites the unmatched row.
    participant(zoom_send, "joined", START + 55 * MINUTE, uuid="p9", email="someone@home.example")

    def resolve():
        unmatched_participant_resolve(unmatched=guest, enrollment_id=learner.pk, by=teacher)
        return "resolved"

    def compute():
        zoom_attendance_compute(session=zoom_session)
        return "computed"

    answers = run_at_once([resolve, compute, compute, compute])

    assert sorted(answers) == ["computed", "computed", "computed", "resolved"]
    record = AttendanceRecord.objects.get()
    assert (record.enrollment, record.minutes_attended, record.status) == (learner, 55, "present")
