"""Attendance from Zoom: participant events mapped to enrollments by identity, never by name.

A participant maps by `registrant_id` (a `ZoomRegistrant` of the cohort), then by their
e-mail equal (case-insensitive) to that of exactly one learner with access in the cohort,
else they go to the session's unmatched list for the specialist to resolve. A record the
specialist set (source manual) is never overwritten: their word wins over the meeting's.
"""

from collections import defaultdict
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from learning.attendance import attended_from
from learning.exceptions import InvalidInput, NotTeaching, UnmatchedParticipantClosed
from learning.models import (
    AttendanceRecord,
    CohortSession,
    Enrollment,
    UnmatchedParticipant,
    ZoomParticipantEvent,
    ZoomRegistrant,
)
from learning.selectors.cohorts import cohorts_managed_by
from learning.services.attendance import attendance_records_from_provider
from learning.services.meet_attendance import meet_attendance_compute

MATCH_MARGIN = timedelta(minutes=30)


def session_for_meeting(*, meeting_id: str, at: datetime) -> CohortSession | None:
    """The scheduled session held in this Zoom meeting whose window, widened by 30 minutes
    either side, holds `at`; the one starting nearest to it if several do."""
    candidates = CohortSession.objects.filter(
        zoom_meeting_id=meeting_id,
        status=CohortSession.Status.SCHEDULED,
        starts_at__lte=at + MATCH_MARGIN,
        starts_at__gte=at - MATCH_MARGIN - timedelta(minutes=600),
    )
    holding = [
        s for s in candidates if s.starts_at - MATCH_MARGIN <= at <= s.ends_at + MATCH_MARGIN
    ]
    return min(holding, key=lambda s: abs(s.starts_at - at), default=None)


def _session_events(session):
    """Every event of the meeting instances that have an event inside the widened window:
    a connection's join just before it still pairs with its leave inside it."""
    instances = ZoomParticipantEvent.objects.filter(
        meeting_id=session.zoom_meeting_id,
        occurred_at__gte=session.starts_at - MATCH_MARGIN,
        occurred_at__lte=session.ends_at + MATCH_MARGIN,
    ).values("meeting_uuid")
    return ZoomParticipantEvent.objects.filter(
        meeting_id=session.zoom_meeting_id, meeting_uuid__in=instances
    ).order_by("occurred_at", "pk")


def _connection(event):
    return (event.meeting_uuid, event.participant_uuid or event.participant_user_id)


def _unmatched_key(connection, rows):
    email = next((row.email.strip().lower() for row in rows if row.email.strip()), "")
    return f"email:{email}" if email else "connection:" + "/".join(connection)


@transaction.atomic
def zoom_attendance_compute(*, session: CohortSession, by=None) -> list[AttendanceRecord]:
    """Build the session's Zoom attendance records from the stored participant events and
    list whom Zoom saw but we cannot identify. Safe to run again: unchanged rows stay, and
    only changes are audited. After the cohort's last session, a change may complete the
    learners it concerns (the report of the last session often comes after its end)."""
    session = CohortSession.objects.select_for_update().get(pk=session.pk)
    if not session.zoom_meeting_id or session.status == CohortSession.Status.CANCELLED:
        return []
    connections = defaultdict(list)
    for event in _session_events(session):
        connections[_connection(event)].append(event)

    members = Enrollment.objects.filter(
        cohort_id=session.cohort_id, status__in=Enrollment.ACCESS_STATUSES
    ).select_related("learner")
    by_registrant = dict(
        ZoomRegistrant.objects.filter(
            cohort_id=session.cohort_id, enrollment__in=members
        ).values_list("registrant_id", "enrollment_id")
    )
    by_email = defaultdict(set)
    for enrollment in members:
        if enrollment.learner.email:
            by_email[enrollment.learner.email.strip().lower()].add(enrollment.pk)
    listed = {row.key: row for row in UnmatchedParticipant.objects.filter(session=session)}
    resolved = {key: row.resolved_to_id for key, row in listed.items() if row.resolved_to_id}

    events_of = defaultdict(list)  # enrollment id -> (connection, kind, at)
    unmatched = defaultdict(list)  # key -> [(connection, rows)]
    for connection, rows in connections.items():
        registrants = {by_registrant.get(row.registrant_id) for row in rows if row.registrant_id}
        registrants.discard(None)
        emails = {row.email.strip().lower() for row in rows if row.email.strip()}
        by_mail = set().union(*(by_email.get(email, set()) for email in emails))
        key = _unmatched_key(connection, rows)
        if len(registrants) == 1:
            enrollment_id = registrants.pop()
        elif not registrants and len(by_mail) == 1:
            enrollment_id = by_mail.pop()
        else:
            enrollment_id = resolved.get(key)
            unmatched[key].append((connection, rows))
        if enrollment_id is not None:
            events_of[enrollment_id].extend((connection, r.kind, r.occurred_at) for r in rows)

    window = {"start": session.starts_at, "end": session.ends_at}
    for key, group in unmatched.items():
        rows = [row for _connection_, rows in group for row in rows]
        attended = attended_from(
            [(c, r.kind, r.occurred_at) for c, rs in group for r in rs], **window
        )
        seen = {
            "name": next((r.name for r in rows if r.name), ""),
            "email": next((r.email for r in rows if r.email), ""),
            "participant_ids": sorted(list(c) for c, _rows in group),
            "minutes_attended": attended.minutes,
            "first_joined_at": attended.first_join,
        }
        row = listed.get(key)
        if row is None:  # the session's lock keeps a concurrent run from adding it too
            UnmatchedParticipant.objects.create(session=session, key=key, **seen)
        elif any(getattr(row, field) != value for field, value in seen.items()):
            for field, value in seen.items():
                setattr(row, field, value)
            row.save(update_fields=list(seen))

    attended = {
        enrollment_id: attended_from(events, **window)
        for enrollment_id, events in events_of.items()
    }
    return attendance_records_from_provider(
        session=session, attended=attended, source=AttendanceRecord.Source.ZOOM, by=by
    )


