"""Enrolling into a cohort at the same moment, on a real database server: exactly N seats."""

import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Max
from django.utils import timezone
from rest_framework.test import APIClient

from learning.exceptions import LearningError
from learning.models import Enrollment, Notification, WaitlistEntry
from learning.services import (
    enrollment_create,
    enrollment_refund,
    waitlist_join,
    waitlist_offer_accept,
    waitlist_offers_expire,
)
from tests.concurrency_helpers import connections_to_spare, run_at_once
from tests.factories import CohortFactory, UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs a database server: SQLite serialises every writer anyway",
    ),
]


def test_a_hundred_learners_at_once_get_exactly_the_thirty_seats():
    cohort = CohortFactory(capacity=30)
    learners = UserFactory.create_batch(100)
    path = f"/api/v1/cohorts/{cohort.pk}/enroll/"
    barrier = threading.Barrier(len(learners))
    # All 100 are released together; at most this many hold a connection at a time
    # (far more than the 30 seats, so they still race for them).
    connections = threading.BoundedSemaphore(min(len(learners), connections_to_spare()))
    answers = []

    def enroll(learner):
        client = APIClient()
        client.force_authenticate(learner)
        barrier.wait()
        with connections:
            try:
                response = client.post(path)
                answers.append((response.status_code, response.json().get("code")))
            finally:
                connection.close()

    threads = [threading.Thread(target=enroll, args=(learner,)) for learner in learners]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(answers, key=str) == sorted(
        [(201, None)] * 30 + [(409, "cohort_full")] * 70, key=str
    )
    cohort.refresh_from_db()
    assert cohort.seats_taken == 30
    assert Enrollment.objects.filter(cohort=cohort, status="active").count() == 30


def test_a_hundred_learners_at_once_hold_exactly_the_thirty_paid_seats():
    cohort = CohortFactory(capacity=30, price=Decimal("299.00"))
    path = f"/api/v1/cohorts/{cohort.pk}/enroll/"

    def enroll(learner):
        def call():
            client = APIClient()
            client.force_authenticate(learner)
            response = client.post(path)
            return response.status_code, response.json().get("code")

        return call

    answers = run_at_once([enroll(learner) for learner in UserFactory.create_batch(100)])

    assert sorted(answers, key=str) == sorted(
        [(201, None)] * 30 + [(409, "cohort_full")] * 70, key=str
    )
    cohort.refresh_from_db()
    assert cohort.seats_taken == 30
    held = Enrollment.objects.filter(cohort=cohort, status="pending_payment")
    assert held.count() == 30
    assert not held.filter(hold_expires_at__isnull=True).exists()


def test_freed_seats_go_to_the_first_in_line_once_each_under_concurrency(monkeypatch):
    cohort = CohortFactory(capacity=2)
    holders = [
        enrollment_create(learner=learner, course=cohort.course, cohort=cohort)
        for learner in UserFactory.create_batch(2)
    ]
    line = UserFactory.create_batch(4)
    for learner in line:
        waitlist_join(cohort=cohort, learner=learner)

    # Two refunds at the same moment as sweeps that find nothing to expire yet.
    run_at_once(
        [lambda e=e: enrollment_refund(e) for e in holders]
        + [waitlist_offers_expire for _ in range(6)]
    )

    statuses = dict(WaitlistEntry.objects.values_list("learner", "status"))
    assert [statuses[learner.pk] for learner in line] == [
        "offered",
        "offered",
        "waiting",
        "waiting",
    ]
    assert Notification.objects.filter(kind="waitlist_offer").count() == 2
    cohort.refresh_from_db()
    assert cohort.seats_taken == 2

    # Both offers run out; eight sweeps at once pass them on to the next two, once each,
    # while the first of them tries to accept too late.
    later = WaitlistEntry.objects.filter(status="offered").aggregate(Max("offer_expires_at"))
    later = later["offer_expires_at__max"]
    monkeypatch.setattr(timezone, "now", lambda: later)
    answers = run_at_once(
        [waitlist_offers_expire for _ in range(8)]
        + [lambda: _refused(waitlist_offer_accept, cohort=cohort, learner=line[0])]
    )

    assert sum(answer for answer in answers if isinstance(answer, int)) == 2
    # Refused either way: expired when it came first, no longer in line when a sweep did.
    assert {"offer_expired", "not_on_waitlist"} & set(answers)
    assert "accepted" not in answers
    statuses = dict(WaitlistEntry.objects.values_list("learner", "status"))
    assert [statuses[learner.pk] for learner in line] == [
        "expired",
        "expired",
        "offered",
        "offered",
    ]
    assert Notification.objects.filter(kind="waitlist_offer").count() == 4
    cohort.refresh_from_db()
    assert cohort.seats_taken == 2


def _refused(service, **kwargs):
    try:
        service(**kwargs)
    except LearningError as error:
        return error.code
    return "accepted"
