"""Live sessions, attendance and archiving reach integrators too, from the API that makes
the change; payloads carry our join URL and no specialist's note."""

import json
from datetime import UTC, date, datetime

import pytest

from coursepages.services import course_archive
from integrations.models import Event
from tests.factories import CohortFactory, CohortSessionFactory, build_course
from tests.session_helpers import freeze, member_of

pytestmark = pytest.mark.django_db

NOW = datetime(2024, 3, 20, 12, tzinfo=UTC)


def payloads(event_type):
    return [json.loads(event.body) for event in Event.objects.filter(type=event_type)]


@pytest.fixture
def batch(monkeypatch, platform_endpoint):
    freeze(monkeypatch, NOW)
    return CohortFactory(
        starts_on=date(2024, 3, 1),
        ends_on=date(2024, 4, 5),
        enrollment_deadline=datetime(2024, 2, 25, tzinfo=UTC),
    )


def test_a_session_scheduled_moved_and_cancelled_is_three_events(api_client, batch):
    api_client.force_authenticate(batch.course.owner)
    sessions = f"/api/v1/cohorts/{batch.pk}/sessions/"

    created = api_client.post(
        sessions,
        {"title": "Decorators", "starts_at": "2024-03-25T18:00:00Z", "duration_minutes": 60},
    )
    session_url = f"{sessions}{created.json()['id']}/"
    renamed = api_client.patch(session_url, {"title": "Decorators, again"})
    moved = api_client.patch(session_url, {"starts_at": "2024-03-26T18:00:00Z"})
    cancelled = api_client.post(f"{session_url}cancel/")

    assert [r.status_code for r in (created, renamed, moved, cancelled)] == [201, 200, 200, 200]
    (scheduled,) = payloads("cohort.session.scheduled")
    (rescheduled,) = payloads("cohort.session.rescheduled")  # the rename is not a move
    (gone,) = payloads("cohort.session.cancelled")
    assert scheduled["data"]["starts_at"] == "2024-03-25T18:00:00Z"
    assert scheduled["data"]["join_url"].endswith(f"{session_url}join/")
    assert "meeting_url" not in scheduled["data"]
    assert rescheduled["data"]["starts_at"] == "2024-03-26T18:00:00Z"
    assert rescheduled["data"]["revision"] == 1
    assert gone["data"]["status"] == "cancelled" and gone["data"]["revision"] == 2


def test_recorded_attendance_is_an_event_per_learner_without_the_note(api_client, batch):
    held = CohortSessionFactory(cohort=batch, starts_at=datetime(2024, 3, 5, 19, tzinfo=UTC))
    ann, ben = member_of(batch), member_of(batch)
    api_client.force_authenticate(batch.course.owner)

    response = api_client.post(
        f"/api/v1/cohorts/{batch.pk}/attendance/",
        {
            "session": held.pk,
            "records": [
                {"enrollment": ann.pk, "status": "present", "minutes": 55},
                {"enrollment": ben.pk, "status": "excused", "note": "Doctor's appointment"},
            ],
        },
        format="json",
    )

    assert response.status_code == 200
    events = {e["data"]["enrollment"]: e["data"] for e in payloads("attendance.recorded")}
    assert events[ann.pk]["status"] == "present" and events[ann.pk]["minutes_attended"] == 55
    assert events[ben.pk]["learner"] == {"id": ben.learner_id}
    assert "Doctor" not in json.dumps(events)


def test_archiving_a_course_is_an_event(platform_endpoint, specialist):
    course = build_course(owner=specialist)

    course_archive(course=course, user=specialist)

    (archived,) = payloads("course.archived")
    assert archived["data"]["id"] == course.pk and archived["data"]["archived_at"]
