"""Attendance from Google Meet: connections mapped to enrollments by the e-mail of the Google
account the person signed in with, never by their display name.

A participant maps when the e-mail of their signed-in account equals (case-insensitive) that
of exactly one learner with access in the cohort; anyone else (another account, anonymous,
phone) goes to the session's unmatched list for the specialist to resolve. A record the
specialist set (source manual) is never overwritten.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction

from learning.attendance import JOINED, LEFT, attended_from
from learning.models import (
    AttendanceRecord,
    CohortSession,
    Enrollment,
    MeetParticipantSession,
    UnmatchedParticipant,
)
from learning.services.attendance import attendance_records_from_provider


@dataclass(frozen=True)
class MeetConnection:
    """One participant session as the Meet REST API listed it (resource names are Google's)."""

    conference_record: str
    participant: str
    name: str
    kind: str  # a MeetParticipantSession.Kind
    user: str
    email: str
    display_name: str
    started_at: datetime
    ended_at: datetime | None


@transaction.atomic
def meet_attendance_record(
    *, session: CohortSession, connections: list[MeetConnection]
) -> list[AttendanceRecord]:
    """Keep what Meet reported for a session (a connection read again is updated, not added)
    and rebuild the session's Meet attendance from it."""
    for connection in connections:
        MeetParticipantSession.objects.update_or_create(
            name=connection.name,
            defaults={
                "session": session,
                "conference_record": connection.conference_record,
                "participant": connection.participant,
                "kind": connection.kind,
                "user": connection.user,
                "email": connection.email,
                "display_name": connection.display_name,
                "started_at": connection.started_at,
                "ended_at": connection.ended_at,
            },
        )
    return meet_attendance_compute(session=session)


def _unmatched_key(rows):
    email = next((row.email.strip().lower() for row in rows if row.email.strip()), "")
    if email:
        return f"email:{email}"
    user = next((row.user for row in rows if row.user), "")
    return f"google:{user}" if user else f"connection:{rows[0].participant}"


def _events(rows):
    for row in rows:
        yield (row.name, JOINED, row.started_at)
        if row.ended_at is not None:
            yield (row.name, LEFT, row.ended_at)


@transaction.atomic
def meet_attendance_compute(*, session: CohortSession, by=None) -> list[AttendanceRecord]:
    """Build the session's Meet attendance records from the stored connections and list whom
    Meet saw but we cannot identify. Safe to run again: unchanged rows stay, and only changes
    are audited."""
    session = CohortSession.objects.select_for_update().get(pk=session.pk)
    if session.status == CohortSession.Status.CANCELLED:
        return []
    participants = defaultdict(list)
    for row in MeetParticipantSession.objects.filter(session=session):
        participants[row.user or row.participant].append(row)

    members = Enrollment.objects.filter(
        cohort_id=session.cohort_id, status__in=Enrollment.ACCESS_STATUSES
    ).select_related("learner")
    by_email = defaultdict(set)
    for enrollment in members:
        if enrollment.learner.email:
            by_email[enrollment.learner.email.strip().lower()].add(enrollment.pk)
    resolved = dict(
        UnmatchedParticipant.objects.filter(session=session, resolved_to__isnull=False).values_list(
            "key", "resolved_to_id"
        )
    )

    events_of = defaultdict(list)  # enrollment id -> (connection, kind, at)
    unmatched = defaultdict(list)  # key -> rows
    for rows in participants.values():
        emails = {row.email.strip().lower() for row in rows if row.email.strip()}
        matches = set().union(*(by_email.get(email, set()) for email in emails))
        if len(matches) == 1:
            enrollment_id = matches.pop()
        else:
            key = _unmatched_key(rows)
            enrollment_id = resolved.get(key)
            unmatched[key].extend(rows)
        if enrollment_id is not None:
            events_of[enrollment_id].extend(_events(rows))

    window = {"start": session.starts_at, "end": session.ends_at}
    for key, rows in unmatched.items():
        attended = attended_from(_events(rows), **window)
        UnmatchedParticipant.objects.update_or_create(
            session=session,
            key=key,
            defaults={
                "name": next((row.display_name for row in rows if row.display_name), ""),
                "email": next((row.email for row in rows if row.email), ""),
                "participant_ids": [
                    list(ids)
                    for ids in sorted({(row.conference_record, row.participant) for row in rows})
                ],
                "minutes_attended": attended.minutes,
                "first_joined_at": attended.first_join,
            },
        )

    attended = {
        enrollment_id: attended_from(events, **window)
        for enrollment_id, events in events_of.items()
    }
    return attendance_records_from_provider(
        session=session, attended=attended, source=AttendanceRecord.Source.MEET, by=by
    )
