"""Session reminders: 24 hours and 1 hour before each scheduled session, exactly once each."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.db import connection

from learning.models import Enrollment, Notification, SessionReminder
from learning.services.reminders import session_reminders_send
from learning.services.sessions import session_cancel, session_reschedule
from learning.tasks import send_session_reminders
from tests.factories import (
    CohortFactory,
    CohortSessionFactory,
    UserFactory,
    build_cohort_course,
)

pytestmark = pytest.mark.django_db

STARTS_AT = datetime(2031, 3, 6, 0, 0, tzinfo=UTC)  # 7 PM the day before in New York
SECOND = timedelta(seconds=1)


def enroll(cohort, learner=None, **fields):
    return Enrollment.objects.create(
        learner=learner or UserFactory(),
        course=cohort.course,
        cohort=cohort,
        **{"status": Enrollment.Status.ACTIVE, **fields},
    )


@pytest.fixture
def cohort():
    return CohortFactory(
        starts_on=STARTS_AT.date() - timedelta(days=3),
        ends_on=STARTS_AT.date() + timedelta(days=30),
        enrollment_deadline=STARTS_AT - timedelta(days=10),
        course=build_cohort_course(title="Python Masterclass"),
        name="Batch 3",
    )


@pytest.fixture
def session(cohort):
    return CohortSessionFactory(cohort=cohort, title="Decorators", starts_at=STARTS_AT)


@pytest.fixture
def member(cohort):
    return enroll(cohort).learner


def reminders():
    return sorted(
        SessionReminder.objects.values_list("session_id", "learner_id", "kind", "starts_at"),
        key=str,
    )


def sent_at(now):
    return session_reminders_send(now=now)


@pytest.mark.parametrize(
    ("before_start", "kind"),
    [
        (timedelta(hours=24) + SECOND, None),
        (timedelta(hours=24), "day_before"),
        (timedelta(hours=12) + SECOND, "day_before"),
        (timedelta(hours=12), None),
        (timedelta(hours=1) + SECOND, None),
        (timedelta(hours=1), "hour_before"),
        (SECOND, "hour_before"),
        (timedelta(0), None),
        (-SECOND, None),
    ],
)
def test_each_reminder_is_due_in_its_window_to_the_second(session, member, before_start, kind):
    sent = sent_at(STARTS_AT - before_start)

    expected = [] if kind is None else [(session.pk, member.pk, kind, STARTS_AT)]
    assert reminders() == expected
    assert sent == len(expected)
    assert Notification.objects.filter(kind="session_reminder").count() == len(expected)


def test_a_reminder_tells_the_time_in_the_cohorts_zone_and_utc_with_our_join_url(
    session, member, settings, django_capture_on_commit_callbacks
):
    settings.WAGTAILADMIN_BASE_URL = "https://courses.example.com"
    with django_capture_on_commit_callbacks(execute=True):
        sent_at(STARTS_AT - timedelta(hours=24))

    [notification] = Notification.objects.filter(user=member)
    join_url = (
        f"https://courses.example.com/api/v1/cohorts/{session.cohort_id}"
        f"/sessions/{session.pk}/join/"
    )
    assert notification.kind == "session_reminder"
    assert notification.title == "Coming up: Decorators"
    assert notification.body == (
        "“Decorators” of Python Masterclass – Batch 3 starts "
        "Wed 5 Mar 2031, 7:00 PM EST (Thu 6 Mar, 00:00 UTC).\n"
        f"Join here (the link opens 15 minutes before the start): {join_url}"
    )
    assert notification.link == join_url
    assert notification.enrollment.learner == member
    assert "meet.example.com" not in notification.body
    [email] = mail.outbox
    assert email.to == [member.email] and email.subject == "Coming up: Decorators"
    assert join_url in email.body


def test_the_hour_reminder_says_it_starts_soon(session, member):
    sent_at(STARTS_AT - timedelta(minutes=30))
    assert Notification.objects.get(user=member).title == "Starting soon: Decorators"


def test_only_learners_with_access_now_are_reminded(cohort, session):
    active = enroll(cohort).learner
    completed = enroll(cohort, status=Enrollment.Status.COMPLETED).learner
    enroll(cohort, suspended_at=STARTS_AT - timedelta(days=2))
    enroll(cohort, status=Enrollment.Status.REFUNDED)
    enroll(cohort, status=Enrollment.Status.PENDING_PAYMENT)
    enroll(CohortFactory())  # another cohort's learner

    sent_at(STARTS_AT - timedelta(minutes=30))

    assert {learner for _, learner, _, _ in reminders()} == {active.pk, completed.pk}


def test_a_cancelled_session_and_a_cancelled_cohorts_sessions_get_none(cohort, session, member):
    session_cancel(session=session)
    other = CohortFactory(status="cancelled")
    enroll(other)
    CohortSessionFactory(cohort=other, starts_at=STARTS_AT)

    assert sent_at(STARTS_AT - timedelta(minutes=30)) == 0
    assert reminders() == []


def test_running_twice_sends_each_reminder_once(session, member):
    assert sent_at(STARTS_AT - timedelta(hours=24)) == 1
    assert sent_at(STARTS_AT - timedelta(hours=24)) == 0
    assert sent_at(STARTS_AT - timedelta(hours=13)) == 0
    assert sent_at(STARTS_AT - timedelta(hours=1)) == 1
    assert sent_at(STARTS_AT - timedelta(minutes=1)) == 0

    assert [kind for _, _, kind, _ in reminders()] == ["day_before", "hour_before"]
    assert Notification.objects.filter(user=member).count() == 2


def test_a_session_scheduled_three_hours_ahead_gets_only_the_hour_reminder(session, member):
    for minutes in range(180, -1, -5):  # beat every 5 minutes from 3 hours before
        sent_at(STARTS_AT - timedelta(minutes=minutes))
    assert [kind for _, _, kind, _ in reminders()] == ["hour_before"]


def test_a_reschedule_after_the_day_reminder_gets_reminders_for_the_new_time(session, member):
    sent_at(STARTS_AT - timedelta(hours=20))
    new_start = STARTS_AT + timedelta(days=1)
    session_reschedule(session=session, starts_at=new_start)

    assert sent_at(STARTS_AT - timedelta(hours=19)) == 0  # nothing due for the new time yet
    assert sent_at(new_start - timedelta(hours=23)) == 1
    assert sent_at(new_start - timedelta(minutes=59)) == 1
    assert reminders() == sorted(
        [
            (session.pk, member.pk, "day_before", STARTS_AT),
            (session.pk, member.pk, "day_before", new_start),
            (session.pk, member.pk, "hour_before", new_start),
        ],
        key=str,
    )


def test_a_run_reads_a_fixed_number_of_queries_whatever_the_sessions(
    cohort, django_assert_max_num_queries
):
    def sessions_with_learners(count):
        for minutes in range(count):
            batch = CohortFactory(course=cohort.course)
            for _ in range(3):
                enroll(batch)
            CohortSessionFactory(cohort=batch, starts_at=STARTS_AT + timedelta(minutes=minutes))

    sessions_with_learners(2)
    with django_assert_max_num_queries(7):
        assert sent_at(STARTS_AT - timedelta(minutes=30)) == 6
    sessions_with_learners(20)
    with django_assert_max_num_queries(7):
        assert sent_at(STARTS_AT - timedelta(minutes=30)) == 60


def test_the_beat_task_sends_what_is_due_now_once(cohort, member):
    soon = CohortSessionFactory(cohort=cohort, starts_at=_now() + timedelta(minutes=30))
    tomorrow = CohortSessionFactory(cohort=cohort, starts_at=_now() + timedelta(hours=20))
    CohortSessionFactory(cohort=cohort, starts_at=_now() + timedelta(days=3))

    send_session_reminders.delay()
    send_session_reminders.delay()

    assert reminders() == sorted(
        [
            (soon.pk, member.pk, "hour_before", soon.starts_at),
            (tomorrow.pk, member.pk, "day_before", tomorrow.starts_at),
        ],
        key=str,
    )
    assert Notification.objects.filter(user=member, kind="session_reminder").count() == 2


def test_the_beat_schedule_runs_the_task_every_five_minutes(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["send-session-reminders"]
    assert entry == {"task": "learning.tasks.send_session_reminders", "schedule": 300}


def _now():
    from django.utils import timezone

    return timezone.now()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs a database server: SQLite serialises every writer anyway",
)
def test_two_workers_running_at_once_send_each_reminder_once():
    cohort = CohortFactory(
        starts_on=STARTS_AT.date() - timedelta(days=3),
        ends_on=STARTS_AT.date() + timedelta(days=30),
        enrollment_deadline=STARTS_AT - timedelta(days=10),
    )
    learners = [enroll(cohort).learner for _ in range(20)]
    for minutes in range(0, 25, 5):
        CohortSessionFactory(cohort=cohort, starts_at=STARTS_AT + timedelta(minutes=minutes))
    barrier = threading.Barrier(4)
    counts = []

    def run():
        barrier.wait()
        try:
            counts.append(sent_at(STARTS_AT - timedelta(minutes=30)))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sum(counts) == 100 and len(counts) == 4
    assert SessionReminder.objects.count() == 100
    assert Notification.objects.filter(kind="session_reminder").count() == 100
    assert Notification.objects.filter(user__in=learners).count() == 100
