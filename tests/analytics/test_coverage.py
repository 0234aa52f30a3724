"""Where the snapshots stop: a run counts what was stamped before its lag and records how far
it counted, completing days in order; reports read the stored rows and the raw rows from where
the runs stop, so each action is counted once however the runs fell."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from analytics.definitions import utc_today
from analytics.models import CourseDailyStats, SnapshotCoverage, SnapshottedDay
from analytics.snapshots import snapshot_day
from tests.analytics.activity import enroll, touch_lesson
from tests.analytics.raw_rows import moved
from tests.factories import UserFactory, build_course

pytestmark = pytest.mark.django_db

TODAY = utc_today()


@pytest.fixture
def course(specialist):
    return build_course(owner=specialist, price=Decimal("0"))


def completion_at(course, instant):
    """A learner who enrolled and completed the first lesson at `instant`."""
    enrollment = moved(enroll(UserFactory(), course), activated_at=instant)
    return moved(touch_lesson(enrollment, 0), completed_at=instant)


def totals(api_client, specialist, course, first):
    api_client.force_authenticate(specialist)
    response = api_client.get(
        f"/api/v1/courses/{course.pk}/analytics/?from={first}&to={TODAY}&granularity=day"
    )
    assert response.status_code == 200
    body = response.json()
    return (
        body["totals"]["lesson_completions"]["value"],
        body["totals"]["active_learners"]["value"],
        sum(bucket["lesson_completions"] for bucket in body["series"]),
    )


def covered():
    return SnapshotCoverage.objects.get().through


def stored_completions():
    return sum(CourseDailyStats.objects.values_list("lesson_completions", flat=True))


def test_a_run_leaves_the_last_minutes_to_the_raw_rows(api_client, specialist, course, settings):
    settings.ANALYTICS_SNAPSHOT_LAG_SECONDS = 5 * 60
    now = timezone.now()
    completion_at(course, now - timedelta(minutes=10))
    completion_at(course, now - timedelta(minutes=1))

    for day in sorted({(now - timedelta(minutes=10)).date(), TODAY}):
        snapshot_day(day)

    assert now - timedelta(minutes=10) < covered() <= timezone.now() - timedelta(minutes=5)
    assert stored_completions() == 1  # the other is still in flight as far as the run knows
    assert totals(api_client, specialist, course, TODAY - timedelta(days=1)) == (2, 2, 2)


def test_a_run_past_where_the_runs_are_complete_completes_the_days_before_it(
    api_client, specialist, course
):
    noon = datetime.combine(TODAY, datetime.min.time(), UTC).replace(hour=12)
    completion_at(course, noon - timedelta(days=2))
    completion_at(course, noon - timedelta(days=1))
    completion_at(course, timezone.now())
    first = TODAY - timedelta(days=2)

    snapshot_day(first)
    assert covered() == datetime.combine(TODAY - timedelta(days=1), datetime.min.time(), UTC)
    assert stored_completions() == 1
    assert totals(api_client, specialist, course, first) == (3, 3, 3)  # two from the raw rows

    snapshot_day(TODAY)  # yesterday first, so no stored row lies past the coverage
    assert list(SnapshottedDay.objects.order_by("day").values_list("day", flat=True)) == [
        first,
        TODAY - timedelta(days=1),
        TODAY,
    ]
    assert covered() == SnapshottedDay.objects.get(day=TODAY).through
    assert stored_completions() == 3
    assert totals(api_client, specialist, course, first) == (3, 3, 3)


def test_a_day_run_again_behind_the_coverage_leaves_it(api_client, specialist, course):
    completion_at(course, timezone.now())
    snapshot_day(TODAY)
    through = covered()

    snapshot_day(TODAY - timedelta(days=3))

    assert covered() == through
    assert totals(api_client, specialist, course, TODAY - timedelta(days=3)) == (1, 1, 1)


def test_the_run_counts_up_to_its_lag_and_the_raw_rows_from_there_each_once(
    api_client, specialist, course, settings, monkeypatch
):
    settings.ANALYTICS_SNAPSHOT_LAG_SECONDS = 60
    through = timezone.now() - timedelta(minutes=5)
    completion_at(course, through - timedelta(microseconds=1))  # the run's last instant
    completion_at(course, through)  # the first it leaves to the raw rows

    with monkeypatch.context() as patched:
        patched.setattr(timezone, "now", lambda: through + timedelta(seconds=60))
        snapshot_day(through.date())

    assert covered() == through
    assert stored_completions() == 1
    assert totals(api_client, specialist, course, TODAY - timedelta(days=1)) == (2, 2, 2)


def test_before_any_run_every_figure_is_read_from_the_raw_rows(api_client, specialist, course):
    noon = datetime.combine(TODAY, datetime.min.time(), UTC).replace(hour=12)
    completion_at(course, noon - timedelta(days=30))
    completion_at(course, timezone.now())

    assert covered() == datetime(1970, 1, 1, tzinfo=UTC)
    assert totals(api_client, specialist, course, TODAY - timedelta(days=30)) == (2, 2, 2)
