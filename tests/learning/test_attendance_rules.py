"""The attendance rules at their boundaries: a session's status from minutes and first join,
the cohort percentage, sessions left, the maximum achievable and the threshold."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from types import SimpleNamespace

import pytest

from learning.attendance import percent_shown, standing_from, status_from
from learning.models import CohortSession

START = datetime(2024, 3, 5, 19, tzinfo=UTC)
MINUTE = timedelta(minutes=1)
SECOND = timedelta(seconds=1)


def session(pk=1, starts_at=START, duration_minutes=60, status=CohortSession.Status.SCHEDULED):
    return CohortSession(
        pk=pk, starts_at=starts_at, duration_minutes=duration_minutes, status=status
    )


# status_from: the share (default half) and the grace (default 10 minutes)


@pytest.mark.parametrize(
    ("minutes", "expected"), [(30, "present"), (29, "absent"), (60, "present"), (0, "absent")]
)
def test_present_from_half_the_session_exactly(minutes, expected):
    assert status_from(minutes, session(), START) == expected


@pytest.mark.parametrize(
    ("first_join", "expected"),
    [
        (START + 10 * MINUTE, "present"),
        (START + 10 * MINUTE + SECOND, "late"),
        (START - 15 * MINUTE, "present"),
        (None, "present"),
    ],
)
def test_late_only_after_the_grace_period(first_join, expected):
    assert status_from(45, session(), first_join) == expected


def test_too_few_minutes_is_absent_however_early_the_join():
    assert status_from(29, session(), START - MINUTE) == "absent"
    assert status_from(29, session(), START + 20 * MINUTE) == "absent"


def test_the_share_and_grace_come_from_settings(settings):
    settings.ATTENDANCE_PRESENT_SHARE = 0.75
    settings.ATTENDANCE_LATE_GRACE_MINUTES = 5
    odd = session(duration_minutes=45)  # 75 % of 45 is 33.75: 34 is enough, 33 is not
    assert status_from(34, odd, START) == "present"
    assert status_from(33, odd, START) == "absent"
    assert status_from(34, odd, START + 5 * MINUTE + SECOND) == "late"


# Rounding: one decimal, halves up


@pytest.mark.parametrize(
    ("share", "shown"),
    [
        (Fraction(1, 16), Decimal("6.3")),  # 6.25: the half goes up
        (Fraction(3, 16), Decimal("18.8")),  # 18.75
        (Fraction(2, 3), Decimal("66.7")),
        (Fraction(1, 3), Decimal("33.3")),
        (Fraction(1), Decimal("100.0")),
        (None, None),
    ],
)
def test_percent_is_shown_to_one_decimal_halves_up(share, shown):
    assert percent_shown(share) == shown


# The standing


NOW = START + timedelta(days=10)


def week(n, **fields):
    """Session n, n weeks before NOW (negative: in the future)."""
    return session(pk=n, starts_at=NOW - timedelta(weeks=n), **fields)


def records(**statuses):
    return {int(key[1:]): SimpleNamespace(status=value) for key, value in statuses.items()}


def test_percent_counts_present_and_late_over_held_less_excused():
    sessions = [week(n) for n in (1, 2, 3, 4, 5)] + [week(-1), week(-2)]
    standing = standing_from(
        sessions,
        records(s1="present", s2="late", s3="excused", s4="absent"),  # s5 unrecorded: absent
        threshold=80,
        now=NOW,
    )
    assert (standing.held, standing.excused, standing.attended) == (5, 1, 2)
    assert standing.percent == Decimal("50.0")  # 2 of (5 − 1)
    assert standing.sessions_left == 2
    assert standing.max_achievable == Decimal("66.7")  # 4 of 6
    assert not standing.met and not standing.reachable


def test_cancelled_sessions_never_count():
    sessions = [week(1), week(2, status=CohortSession.Status.CANCELLED), week(-1)]
    standing = standing_from(sessions, records(s1="present"), threshold=80, now=NOW)
    assert (standing.held, standing.sessions_left) == (1, 1)
    assert [row.session.pk for row in standing.sessions] == [1, -1]
    assert standing.percent == Decimal("100.0")


def test_a_session_is_held_from_its_end_exactly():
    ending = session(pk=1, starts_at=NOW - 60 * MINUTE)
    assert standing_from([ending], {}, threshold=80, now=NOW).held == 1
    assert standing_from([ending], {}, threshold=80, now=NOW - SECOND).sessions_left == 1


def test_the_threshold_is_compared_exactly_not_as_shown():
    sessions = [week(n) for n in range(1, 6)]
    four_of_five = standing_from(
        sessions,
        records(s1="present", s2="present", s3="late", s4="present"),
        threshold=80,
        now=NOW,
    )
    assert four_of_five.percent == Decimal("80.0") and four_of_five.met
    assert four_of_five.reachable
    three_of_four = standing_from(
        sessions[:4], records(s1="present", s2="present", s3="late"), threshold=80, now=NOW
    )
    assert three_of_four.percent == Decimal("75.0") and not three_of_four.met
    assert not three_of_four.reachable


def test_still_reachable_while_the_sessions_left_can_lift_it():
    sessions = [week(1), week(2)] + [week(-n) for n in range(1, 9)]
    standing = standing_from(sessions, records(s1="present", s2="absent"), threshold=80, now=NOW)
    assert standing.percent == Decimal("50.0") and not standing.met
    assert standing.max_achievable == Decimal("90.0") and standing.reachable  # 9 of 10


def test_a_percent_above_the_threshold_is_not_met_while_sessions_are_left():
    standing = standing_from([week(2), week(1), week(-1)], records(s2="present", s1="present"),
                             threshold=80, now=NOW)  # fmt: skip
    assert standing.percent == Decimal("100.0") and not standing.final and not standing.met
    assert standing.reachable
    held_all = standing_from([week(2), week(1)], records(s2="present", s1="present"),
                             threshold=80, now=NOW)  # fmt: skip
    assert held_all.final and held_all.met


def test_nothing_held_yet_has_no_percent_and_is_reachable():
    standing = standing_from([week(-1), week(-2)], {}, threshold=80, now=NOW)
    assert standing.percent is None and not standing.met
    assert standing.max_achievable == Decimal("100.0") and standing.reachable
