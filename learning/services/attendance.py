"""Recording and correcting attendance: in bulk, in one transaction, each change audited."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from learning.attendance import Attended, status_from
from learning.events import announce, attendance_recorded
from learning.exceptions import InvalidInput, NotTeaching
from learning.models import (
    AttendanceChange,
    AttendanceRecord,
    Cohort,
    CohortSession,
    Enrollment,
    SessionJoin,
)
from learning.selectors.cohorts import cohorts_managed_by
from learning.services.cohort_completion import cohort_enrollments_recheck


@dataclass
class AttendanceEntry:
    enrollment: int
    status: str
    minutes: int | None = None
    note: str = ""


def _session_errors(cohort: Cohort, session_id: int, now) -> tuple[CohortSession | None, list]:
    session = CohortSession.objects.select_for_update().filter(cohort=cohort, pk=session_id).first()
    if session is None:
        return None, ["This session is not one of this cohort's."]
    if session.status == CohortSession.Status.CANCELLED:
        return None, ["This session is cancelled: it has no attendance."]
    if session.starts_at > now:
        return None, ["This session has not started yet."]
    return session, []


@transaction.atomic
def attendance_record_bulk(
    *, cohort: Cohort, session_id: int, entries: list[AttendanceEntry], by
) -> list[AttendanceRecord]:
    """Record or correct the attendance of several learners at one session of the cohort, by
    the specialist teaching it: all or nothing, every change kept in the audit trail. After
    the cohort's last session, a change may complete the learners it concerns."""
    if not cohorts_managed_by(by).filter(pk=cohort.pk).exists():
        raise NotTeaching("Only the specialist teaching this cohort records its attendance.")
    now = timezone.now()
    errors = {}
    session, session_errors = _session_errors(cohort, session_id, now)
    if session_errors:
        errors["session"] = session_errors
    members = set(
        Enrollment.objects.filter(cohort=cohort, status__in=Enrollment.ACCESS_STATUSES).values_list(
            "pk", flat=True
        )
    )
    seen = set()
    for index, entry in enumerate(entries):
        if entry.enrollment not in members:
            errors[f"records.{index}.enrollment"] = ["This enrollment is not in this cohort."]
        elif entry.enrollment in seen:
            errors[f"records.{index}.enrollment"] = ["This enrollment is listed twice."]
        seen.add(entry.enrollment)
        if entry.status == AttendanceRecord.Status.EXCUSED and not entry.note.strip():
            errors[f"records.{index}.note"] = ["An excused absence needs a note saying why."]
        if session and entry.minutes is not None and entry.minutes > session.duration_minutes:
            errors[f"records.{index}.minutes"] = [
                f"The session lasts {session.duration_minutes} minutes."
            ]
    if errors:
        raise InvalidInput(errors)

    existing = {
        record.enrollment_id: record
        for record in AttendanceRecord.objects.select_for_update().filter(
            session=session, enrollment_id__in=seen
        )
    }
    first_joins = dict(
        SessionJoin.objects.filter(session=session, enrollment_id__in=seen)
        .values_list("enrollment_id")
        .annotate(first=Min("joined_at"))
    )
    records, changes = [], []
    for entry in entries:
        record = existing.get(entry.enrollment)
        old_status, old_minutes = (record.status, record.minutes_attended) if record else ("", None)
        minutes = entry.minutes if entry.minutes is not None else (old_minutes or 0)
        if record and (record.status, record.minutes_attended, record.note) == (
            entry.status,
            minutes,
            entry.note,
        ):
            records.append(record)
            continue  # nothing changed: no audit row
        record = record or AttendanceRecord(session=session, enrollment_id=entry.enrollment)
        record.status = entry.status
        record.minutes_attended = minutes
        record.note = entry.note
        record.source = AttendanceRecord.Source.MANUAL
        if record.first_joined_at is None:
            record.first_joined_at = first_joins.get(entry.enrollment)
        records.append(record)
        changes.append(
            attendance_record_save(
                record, old_status=old_status, old_minutes=old_minutes, by=by, now=now
            )
        )
    AttendanceChange.objects.bulk_create(changes)
    cohort_enrollments_recheck(
        cohort_id=cohort.pk, enrollment_ids=[change.record.enrollment_id for change in changes]
    )
    return records


def attendance_record_save(
    record: AttendanceRecord, *, old_status: str, old_minutes, by, now
) -> AttendanceChange:
    """Save a record whose status, minutes, note and source are set, stamped with who and
    when; returns the audit row describing the change, for the caller to bulk-create."""
    record.changed_by, record.changed_at = by, now
    # The callers hold the session locked and the enrollments checked against the cohort:
    # validating the foreign keys again would cost two queries per record.
    record.full_clean(
        exclude=["session", "enrollment", "changed_by"],
        validate_unique=False,
        validate_constraints=False,
    )
    record.save()
    announce(attendance_recorded, sender=AttendanceRecord, record=record)
    return AttendanceChange(
        record=record,
        old_status=old_status,
        new_status=record.status,
        old_minutes=old_minutes,
        new_minutes=record.minutes_attended,
        source=record.source,
        note=record.note,
        changed_by=by,
        changed_at=now,
    )


def _provider_record(session, enrollment_id, attended, existing, *, source, by, now):
    """Create or update one enrollment's record from what a provider measured, with an audit
    row; None when nothing changed or the specialist's manual record stands."""
    record = existing.get(enrollment_id)
    if record is not None and record.source == AttendanceRecord.Source.MANUAL:
        return None
    status = status_from(attended.minutes, session, attended.first_join)
    if record is not None and (
        record.status,
        record.minutes_attended,
        record.first_joined_at,
        record.source,
    ) == (status, attended.minutes, attended.first_join, source):
        return None
    old_status, old_minutes = (record.status, record.minutes_attended) if record else ("", None)
    record = record or AttendanceRecord(session=session, enrollment_id=enrollment_id)
    record.status = status
    record.minutes_attended = attended.minutes
    record.first_joined_at = attended.first_join
    record.source = source
    return attendance_record_save(
        record, old_status=old_status, old_minutes=old_minutes, by=by, now=now
    )


def attendance_records_from_provider(
    *, session: CohortSession, attended: dict[int, Attended], source: str, by=None
) -> list[AttendanceRecord]:
    """Record what a meeting provider measured for each enrollment (by id) at a session: the
    status follows the attendance rules, only changes are saved and audited, and a record the
    specialist set by hand is never overwritten. Runs in the caller's transaction."""
    now = timezone.now()
    existing = {
        record.enrollment_id: record
        for record in AttendanceRecord.objects.select_for_update().filter(
            session=session, enrollment_id__in=attended
        )
    }
    records, changes = [], []
    for enrollment_id, measured in attended.items():
        change = _provider_record(
            session, enrollment_id, measured, existing, source=source, by=by, now=now
        )
        if change is not None:
            changes.append(change)
            records.append(change.record)
    AttendanceChange.objects.bulk_create(changes)
    cohort_enrollments_recheck(
        cohort_id=session.cohort_id, enrollment_ids=[record.enrollment_id for record in records]
    )
    return records
