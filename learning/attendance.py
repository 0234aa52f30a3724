"""Attendance rules, in one place: a session's status from the minutes attended, and where a
learner stands in their cohort.

The admin grid for recording and correcting attendance in bulk is
`learning.attendance_admin`.

Rules:
- present: attended at least `ATTENDANCE_PRESENT_SHARE` of the session's scheduled minutes
  (exactly that share counts) and first joined no later than `ATTENDANCE_LATE_GRACE_MINUTES`
  after the start (exactly then is still on time); late: enough minutes, but joined after
  that; absent: fewer minutes. Excused is only ever set by the specialist.
- held: scheduled sessions that have ended (the end instant itself counts as ended);
  cancelled sessions never count. A held session without a record counts as not attended.
- percent = (present + late) ÷ (held − excused). Compared exactly (as fractions) with the
  course's minimum; shown rounded to one decimal, halves up (6.25 → 6.3), so a learner at
  79.96 % sees 80.0 but has not met 80.
- met: only once every scheduled session has been held (none left) and the percent reaches
  the minimum. Before the cohort's end the percent is not final (three of three held is
  100 % but says nothing of the five to come), so no learner completes on it early; from
  the end on, a late correction or grade completes the enrollment then.
- maximum achievable = the percent if every session left is attended; the threshold is
  reachable while that maximum reaches it.
- minutes attended from a meeting provider (`attended_from`): each connection's joins and
  leaves are paired in time order; a join with no leave is closed at the window's end, a
  leave with no join before it (its join was lost, or came out of order) counts nothing, so
  time is never credited without evidence of when it began. Intervals are clipped to the
  scheduled window, overlaps counted once, and whole minutes kept (rounded down).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.conf import settings
from django.utils import timezone

from learning.models import AttendanceRecord, CohortSession

Status = AttendanceRecord.Status
ATTENDED = (Status.PRESENT, Status.LATE)


def status_from(minutes: int, session: CohortSession, first_join) -> str:
    """Present, late or absent for a learner who attended `minutes` of the session and first
    joined at `first_join` (None: unknown, taken as on time)."""
    share = Fraction(str(settings.ATTENDANCE_PRESENT_SHARE))
    if minutes < share * session.duration_minutes:
        return Status.ABSENT
    grace = timedelta(minutes=settings.ATTENDANCE_LATE_GRACE_MINUTES)
    if first_join is not None and first_join > session.starts_at + grace:
        return Status.LATE
    return Status.PRESENT


@dataclass(frozen=True)
class Attended:
    minutes: int
    first_join: datetime | None


JOINED, LEFT = "joined", "left"


def attended_from(events, *, start: datetime, end: datetime) -> Attended:
    """Minutes inside the window [start, end] and the first join, from one learner's
    `(connection, kind, at)` events (kind "joined" or "left"; any number of connections).
    Pure: the reads happen in the caller."""
    by_connection = defaultdict(list)
    for connection, kind, at in events:
        by_connection[connection].append((at, kind != JOINED, kind))  # joins first on ties
    intervals, joins = [], []
    for rows in by_connection.values():
        opened = None
        for at, _order, kind in sorted(rows):
            if kind == JOINED:
                joins.append(at)
                if opened is None:  # a repeated join keeps the earlier one open
                    opened = at
            elif opened is not None:
                intervals.append((opened, at))
                opened = None
        if opened is not None:
            intervals.append((opened, max(opened, end)))
    clipped = sorted(
        (max(begin, start), min(finish, end))
        for begin, finish in intervals
        if min(finish, end) > max(begin, start)
    )
    total, covered_to = timedelta(), None
    for begin, finish in clipped:
        if covered_to is not None and begin < covered_to:
            begin = covered_to
        if finish > begin:
            total += finish - begin
            covered_to = finish
    return Attended(minutes=int(total.total_seconds()) // 60, first_join=min(joins, default=None))


def percent_shown(share: Fraction | None) -> Decimal | None:
    """A share as the percent learners read: one decimal, halves rounded up."""
    if share is None:
        return None
    exact = Decimal(share.numerator * 100) / Decimal(share.denominator)
    return exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class SessionAttendance:
    session: CohortSession
    record: AttendanceRecord | None
    held: bool


@dataclass
class Standing:
    """Where a learner stands in their cohort's live sessions."""

    sessions: list[SessionAttendance]
    held: int
    excused: int
    attended: int
    sessions_left: int
    threshold: int
    share: Fraction | None = field(repr=False)
    max_share: Fraction | None = field(repr=False)

    @property
    def percent(self) -> Decimal | None:
        return percent_shown(self.share)

    @property
    def max_achievable(self) -> Decimal | None:
        return percent_shown(self.max_share)

    @property
    def final(self) -> bool:
        """Whether every scheduled session has been held, so the percent can no longer move
        except by a correction."""
        return self.sessions_left == 0

    @property
    def met(self) -> bool:
        return self.final and self.share is not None and self.share * 100 >= self.threshold

    @property
    def reachable(self) -> bool:
        return self.max_share is None or self.max_share * 100 >= self.threshold


def standing_from(sessions, records_by_session, *, threshold: int, now) -> Standing:
    """The standing for these sessions of one cohort and one learner's records (by session
    id). Pure: the reads happen in `attendance_standing`."""
    rows, held, excused, attended, left = [], 0, 0, 0, 0
    for session in sessions:
        record = records_by_session.get(session.pk)
        if session.status == CohortSession.Status.CANCELLED:
            continue
        is_held = session.ends_at <= now
        rows.append(SessionAttendance(session=session, record=record, held=is_held))
        if not is_held:
            left += 1
            continue
        held += 1
        status = record.status if record else Status.ABSENT
        excused += status == Status.EXCUSED
        attended += status in ATTENDED
    counted = held - excused
    share = Fraction(attended, counted) if counted else None
    best = counted + left
    max_share = Fraction(attended + left, best) if best else None
    return Standing(
        sessions=rows,
        held=held,
        excused=excused,
        attended=attended,
        sessions_left=left,
        threshold=threshold,
        share=share,
        max_share=max_share,
    )


def attendance_standing(enrollment) -> Standing:
    """The enrollment's standing in its cohort's sessions, in two queries whatever their
    number. The enrollment's course must be loaded (select_related) to save a third."""
    sessions = list(CohortSession.objects.filter(cohort_id=enrollment.cohort_id))
    records = {
        record.session_id: record
        for record in AttendanceRecord.objects.filter(enrollment=enrollment)
    }
    return standing_from(
        sessions,
        records,
        threshold=enrollment.course.certificate_min_attendance_percent,
        now=timezone.now(),
    )
