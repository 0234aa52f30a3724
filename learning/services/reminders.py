"""Session reminders: each learner of a cohort hears about each scheduled session 24 hours
and 1 hour before it starts, exactly once each.

Windows, for a scheduled session starting at S (now = the run's instant):
- the 24-hour reminder is due while S − 24 h ≤ now < S − 12 h;
- the 1-hour reminder is due while S − 1 h ≤ now < S.
A run sends whatever is due and not yet sent. Less than 12 hours ahead, "coming up" adds
nothing to the scheduling notice and the 1-hour reminder to come: a session scheduled (or
moved to) 3 hours ahead gets only the 1-hour one, one moved to 20 hours ahead gets both.
Beat runs every 5 minutes, so a late or missed run still sends well inside each window.
Nothing is sent for a cancelled session, a session that has started, or a cancelled cohort.

Exactly once: each reminder is first claimed by inserting a SessionReminder row keyed on
(session, learner, kind, starts_at) with ON CONFLICT DO NOTHING, in the transaction that
creates the notifications; a run notifies only the rows it inserted itself. Two runs at once
(beat firing twice, two workers) meet on the unique index and the second inserts nothing.
A rescheduled session has a new starts_at, hence new keys: its new time gets reminders.
"""

import uuid
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from learning.links import session_join_url
from learning.models import Cohort, CohortSession, Enrollment, Notification, SessionReminder
from learning.services.notifications import notify_many
from learning.services.sessions import session_time_text

DAY_BEFORE = timedelta(hours=24)
DAY_BEFORE_UNTIL = timedelta(hours=12)
HOUR_BEFORE = timedelta(hours=1)


def _kind_due(*, starts_at, now):
    """Which reminder of a session starting at `starts_at` is due at `now` (see above)."""
    return (
        SessionReminder.Kind.HOUR_BEFORE
        if starts_at - HOUR_BEFORE <= now
        else SessionReminder.Kind.DAY_BEFORE
    )


@transaction.atomic
def session_reminders_send(*, now=None) -> int:
    """Send every reminder due now and not sent before; returns how many were sent.

    A bounded number of queries whatever the number of sessions and learners: the sessions,
    their learners, one INSERT of the claims, one read of the claims won, one INSERT of
    the notifications (their e-mails are queued on commit, one task each)."""
    now = now or timezone.now()
    sessions = {
        session.pk: session
        for session in CohortSession.objects.filter(
            Q(starts_at__gt=now, starts_at__lte=now + HOUR_BEFORE)
            | Q(starts_at__gt=now + DAY_BEFORE_UNTIL, starts_at__lte=now + DAY_BEFORE),
            status=CohortSession.Status.SCHEDULED,
        )
        .exclude(cohort__status=Cohort.Status.CANCELLED)
        .select_related("cohort__course")
    }
    if not sessions:
        return 0
    enrollments = {}  # cohort id → [(enrollment id, learner id)]
    for enrollment_id, cohort_id, learner_id in Enrollment.objects.filter(
        cohort__in={session.cohort_id for session in sessions.values()},
        status__in=Enrollment.ACCESS_STATUSES,
        suspended_at__isnull=True,
    ).values_list("pk", "cohort_id", "learner_id"):
        enrollments.setdefault(cohort_id, []).append((enrollment_id, learner_id))

    run = uuid.uuid4()
    SessionReminder.objects.bulk_create(
        [
            SessionReminder(
                session=session,
                learner_id=learner_id,
                kind=_kind_due(starts_at=session.starts_at, now=now),
                starts_at=session.starts_at,
                claimed_by=run,
            )
            for session in sessions.values()
            for _, learner_id in enrollments.get(session.cohort_id, ())
        ],
        ignore_conflicts=True,
    )
    claimed = SessionReminder.objects.filter(claimed_by=run).values_list(
        "session_id", "learner_id", "kind"
    )
    enrollment_of = {
        (cohort_id, learner_id): enrollment_id
        for cohort_id, rows in enrollments.items()
        for enrollment_id, learner_id in rows
    }
    notifications = [
        _reminder(sessions[session_id], kind, learner_id, enrollment_of)
        for session_id, learner_id, kind in claimed
    ]
    notify_many(notifications)
    return len(notifications)


def _reminder(session, kind, learner_id, enrollment_of) -> Notification:
    cohort = session.cohort
    when = session_time_text(cohort, session.starts_at)
    soon = "Starting soon" if kind == SessionReminder.Kind.HOUR_BEFORE else "Coming up"
    join_url = session_join_url(session)
    return Notification(
        user_id=learner_id,
        enrollment_id=enrollment_of[(cohort.pk, learner_id)],
        kind=Notification.Kind.SESSION_REMINDER,
        title=f"{soon}: {session.title}",
        body=(
            f"“{session.title}” of {cohort.course.title} – {cohort.name} starts {when}.\n"
            f"Join here (the link opens 15 minutes before the start): {join_url}"
        ),
        link=join_url,
    )
