"""Keeping each session's meeting in step with its provider, whichever provider it is.

A change of a session (scheduled, moved, cancelled, another provider) marks it `pending`
inside the change's transaction and queues `sync_session_meeting` on commit; the task
calls the provider outside any transaction and leaves the session `synced`, or `failed`
with the provider's message while the manual link stays the fallback. A change of a
learner's place (activated, refunded, transferred) gives or takes their access to the
cohort's upcoming meetings. Beat jobs retry what is pending or failed, and pull attendance
reports of sessions that ended without one.
"""

import logging
from collections.abc import Iterable
from datetime import timedelta

from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from learning.exceptions import InvalidInput
from learning.meetings import MeetingProviderError, meeting_provider, providers_offered
from learning.models import CohortSession, Enrollment, MeetingProviderName, MeetingSyncState

logger = logging.getLogger(__name__)

# One sync per cohort at a time: a provider may hold one meeting for the whole cohort.
SYNC_LOCK_SECONDS = 5 * 60
LONGEST_SESSION = timedelta(minutes=600)
ATTENDANCE_PULL_DELAY = timedelta(minutes=15)
ATTENDANCE_PULL_GIVE_UP = timedelta(days=2)


def meeting_provider_require_offered(name: str) -> None:
    """Refuse a provider that is not offered (unknown, or its credentials are not set)."""
    offered = [provider.name for provider in providers_offered()]
    if name not in offered:
        raise InvalidInput(
            {
                "meeting_provider": [
                    f"“{name}” is not offered here; choose one of: {', '.join(offered)}."
                ]
            }
        )


def _provider_filter(name: str) -> Q:
    return Q(meeting_provider=name) | Q(meeting_provider="", cohort__meeting_provider=name)


def _providers_left(session: CohortSession) -> list[str]:
    """Providers the session has moved away from that still hold its meeting: syncing the
    session with them releases it (Google deletes the Calendar event its learners are
    guests of, Zoom the occurrence)."""
    held = {
        MeetingProviderName.GOOGLE_MEET: session.google_event_id,
        MeetingProviderName.ZOOM: session.zoom_occurrence_id,
    }
    return [name for name, held_id in held.items() if held_id and session.provider_name != name]


def session_meeting_sync_request(session: CohortSession) -> None:
    """Inside the change's transaction: a manual link needs nothing (unless a provider it
    left still holds a meeting to release); any other provider is `pending` until the task
    queued on commit has brought it in step."""
    if session.provider_name == MeetingProviderName.MANUAL and not _providers_left(session):
        state = MeetingSyncState.NOT_NEEDED
    else:
        state = MeetingSyncState.PENDING
        transaction.on_commit(lambda: _queue_session_sync(session.pk), robust=True)
    CohortSession.objects.filter(pk=session.pk).update(
        meeting_sync_state=state, meeting_sync_error=""
    )
    session.meeting_sync_state, session.meeting_sync_error = state, ""


def cohort_sessions_meeting_sync_request(cohort) -> None:
    """The cohort's provider changed: its upcoming sessions that follow it are synced anew."""
    sessions = CohortSession.objects.filter(
        cohort=cohort,
        meeting_provider="",
        status=CohortSession.Status.SCHEDULED,
        starts_at__gt=timezone.now(),
    ).select_related("cohort")
    for session in sessions:
        session_meeting_sync_request(session)


def _queue_session_sync(session_id):
    from learning.tasks import sync_session_meeting  # tasks import the services

    sync_session_meeting.delay(session_id)


def _sync_lock(cohort_id) -> str | None:
    key = f"meeting-sync:cohort:{cohort_id}"
    return key if cache.add(key, 1, SYNC_LOCK_SECONDS) else None


def session_meeting_sync(*, session_id: int) -> str:
    """Bring one session's meeting and its cohort's members in step with its provider; the
    state it ends in. Safe to run twice; a session changed meanwhile stays `pending` for
    the run its change queued."""
    session = CohortSession.objects.select_related("cohort__course").filter(pk=session_id).first()
    if session is None or session.meeting_sync_state not in (
        MeetingSyncState.PENDING,
        MeetingSyncState.FAILED,
    ):
        return session.meeting_sync_state if session else ""
    lock = _sync_lock(session.cohort_id)
    if lock is None:
        return MeetingSyncState.PENDING  # the beat retries once the other run is done
    try:
        provider = meeting_provider(session.provider_name)
        try:
            if not provider.is_configured():
                raise MeetingProviderError(
                    f"{provider.label} is not configured on this platform any more; "
                    "choose another provider for this session."
                )
            for name in _providers_left(session):
                meeting_provider(name).session_sync(session)
            provider.session_sync(session)
            if session.status == CohortSession.Status.SCHEDULED:
                members = Enrollment.objects.filter(cohort_id=session.cohort_id).select_related(
                    "learner"
                )
                for enrollment in members.order_by("pk"):
                    provider.member_sync(session=session, enrollment=enrollment)
        except MeetingProviderError as error:
            state, message = MeetingSyncState.FAILED, str(error)
        else:
            state, message = MeetingSyncState.SYNCED, ""
            if provider.name == MeetingProviderName.MANUAL:
                state = MeetingSyncState.NOT_NEEDED  # what it left is released
    finally:
        cache.delete(lock)
    unchanged = CohortSession.objects.filter(
        pk=session.pk,
        starts_at=session.starts_at,
        duration_minutes=session.duration_minutes,
        status=session.status,
        meeting_provider=session.meeting_provider,
        cohort__meeting_provider=session.cohort.meeting_provider,
    )
    if not unchanged.update(meeting_sync_state=state, meeting_sync_error=message):
        return MeetingSyncState.PENDING
    return state


