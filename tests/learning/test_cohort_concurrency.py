"""Enrolling into a cohort at the same moment, on a real database server: exactly N seats."""

import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient

from learning.models import Enrollment
from tests.factories import CohortFactory, UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs a database server: SQLite serialises every writer anyway",
    ),
]


def connections_to_spare():
    """How many connections the threads may hold at once: the server's limit (100 by
    default, 3 of them reserved) leaves no room for 100 threads plus the test's own."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_connections")
        limit = int(cursor.fetchone()[0])
        cursor.execute("SELECT count(*) FROM pg_stat_activity")
        in_use = cursor.fetchone()[0]
    return max(1, limit - in_use - 10)


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