def _unmatched_locked_for(unmatched, by) -> UnmatchedParticipant:
    """The row, locked after its session: the order `zoom_attendance_compute` locks them in,
    so a resolution and a meeting's computation wait for each other instead of deadlocking."""
    session = CohortSession.objects.select_for_update().get(pk=unmatched.session_id)
    unmatched = UnmatchedParticipant.objects.select_for_update().get(pk=unmatched.pk)
    unmatched.session = session
    if not cohorts_managed_by(by).filter(pk=session.cohort_id).exists():
        raise NotTeaching("Only the specialist teaching this cohort resolves who Zoom saw in it.")
    return unmatched


@transaction.atomic
def unmatched_participant_resolve(
    *, unmatched: UnmatchedParticipant, enrollment_id: int, by
) -> AttendanceRecord | None:
    """Assign someone Zoom saw to a learner of the cohort, by the specialist teaching it, and
    record the learner's attendance from those connections too (with the specialist in the
    audit row). Sending the same assignment again changes nothing; a row already assigned
    to someone else, or dismissed, is refused: the learner's record is corrected instead."""
    unmatched = _unmatched_locked_for(unmatched, by)
    session = unmatched.session
    if unmatched.dismissed_at is not None:
        raise UnmatchedParticipantClosed("This participant was dismissed as not a learner.")
    if unmatched.resolved_at is not None and unmatched.resolved_to_id != enrollment_id:
        raise UnmatchedParticipantClosed(
            "This participant is already assigned to another learner: correct that learner's "
            "attendance instead."
        )
    if unmatched.resolved_at is None:
        if not Enrollment.objects.filter(
            pk=enrollment_id, cohort_id=session.cohort_id, status__in=Enrollment.ACCESS_STATUSES
        ).exists():
            raise InvalidInput(
                {"enrollment": ["This enrollment is not a learner of this session's cohort."]}
            )
        unmatched.resolved_to_id = enrollment_id
        unmatched.resolved_by = by
        unmatched.resolved_at = timezone.now()
        unmatched.save(update_fields=["resolved_to", "resolved_by", "resolved_at"])
        compute = meet_attendance_compute if session.google_meet_code else zoom_attendance_compute
        compute(session=session, by=by)
    return AttendanceRecord.objects.filter(session=session, enrollment_id=enrollment_id).first()


@transaction.atomic
def unmatched_participant_dismiss(*, unmatched: UnmatchedParticipant, by) -> UnmatchedParticipant:
    """Close a row as no learner of the cohort (a guest speaker, a colleague), by the
    specialist teaching it: kept as evidence, never counted. Dismissing twice changes
    nothing; a row assigned to a learner is refused."""
    unmatched = _unmatched_locked_for(unmatched, by)
    if unmatched.resolved_at is not None:
        raise UnmatchedParticipantClosed(
            "This participant is assigned to a learner: correct that learner's attendance instead."
        )
    if unmatched.dismissed_at is None:
        unmatched.dismissed_by = by
        unmatched.dismissed_at = timezone.now()
        unmatched.save(update_fields=["dismissed_by", "dismissed_at"])
    return unmatched


def meeting_instance_session(*, meeting_id: str, meeting_uuid: str, fallback: datetime | None):
    """The session a meeting instance belongs to, from its first join (else `fallback`)."""
    first = ZoomParticipantEvent.objects.filter(
        meeting_id=meeting_id, meeting_uuid=meeting_uuid, kind=ZoomParticipantEvent.Kind.JOINED
    ).aggregate(first=Min("occurred_at"))["first"]
    at = first or fallback
    return session_for_meeting(meeting_id=meeting_id, at=at) if at else None
