"""The snapshot jobs and the backfill command: what they write, what they leave alone, and that
running them again changes nothing."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from analytics.definitions import utc_today
from analytics.models import CourseDailyStats
from analytics.tasks import settle_recent_days, snapshot_today
from config.celery_app import app
from learning.models import Enrollment
from tests.analytics.activity import enroll, touch_lesson
from tests.analytics.raw_rows import moved as at_instant
from tests.factories import UserFactory, build_course

pytestmark = pytest.mark.django_db

TODAY = utc_today()


def noon(days_ago):
    return datetime.combine(TODAY - timedelta(days=days_ago), datetime.min.time(), UTC).replace(
        hour=12
    )


@pytest.fixture
def course(specialist):
    return build_course(owner=specialist, price=Decimal("0"))


def stored():
    return {
        (row.course_id, row.day): (row.new_enrollments, row.lesson_completions, row.active_learners)
        for row in CourseDailyStats.objects.all()
    }


def test_the_hourly_job_snapshots_today_and_a_rerun_changes_nothing(course):
    enrollment = enroll(UserFactory(), course)
    touch_lesson(enrollment, 0)
    snapshot_today.delay()
    assert stored() == {(course.pk, TODAY): (1, 1, 1)}
    first_run = CourseDailyStats.objects.get().computed_at

    snapshot_today.delay()
    assert stored() == {(course.pk, TODAY): (1, 1, 1)}
    assert CourseDailyStats.objects.get().computed_at > first_run


def test_a_day_whose_activity_is_gone_loses_its_row(course):
    enrollment = enroll(UserFactory(), course)
    snapshot_today.delay()
    assert stored() == {(course.pk, TODAY): (1, 0, 0)}
    Enrollment.objects.filter(pk=enrollment.pk).delete()  # the learner deleted their account
    snapshot_today.delay()
    assert stored() == {}


def test_the_nightly_job_settles_the_four_days_before_today(course):
    for days_ago in range(6):
        at_instant(enroll(UserFactory(), course), activated_at=noon(days_ago))
    settle_recent_days.delay()
    assert stored() == {(course.pk, TODAY - timedelta(days=n)): (1, 0, 0) for n in (1, 2, 3, 4)}


def test_both_jobs_are_scheduled():
    schedule = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    for task in (snapshot_today, settle_recent_days):
        assert task.name in schedule
        assert task.name in app.tasks


def test_the_backfill_reports_what_it_did_and_can_be_run_again(course, capsys):
    at_instant(enroll(UserFactory(), course), activated_at=noon(9))
    at_instant(touch_lesson(enroll(UserFactory(), course), 0), completed_at=noon(3))
    since = str(TODAY - timedelta(days=10))

    call_command("analytics_backfill", "--since", since)
    output = capsys.readouterr()
    assert f"Snapshotted 11 days ({since} to {TODAY}): 3 course-days with activity." in output.out
    assert "11/11" in output.err  # the progress bar, finished
    expected = {
        (course.pk, TODAY - timedelta(days=9)): (1, 0, 0),
        (course.pk, TODAY - timedelta(days=3)): (0, 1, 1),
        (course.pk, TODAY): (1, 0, 0),  # the second enrollment was activated now
    }
    assert stored() == expected

    call_command("analytics_backfill", "--since", since, verbosity=0)
    assert stored() == expected


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--since", "2026-13-01"], "'2026-13-01' is not a date: write it as YYYY-MM-DD."),
        (["--since", "2026-03-02", "--until", "2026-03-01"], "--since 2026-03-02 is after"),
        (["--since", "1990-01-01", "--until", "2026-03-01"], "Backfill at most 20 years"),
    ],
)
def test_the_backfill_refuses_bad_days_and_writes_nothing(course, arguments, message):
    enroll(UserFactory(), course)
    with pytest.raises(CommandError, match=message.replace("(", r"\(")):
        call_command("analytics_backfill", *arguments, verbosity=0)
    assert stored() == {}
