"""Live sessions of a cohort: scheduling, rescheduling, cancelling, and joining through our URL.

Every change of a session's time or status raises its `revision` (the iCalendar SEQUENCE)
and tells the cohort's learners at once: subscribed calendars may take a day to notice.
"""

from datetime import UTC, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from learning.events import announce, session_cancelled, session_rescheduled, session_scheduled
from learning.exceptions import (
    CohortNotSchedulable,
    MeetingLinkMissing,
    NotEnrolled,
    SessionAlreadyStarted,
    SessionCancelled,
    SessionInPast,
    SessionNotOpen,
    SessionOutsideCohort,
    SessionOverlap,
)
from learning.links import session_join_url
from learning.meetings import meeting_provider as provider_named
from learning.models import Cohort, CohortSession, MeetingSyncState, Notification, SessionJoin
from learning.selectors.cohorts import cohorts_managed_by
from learning.selectors.sessions import member_enrollment, member_enrollments_of
from learning.services.meetings import (
    meeting_provider_require_offered,
    session_meeting_sync_request,
)
from learning.services.notifications import notify

# The join link opens this long before the start (inclusive) and closes at the end (exclusive).
JOIN_OPENS_BEFORE = timedelta(minutes=15)
LONGEST_SESSION = timedelta(minutes=600)
COHORT_STATUSES_WITHOUT_SESSIONS = (Cohort.Status.CANCELLED, Cohort.Status.COMPLETED)


def session_time_text(cohort: Cohort, instant) -> str:
    """An instant as learners read it: in the cohort's zone, then in UTC, e.g.
    "Tue 5 Mar 2024, 7:00 PM EST (Wed 6 Mar, 00:00 UTC)"; the UTC date only when it differs."""
    local = timezone.localtime(instant, ZoneInfo(cohort.timezone))
    utc = timezone.localtime(instant, UTC)
    hour = local.hour % 12 or 12
    text = f"{local:%a} {local.day} {local:%b %Y}, {hour}:{local:%M %p %Z}"
    utc_day = "" if utc.date() == local.date() else f"{utc:%a} {utc.day} {utc:%b}, "
    return f"{text} ({utc_day}{utc:%H:%M} UTC)"


def session_join_window(session: CohortSession):
    """When the join link works: from 15 minutes before the start (inclusive) to the end
    (exclusive)."""
    return session.starts_at - JOIN_OPENS_BEFORE, session.ends_at


def _require_time_fits(session: CohortSession) -> None:
    """The session starts in the future, on a day of its cohort, overlapping no other
    scheduled session of the cohort (touching is fine)."""
    cohort = session.cohort
    if session.starts_at <= timezone.now():
        raise SessionInPast("A session must start in the future.")
    local_day = timezone.localtime(session.starts_at, ZoneInfo(cohort.timezone)).date()
    if not cohort.starts_on <= local_day <= cohort.ends_on:
        raise SessionOutsideCohort(
            f"The cohort runs from {cohort.starts_on:%Y-%m-%d} to {cohort.ends_on:%Y-%m-%d} "
            f"({cohort.timezone}); this session starts on {local_day:%Y-%m-%d} there."
        )
    neighbours = (
        CohortSession.objects.filter(
            cohort=cohort,
            status=CohortSession.Status.SCHEDULED,
            starts_at__lt=session.ends_at,
            starts_at__gt=session.starts_at - LONGEST_SESSION,
        )
        .exclude(pk=session.pk)
        .order_by("starts_at")
    )
    for other in neighbours:
        if other.ends_at > session.starts_at:
            raise SessionOverlap(other)


def _require_cohort_takes_sessions(cohort: Cohort) -> None:
    if cohort.status in COHORT_STATUSES_WITHOUT_SESSIONS:
        raise CohortNotSchedulable(f"This cohort is {cohort.status}: it takes no new sessions.")


def _require_changeable(session: CohortSession) -> None:
    if session.status == CohortSession.Status.CANCELLED:
        raise SessionCancelled("This session is cancelled.")
    if session.starts_at <= timezone.now():
        raise SessionAlreadyStarted("This session has already started.")


def _locked_cohort(cohort: Cohort) -> Cohort:
    """The cohort row, locked so that two schedules of one cohort cannot overlap each other."""
    return Cohort.objects.select_for_update().get(pk=cohort.pk)


def _tell_learners(session: CohortSession, *, kind, title, body) -> None:
    link = session_join_url(session)
    for enrollment in member_enrollments_of(session.cohort).select_related("learner"):
        notify(
            user=enrollment.learner,
            kind=kind,
            title=title,
            body=body,
            enrollment=enrollment,
            link=link,
        )


