"""Daily snapshots, rebuilt from the raw rows: one day at a time, idempotently.

A run for a day counts the raw rows stamped up to a few minutes before it started (later ones
may still be in flight) and leaves exactly the rows they give, whatever was there before: it
upserts (`INSERT … ON CONFLICT DO UPDATE`) the courses with activity and deletes the rows of
courses that no longer have any, in one transaction. It records how far it counted, and moves
the coverage reports read (`SnapshotCoverage`) to the first instant no run has counted yet.
Runs take turns; re-running a day changes nothing more than the rows stamped since."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from operator import itemgetter

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from analytics.coverage import coverage_changed
from analytics.definitions import (
    ACTIVITY_FIELDS,
    REVENUE_FIELDS,
    activity_by_course_day,
    day_start,
    learner_days_store,
    revenue_by_course_day,
    utc_today,
)
from analytics.models import (
    CourseDailyLearner,
    CourseDailyRevenue,
    CourseDailyStats,
    SnapshotCoverage,
    SnapshottedDay,
)

# Stripe retries an event for up to three days, and a refund it confirms late is booked then:
# the nightly run settles the last four days again.
SETTLE_DAYS = 4
NOTHING_COVERED = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class SnapshotResult:
    day: date
    courses: int  # courses with activity that day
    revenue_rows: int


@transaction.atomic
def snapshot_day(day: date) -> SnapshotResult:
    coverage = SnapshotCoverage.objects.select_for_update().get()  # runs take turns
    if coverage.through > NOTHING_COVERED:
        # Days are completed in order: a day past where the runs are complete waits for the
        # days before it, so no stored row lies past the coverage (reports rely on it).
        behind = coverage.through.astimezone(UTC).date()
        while behind < day:
            _store(behind)
            behind += timedelta(days=1)
    result = _store(day)
    coverage.through = _covered_through(coverage.through)
    coverage.save(update_fields=["through"])
    transaction.on_commit(coverage_changed)
    return result


def _store(day: date) -> SnapshotResult:
    """The day's rows from the raw rows stamped before the lag, and how far they count."""
    now = timezone.now()
    start, end = day_start(day), day_start(day + timedelta(days=1))
    lag = timedelta(seconds=settings.ANALYTICS_SNAPSHOT_LAG_SECONDS)  # writes still in flight
    through = min(end, max(start, now - lag))
    activity = [
        CourseDailyStats(computed_at=now, **row)
        for row in sorted(activity_by_course_day(start, through), key=itemgetter("course_id"))
    ]
    revenue = [
        CourseDailyRevenue(computed_at=now, **row)
        for row in sorted(
            revenue_by_course_day(start, through),
            key=itemgetter("course_id", "currency", "specialist_id"),
        )
    ]
    CourseDailyStats.objects.bulk_create(
        activity,
        update_conflicts=True,
        unique_fields=["course", "day"],
        update_fields=[*ACTIVITY_FIELDS, "computed_at"],
    )
    CourseDailyRevenue.objects.bulk_create(
        revenue,
        update_conflicts=True,
        unique_fields=["course", "day", "currency", "specialist"],
        update_fields=[*REVENUE_FIELDS, "computed_at"],
    )
    # Rows the upsert did not write are of courses with nothing left that day.
    CourseDailyStats.objects.filter(day=day).exclude(
        course__in=[row.course_id for row in activity]
    ).delete()
    kept = {(row.course_id, row.currency, row.specialist_id) for row in revenue}
    stored = CourseDailyRevenue.objects.filter(day=day).values_list(
        "pk", "course_id", "currency", "specialist_id"
    )
    stale = [pk for pk, *key in stored if tuple(key) not in kept]
    if stale:
        CourseDailyRevenue.objects.filter(pk__in=stale).delete()
    CourseDailyLearner.objects.filter(day=day).delete()
    learner_days_store(start, through)
    SnapshottedDay.objects.update_or_create(day=day, defaults={"through": through})
    return SnapshotResult(day, len(activity), len(revenue))


def _covered_through(current: datetime) -> datetime:
    """The first instant no run has counted, walking on from `current` (or, before any, from
    the first day run) over the days counted to their end."""
    runs = SnapshottedDay.objects.all()
    if current > NOTHING_COVERED:
        runs = runs.filter(day__gte=current.astimezone(UTC).date())
    through = dict(runs.values_list("day", "through"))
    if not through:
        return current
    day = current.astimezone(UTC).date() if current > NOTHING_COVERED else min(through)
    while through.get(day) == day_start(day + timedelta(days=1)):
        day += timedelta(days=1)
    return through.get(day, day_start(day))


def snapshot_days(days: Iterable[date], progress: Callable[[SnapshotResult], None] | None = None):
    """Snapshot each day in turn, each in its own transaction: an interrupted run keeps the days
    it finished, and running it again redoes them harmlessly."""
    results = []
    for day in days:
        results.append(snapshot_day(day))
        if progress is not None:
            progress(results[-1])
    return results


def days_between(first: date, last: date) -> list[date]:
    return [first + timedelta(days=offset) for offset in range((last - first).days + 1)]


def days_to_settle(today: date | None = None) -> list[date]:
    """The last days the nightly run recomputes, oldest first, yesterday last."""
    today = today or utc_today()
    return days_between(today - timedelta(days=SETTLE_DAYS), today - timedelta(days=1))
