"""Snapshot runs of the same day at the same moment, on a real database server: none fails, no
deadlock, and the rows left are exactly those one run alone leaves."""

from decimal import Decimal

import pytest
from django.db import connection

from analytics.definitions import utc_today
from analytics.models import CourseDailyStats
from analytics.snapshots import snapshot_day
from tests.analytics.activity import enroll, touch_lesson
from tests.concurrency_helpers import run_at_once
from tests.factories import UserFactory, build_course

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs a database server: SQLite serialises every writer anyway",
    ),
]


def test_eight_runs_of_the_same_day_at_once_leave_one_runs_rows(specialist):
    courses = [
        build_course(owner=specialist, price=Decimal("0"), modules=1, lessons_per_module=1)
        for _ in range(12)
    ]
    for n, course in enumerate(courses):
        for _ in range(n % 3 + 1):
            touch_lesson(enroll(UserFactory(), course), 0)
    today = utc_today()

    results = run_at_once([lambda: snapshot_day(today)] * 8)

    assert [result.courses for result in results] == [12] * 8
    rows = {
        row.course_id: (row.new_enrollments, row.lesson_completions, row.active_learners)
        for row in CourseDailyStats.objects.filter(day=today)
    }
    assert rows == {
        course.pk: (n % 3 + 1, n % 3 + 1, n % 3 + 1) for n, course in enumerate(courses)
    }