@transaction.atomic
def session_schedule(
    *,
    cohort: Cohort,
    title: str,
    starts_at,
    duration_minutes: int,
    description: str = "",
    meeting_url: str = "",
    meeting_provider: str = "",
) -> CohortSession:
    """Schedule a live session of a cohort (on its cohort's meeting provider unless another
    is named), have its meeting created, and tell its learners when it is."""
    cohort = _locked_cohort(cohort)
    _require_cohort_takes_sessions(cohort)
    if meeting_provider:
        meeting_provider_require_offered(meeting_provider)
    session = CohortSession(
        cohort=cohort,
        title=title,
        description=description,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        meeting_url=meeting_url,
        meeting_provider=meeting_provider,
    )
    session.full_clean()
    _require_time_fits(session)
    session.save()
    session_meeting_sync_request(session)
    when = session_time_text(cohort, session.starts_at)
    _tell_learners(
        session,
        kind=Notification.Kind.SESSION_SCHEDULED,
        title=f"New session: {session.title}",
        body=f"{cohort.name}: “{session.title}” is scheduled for {when}, "
        f"for {session.duration_minutes} minutes.",
    )
    announce(session_scheduled, sender=CohortSession, session=session)
    return session


@transaction.atomic
def session_reschedule(
    *,
    session: CohortSession,
    starts_at=None,
    duration_minutes: int | None = None,
    title: str | None = None,
    description: str | None = None,
    meeting_url: str | None = None,
    meeting_provider: str | None = None,
) -> CohortSession:
    """Edit a session. A new time (start or duration) raises its revision and tells the
    learners the old and the new time; title, description and link edits do neither. A new
    time or another provider has the meeting synced again (empty: the cohort's provider)."""
    cohort = _locked_cohort(session.cohort)
    session = CohortSession.objects.select_for_update().get(pk=session.pk)
    session.cohort = cohort
    if session.status == CohortSession.Status.CANCELLED:
        raise SessionCancelled("This session is cancelled: it cannot be changed.")
    old_starts_at, old_duration = session.starts_at, session.duration_minutes
    new_starts_at = old_starts_at if starts_at is None else starts_at
    new_duration = old_duration if duration_minutes is None else duration_minutes
    time_changed = (new_starts_at, new_duration) != (old_starts_at, old_duration)
    provider_changed = meeting_provider is not None and meeting_provider != session.meeting_provider
    if time_changed:
        _require_cohort_takes_sessions(cohort)
        _require_changeable(session)
    if provider_changed and meeting_provider:
        meeting_provider_require_offered(meeting_provider)
    for field, value in (
        ("starts_at", new_starts_at),
        ("duration_minutes", new_duration),
        ("title", title),
        ("description", description),
        ("meeting_url", meeting_url),
        ("meeting_provider", meeting_provider),
    ):
        if value is not None:
            setattr(session, field, value)
    session.full_clean()
    if time_changed:
        _require_time_fits(session)
        session.revision += 1
    session.save()
    if time_changed or provider_changed:
        session_meeting_sync_request(session)
    if time_changed:
        before = session_time_text(cohort, old_starts_at)
        after = session_time_text(cohort, session.starts_at)
        _tell_learners(
            session,
            kind=Notification.Kind.SESSION_RESCHEDULED,
            title=f"Session moved: {session.title}",
            body=f"{cohort.name}: “{session.title}” has moved from {before} "
            f"to {after}, for {session.duration_minutes} minutes.",
        )
        announce(session_rescheduled, sender=CohortSession, session=session)
    return session


@transaction.atomic
def session_cancel(*, session: CohortSession) -> CohortSession:
    """Cancel a session that has not started yet, keep it (calendars show it cancelled)
    and tell the learners."""
    session = CohortSession.objects.select_for_update().select_related("cohort").get(pk=session.pk)
    _require_changeable(session)
    session.status = CohortSession.Status.CANCELLED
    session.revision += 1
    session.save(update_fields=["status", "revision", "updated_at"])
    session_meeting_sync_request(session)  # the provider's meeting or occurrence goes too
    when = session_time_text(session.cohort, session.starts_at)
    _tell_learners(
        session,
        kind=Notification.Kind.SESSION_CANCELLED,
        title=f"Session cancelled: {session.title}",
        body=f"{session.cohort.name}: “{session.title}” on {when} is cancelled.",
    )
    announce(session_cancelled, sender=CohortSession, session=session)
    return session


def _meeting_link(session: CohortSession, enrollment) -> str:
    """The provider's link for this person once it holds the session (their registrant link
    on Zoom), else the manual link: the fallback while the provider is pending or failed."""
    if session.meeting_sync_state == MeetingSyncState.SYNCED:
        url = provider_named(session.provider_name).join_url(session=session, enrollment=enrollment)
        if url:
            return url
    return session.meeting_url


@transaction.atomic
def session_join(*, session: CohortSession, user) -> str:
    """The meeting link for a learner of the cohort with access or the specialist teaching it,
    while the session is open; every join is recorded as attendance evidence."""
    enrollment = member_enrollment(cohort=session.cohort, user=user)
    if enrollment is None and not cohorts_managed_by(user).filter(pk=session.cohort_id).exists():
        raise NotEnrolled("Only the cohort's learners and the specialist teaching it can join.")
    if session.status == CohortSession.Status.CANCELLED:
        raise SessionCancelled("This session is cancelled.")
    now = timezone.now()
    opens_at, closes_at = session_join_window(session)
    if not opens_at <= now < closes_at:
        raise SessionNotOpen(opens_at=opens_at, closes_at=closes_at)
    url = _meeting_link(session, enrollment)
    if not url:
        raise MeetingLinkMissing("The specialist has not added the meeting link yet.")
    SessionJoin.objects.create(session=session, user=user, enrollment=enrollment, joined_at=now)
    return url
