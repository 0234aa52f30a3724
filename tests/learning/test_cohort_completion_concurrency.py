"""A cohort's end processed twice at the same moment, and alongside a late correction, on a
real database server: each learner completes once and gets one certificate."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from rest_framework.test import APIClient

from certification.models import Certificate
from learning.models import Cohort, Enrollment, Notification
from learning.tasks import complete_ended_cohorts
from tests.completion_helpers import do_the_coursework, take_attendance, weekly_batch
from tests.session_helpers import freeze, member_of

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs a database server: SQLite serialises every writer anyway",
    ),
]


def run_at_once(calls):
    """Run each call in its own thread and connection, all released together; returns the
    errors raised."""
    barrier = threading.Barrier(len(calls))
    errors = []

    def run(call):
        try:
            barrier.wait()
            call()
        except Exception as error:  # noqa: BLE001 - reported by the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


@pytest.fixture
def batch(monkeypatch):
    """Batch 3 just after its two sessions: six learners who did the coursework, five present
    at both, the last absent from the second (her correction to excused comes late)."""
    cohort = weekly_batch(monkeypatch, sessions=2)
    first, last = cohort.sessions.order_by("starts_at")
    learners = [member_of(cohort) for _ in range(6)]
    freeze(monkeypatch, last.starts_at)
    client = APIClient()
    for enrollment in learners:
        do_the_coursework(enrollment)
    take_attendance(client, first, dict.fromkeys(learners, "present"))
    take_attendance(
        client, last, dict.fromkeys(learners[:-1], "present") | {learners[-1]: "absent"}
    )
    freeze(monkeypatch, last.ends_at + timedelta(minutes=1))
    return cohort, learners, last


def test_the_end_processed_twice_at_once_completes_each_learner_once(batch):
    cohort, learners, last = batch

    def correct_the_absence():
        take_attendance(APIClient(), last, {learners[-1]: "excused"})

    errors = run_at_once(
        [complete_ended_cohorts.delay, complete_ended_cohorts.delay, correct_the_absence]
    )

    assert errors == []
    assert Cohort.objects.get().status == Cohort.Status.COMPLETED
    assert Enrollment.objects.filter(cohort=cohort, status="completed").count() == 6
    assert Certificate.objects.filter(enrollment__cohort=cohort).count() == 6
    assert Notification.objects.filter(kind="certificate_issued").count() == 6