def enrollment_meetings_sync_request(*, enrollment: Enrollment, cohort_ids: Iterable[int]) -> None:
    """Inside the change's transaction: on commit, give or take the learner's access to the
    upcoming meetings of these cohorts (the one they are in, the one they left)."""
    cohort_ids = sorted({pk for pk in cohort_ids if pk})
    if cohort_ids:
        transaction.on_commit(
            lambda: _queue_enrollment_sync(enrollment.pk, cohort_ids), robust=True
        )


def _queue_enrollment_sync(enrollment_id, cohort_ids):
    from learning.tasks import sync_enrollment_meetings

    sync_enrollment_meetings.delay(enrollment_id, cohort_ids)


def _upcoming_synced_sessions(cohort_ids):
    now = timezone.now()
    sessions = CohortSession.objects.filter(
        cohort_id__in=cohort_ids,
        status=CohortSession.Status.SCHEDULED,
        meeting_sync_state=MeetingSyncState.SYNCED,
        starts_at__gt=now - LONGEST_SESSION,
    ).select_related("cohort")
    return [session for session in sessions.order_by("starts_at", "pk") if session.ends_at > now]


def enrollment_meetings_sync(*, enrollment_id: int, cohort_ids: list[int]) -> int:
    """Give or take one learner's access to the cohorts' upcoming synced meetings; a
    provider's refusal marks that session failed, so the beat's full sync retries it.
    The number of sessions that failed."""
    enrollment = Enrollment.objects.select_related("learner").filter(pk=enrollment_id).first()
    if enrollment is None:
        return 0
    failed = 0
    for session in _upcoming_synced_sessions(cohort_ids):
        try:
            meeting_provider(session.provider_name).member_sync(
                session=session, enrollment=enrollment
            )
        except MeetingProviderError as error:
            failed += 1
            CohortSession.objects.filter(pk=session.pk).update(
                meeting_sync_state=MeetingSyncState.FAILED, meeting_sync_error=str(error)
            )
    return failed


def meeting_syncs_retry() -> int:
    """Beat: queue a sync of every session not yet over whose meeting is pending or failed."""
    sessions = CohortSession.objects.filter(
        meeting_sync_state__in=(MeetingSyncState.PENDING, MeetingSyncState.FAILED),
        starts_at__gt=timezone.now() - LONGEST_SESSION,
    ).values_list("pk", flat=True)
    queued = 0
    for session_id in sessions.order_by("starts_at")[:500]:
        _queue_session_sync(session_id)
        queued += 1
    return queued


def session_attendance_pull(*, session_id: int) -> bool:
    """Read the provider's participant report of a session into attendance, outside any
    transaction; False when the provider could not be reached (the beat tries again)."""
    session = CohortSession.objects.select_related("cohort").filter(pk=session_id).first()
    if session is None:
        return False
    provider = meeting_provider(session.provider_name)
    if not provider.is_configured():
        return False
    try:
        provider.attendance_pull(session)
    except MeetingProviderError as error:
        logger.warning("Attendance of session %s not pulled: %s", session.pk, error)
        return False
    CohortSession.objects.filter(pk=session.pk).update(attendance_pulled_at=timezone.now())
    return True


def _queue_attendance_pull(session_id, *, countdown=0):
    from learning.tasks import pull_session_attendance

    pull_session_attendance.apply_async((session_id,), countdown=countdown)


def session_attendance_pull_request(session: CohortSession) -> None:
    """Once the current transaction commits, queue the attendance pull of a session that
    has just ended, 15 minutes on: the provider's report takes a while to fill."""
    delay = int(ATTENDANCE_PULL_DELAY.total_seconds())
    transaction.on_commit(lambda: _queue_attendance_pull(session.pk, countdown=delay), robust=True)


def meeting_attendance_pull_due() -> int:
    """Beat: queue the report pull of provider-held sessions that ended over 15 minutes ago
    (and less than two days ago) and were never pulled."""
    now = timezone.now()
    candidates = (
        CohortSession.objects.filter(
            status=CohortSession.Status.SCHEDULED,
            meeting_sync_state=MeetingSyncState.SYNCED,
            attendance_pulled_at__isnull=True,
            starts_at__lt=now - ATTENDANCE_PULL_DELAY,
            starts_at__gt=now - ATTENDANCE_PULL_GIVE_UP - LONGEST_SESSION,
        )
        .exclude(_provider_filter(MeetingProviderName.MANUAL))
        .order_by("starts_at")
    )
    queued = 0
    for session in candidates[:500]:
        if session.ends_at + ATTENDANCE_PULL_DELAY <= now:
            _queue_attendance_pull(session.pk)
            queued += 1
    return queued
