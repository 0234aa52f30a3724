"""Daily snapshots, rebuilt from the raw rows: one day at a time, idempotently.

A run for a day leaves exactly the rows that day's raw data gives, whatever was there before:
it upserts (`INSERT … ON CONFLICT DO UPDATE`) the courses with activity and deletes the rows of
courses that no longer have any, in one transaction. Re-running a day, or running two at once,
changes nothing more."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from operator import itemgetter

from django.db import transaction
from django.utils import timezone

from analytics.definitions import (
    ACTIVITY_FIELDS,
    REVENUE_FIELDS,
    activity_by_course_day,
    learner_days_by_course_day,
    revenue_by_course_day,
    utc_today,
)
from analytics.models import CourseDailyLearner, CourseDailyRevenue, CourseDailyStats

# Stripe retries an event for up to three days, and a refund it confirms late is booked then:
# the nightly run settles the last four days again.
SETTLE_DAYS = 4


@dataclass(frozen=True)
class SnapshotResult:
    day: date
    courses: int  # courses with activity that day
    revenue_rows: int


@transaction.atomic
def snapshot_day(day: date) -> SnapshotResult:
    now = timezone.now()
    # In a fixed order, so two runs of the same day lock the rows in the same order.
    activity = [
        CourseDailyStats(computed_at=now, **row)
        for row in sorted(activity_by_course_day(day, day), key=itemgetter("course_id"))
    ]
    revenue = [
        CourseDailyRevenue(computed_at=now, **row)
        for row in sorted(
            revenue_by_course_day(day, day),
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
    _learner_days_replace(day)
    return SnapshotResult(day, len(activity), len(revenue))


def _learner_days_replace(day: date):
    """The day's learner rows as the raw rows give them. A run at the same time as this one
    waits on the upsert of each row this one inserted, then writes the same values."""
    CourseDailyLearner.objects.filter(day=day).delete()
    CourseDailyLearner.objects.bulk_create(
        (
            CourseDailyLearner(**row)
            for row in sorted(
                learner_days_by_course_day(day, day), key=itemgetter("course_id", "learner_id")
            )
        ),
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["course", "day", "learner"],
        update_fields=["quiz_attempted", "quiz_passed"],
    )


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
