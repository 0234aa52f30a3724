"""Every analytics figure, defined once; the API, the admin and the snapshots all read them here.

Days are UTC days; a window is a range of whole UTC days, both ends included. The previous
period is the window of the same length that ends the day before the window starts.

Activity (counted from the raw rows, stored per course and day by `analytics.snapshots`):
- new enrollments: enrollments activated (given access: free at once, paid once paid) in the
  window, whatever their status now;
- completions: enrollments whose course was completed in the window;
- lesson completions, quiz attempts, quiz passes (attempts that passed), assignment
  submissions, assignment gradings: rows created (graded) in the window;
- active learners: distinct learners with at least one *action* in the window: a lesson
  completion, a quiz attempt or an assignment submission. Over any window this is counted
  from the raw rows, never by adding daily distinct counts.

Learners (the course as it is now):
- learners: enrollments that give access now (active or completed), and of them:
- completed; started: with at least one lesson completion;
- average progress: live lessons completed ÷ live lessons, averaged over learners (the
  progress each learner sees, `learning.selectors.progress`);
- at risk: active (not completed), with at least one action, and none in the last 7 days
  (an action exactly 7 days ago counts as 7 days inactive).

Rates (percent, one decimal, halves up; null when the denominator is 0):
- completion rate: of the enrollments activated in the window that still give access, those
  completed by now; completion rate of starters: of those of them who started (completed a
  lesson), the share completed by now;
- quiz pass rate: learners with a passing attempt ÷ learners who attempted, in the window;
  first-attempt pass rate: passing first attempts ÷ first attempts in the window;
- refund rate: refunds ÷ sales in the window, per currency;
- lesson drop-off: for lesson k (after the first), 1 − reached(k) ÷ reached(k − 1), where
  reached(k) is the number of learners who completed lesson k; the steepest drop is marked;
- average attendance (cohorts): learner-sessions attended (present or late) ÷ learner-sessions
  expected (held sessions × learners − excused), as `learning.attendance` counts a session
  held.

Money (from the ledger, minor units inside, decimal strings out, per currency, never
converted): gross (sales), refunds (given back), fees (the platform's commission less what
refunds reversed), net (the specialist's share less what refunds reversed); gross − refunds
= fees + net.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from django.db import connection
from django.db.models import Q
from wagtail.models import Page

from analytics.coverage import covered_through
from analytics.models import (
    CourseDailyLearner,
    CourseDailyRevenue,
    CourseDailyStats,
    SnapshotCoverage,
)
from commerce.models import LedgerEntry
from coursepages.models import CoursePage
from learning.models import (
    AssignmentSubmission,
    CourseReview,
    Enrollment,
    LessonCompletion,
    QuizAttempt,
)
from learning.selectors.progress import live_lessons_of

MAX_WINDOW_DAYS = 731  # two years, a leap day included
AT_RISK_AFTER = timedelta(days=7)
GRANULARITIES = ("day", "week", "month")

ENROLLMENT = Enrollment._meta.db_table
COMPLETION = LessonCompletion._meta.db_table
ATTEMPT = QuizAttempt._meta.db_table
SUBMISSION = AssignmentSubmission._meta.db_table
LEDGER = LedgerEntry._meta.db_table
REVIEW = CourseReview._meta.db_table
LEARNER_DAY = CourseDailyLearner._meta.db_table
COVERAGE = SnapshotCoverage._meta.db_table
COURSE = CoursePage._meta.db_table
PAGE = Page._meta.db_table

ACTIONS = ("lesson", "quiz", "submission")
ALL_EVENTS = ("enrolled", "completed", *ACTIONS, "graded")
# Each event kind: (its table joined to the enrollment, its instant, whether it passed).
EVENT_SOURCES = {
    "enrolled": (f"{ENROLLMENT} e", "e.activated_at", "0"),
    "completed": (f"{ENROLLMENT} e", "e.completed_at", "0"),
    "lesson": (
        f"{COMPLETION} x JOIN {ENROLLMENT} e ON e.id = x.enrollment_id",
        "x.completed_at",
        "0",
    ),
    "quiz": (
        f"{ATTEMPT} x JOIN {ENROLLMENT} e ON e.id = x.enrollment_id",
        "x.submitted_at",
        "CASE WHEN x.passed THEN 1 ELSE 0 END",
    ),
    "submission": (
        f"{SUBMISSION} x JOIN {ENROLLMENT} e ON e.id = x.enrollment_id",
        "x.submitted_at",
        "0",
    ),
    "graded": (f"{SUBMISSION} x JOIN {ENROLLMENT} e ON e.id = x.enrollment_id", "x.graded_at", "0"),
}
LEDGER_SUMS = {
    "gross": LedgerEntry.Kind.SALE,
    "platform_fee": LedgerEntry.Kind.PLATFORM_FEE,
    "specialist_share": LedgerEntry.Kind.SPECIALIST_SHARE,
    "refunds": LedgerEntry.Kind.REFUND,
    "fee_reversals": LedgerEntry.Kind.FEE_REVERSAL,
    "share_reversals": LedgerEntry.Kind.SHARE_REVERSAL,
}
ACTIVITY_COUNTS = {
    "new_enrollments": "enrolled",
    "completions": "completed",
    "lesson_completions": "lesson",
    "quiz_attempts": "quiz",
    "assignment_submissions": "submission",
    "assignment_gradings": "graded",
}
# Counts that add up across days; active learners (distinct per day) never do.
ADDITIVE_FIELDS = (*ACTIVITY_COUNTS, "quiz_passes")
ACTIVITY_FIELDS = (*ADDITIVE_FIELDS, "active_learners")
REVENUE_FIELDS = (*LEDGER_SUMS, "sales", "refund_count")


@dataclass(frozen=True)
class Window:
    """Whole UTC days from `first` to `last`, both included."""

    first: date
    last: date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def start(self) -> datetime:
        return day_start(self.first)

    @property
    def end(self) -> datetime:
        return day_start(self.last + timedelta(days=1))

    def previous(self) -> "Window":
        return Window(self.first - timedelta(days=self.days), self.first - timedelta(days=1))

    def __contains__(self, day: date) -> bool:
        return self.first <= day <= self.last


def day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def utc_today() -> date:
    return datetime.now(UTC).date()


def bucket_start(day: date, granularity: str) -> date:
    """The first day of the day, ISO week (Monday) or calendar month `day` falls in."""
    if granularity == "week":
        return day - timedelta(days=day.weekday())
    if granularity == "month":
        return day.replace(day=1)
    return day


def rate(numerator: int, denominator: int) -> Decimal | None:
    """A percent with one decimal, halves up; None when there is nothing to divide by."""
    if not denominator:
        return None
    return (Decimal(100) * numerator / denominator).quantize(Decimal("0.1"), ROUND_HALF_UP)


def at_risk(now: datetime) -> Q:
    """Enrollments of learners at risk: not completed, acted before, not in the last 7 days.
    `learner_figures` counts them with the same rule in SQL."""
    return Q(status=Enrollment.Status.ACTIVE, last_active_at__lte=now - AT_RISK_AFTER)


# Raw SQL from here on: the snapshot job groups a whole day of every course in one statement
# (a query per table and a merge in Python cost several times as much), and the API reads a
# window's snapshots and the live last days in one statement.


def _day_of(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"(({column}) AT TIME ZONE 'UTC')::date"
    return f"date({column})"


def _as_date(value) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


def _instant(value: datetime):
    return connection.ops.adapt_datetimefield_value(value)


def _day_param(value: date):
    return connection.ops.adapt_datefield_value(value)


def _in_courses(column: str, course_ids) -> tuple[str, list]:
    if course_ids is None:
        return "", []
    ids = list(course_ids) or [0]
    if connection.vendor == "postgresql":
        # One array parameter: a specialist's fifty courses, given in each part of a statement,
        # would otherwise be hundreds of placeholders to bind and plan.
        return f" AND {column} = ANY(%s)", [ids]
    return f" AND {column} IN ({', '.join(['%s'] * len(ids))})", ids


def events_sql(kinds, start: datetime, end: datetime, course_ids=None, *, uncovered=None):
    """Rows (course_id, learner_id, day, kind, passed) of the given kinds in [start, end), and
    with `uncovered` (where the snapshots were last known to stop) only those the snapshots do
    not count yet: (sql, params)."""
    parts, params = [], []
    in_courses, course_params = _in_courses("e.course_id", course_ids)
    for kind in kinds:
        source, instant, passed = EVENT_SOURCES[kind]
        since, since_params = _uncovered(instant, uncovered)
        parts.append(
            f"SELECT e.course_id, e.learner_id, {_day_of(instant)} AS day, '{kind}' AS kind, "
            f"{passed} AS passed FROM {source} "
            f"WHERE {instant} >= %s AND {instant} < %s{since}{in_courses}"
        )
        params += [_instant(start), _instant(end), *since_params, *course_params]
    return " UNION ALL ".join(parts), params


def _uncovered(instant: str, known: datetime | None) -> tuple[str, list]:
    """The condition that a raw row is not counted by the snapshots yet: stamped at or after
    where they are complete, read in the statement itself, so the stored rows and the raw ones
    it reads agree even while a snapshot commits. The bound as last `known` (it only grows)
    lets the planner see that few rows qualify and use the instant's index."""
    if known is None:
        return "", []
    return (
        f" AND {instant} >= %s AND {instant} >= (SELECT through FROM {COVERAGE})",
        [_instant(known)],
    )


def _fetch(sql: str, params: list) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        columns = [column[0] for column in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def _activity_grouped_sql(start, end, course_ids, *, uncovered=None) -> tuple[str, list]:
    events, params = events_sql(ALL_EVENTS, start, end, course_ids, uncovered=uncovered)
    counts = ", ".join(
        f"SUM(CASE WHEN kind = '{kind}' THEN 1 ELSE 0 END) AS {name}"
        for name, kind in ACTIVITY_COUNTS.items()
    )
    actions = ", ".join(f"'{kind}'" for kind in ACTIONS)
    sql = (
        f"SELECT course_id, day, {counts}, "
        "SUM(CASE WHEN kind = 'quiz' THEN passed ELSE 0 END) AS quiz_passes, "
        f"COUNT(DISTINCT CASE WHEN kind IN ({actions}) THEN learner_id END) AS active_learners "
        f"FROM ({events}) events GROUP BY course_id, day"
    )
    return sql, params


def _revenue_grouped_sql(start, end, course_ids, *, uncovered=None) -> tuple[str, list]:
    sums = ", ".join(
        f"SUM(CASE WHEN kind = '{kind}' THEN ABS(amount) ELSE 0 END) AS {name}"
        for name, kind in LEDGER_SUMS.items()
    )
    in_courses, course_params = _in_courses("course_id", course_ids)
    since, since_params = _uncovered("created_at", uncovered)
    day = _day_of("created_at")
    kinds = ", ".join(f"'{kind}'" for kind in LEDGER_SUMS.values())
    sql = (
        f"SELECT course_id, specialist_id, {day} AS day, currency, {sums}, "
        f"SUM(CASE WHEN kind = '{LedgerEntry.Kind.SALE}' THEN 1 ELSE 0 END) AS sales, "
        f"SUM(CASE WHEN kind = '{LedgerEntry.Kind.REFUND}' THEN 1 ELSE 0 END) AS refund_count "
        f"FROM {LEDGER} WHERE course_id IS NOT NULL AND kind IN ({kinds}) "
        "AND created_at >= %s AND created_at < %s"
        f"{since}{in_courses} GROUP BY course_id, specialist_id, {day}, currency"
    )
    return sql, [_instant(start), _instant(end), *since_params, *course_params]


def _dated(rows):
    for row in rows:
        row["day"] = _as_date(row["day"])
    return rows


def activity_by_course_day(start: datetime, end: datetime) -> list[dict]:
    """Every course's activity counts per day, from the raw rows stamped in [start, end); only
    (course, day) pairs with something in them."""
    sql, params = _activity_grouped_sql(start, end, None)
    return _dated(_fetch(sql, params))


def revenue_by_course_day(start: datetime, end: datetime) -> list[dict]:
    """The ledger's sums per course, specialist, day and currency, from the raw rows stamped in
    [start, end)."""
    sql, params = _revenue_grouped_sql(start, end, None)
    return _dated(_fetch(sql, params))


def _stored_sql(table: str, columns, window: Window, course_ids) -> tuple[str, list]:
    """The window's stored rows: they count the raw rows up to where the snapshots stop, as
    the runs complete days in order (`analytics.snapshots`)."""
    in_courses, course_params = _in_courses("course_id", course_ids)
    sql = f"SELECT {', '.join(columns)} FROM {table} WHERE day >= %s AND day <= %s{in_courses}"
    return sql, [_day_param(window.first), _day_param(window.last), *course_params]


def activity_rows(window: Window, course_ids=None) -> list[dict]:
    """Activity per course and day over the window: the snapshots, and the raw rows they do not
    count yet (a day may have a row of each); one query."""
    sql, params = _activity_sql(window, course_ids)
    return _dated(_fetch(sql, params))


def revenue_rows(window: Window, course_ids=None) -> list[dict]:
    """The ledger's sums per course, specialist, day and currency over the window; one query."""
    sql, params = _revenue_sql(window, course_ids)
    return _dated(_fetch(sql, params))


def activity_by_period(periods: dict[str, Window], course_ids=None) -> list[dict]:
    """The additive activity counts summed per course and named period (periods must not
    overlap); one query that returns a row per course and period, however long the periods."""
    sql, params = _activity_sql(_spanning(periods), course_ids)
    return _by_period(sql, params, periods, ("course_id",), ADDITIVE_FIELDS)


def revenue_by_period(periods: dict[str, Window], course_ids=None) -> list[dict]:
    """The ledger's sums per course, specialist, currency and named period; one query."""
    sql, params = _revenue_sql(_spanning(periods), course_ids)
    return _by_period(
        sql, params, periods, ("course_id", "specialist_id", "currency"), REVENUE_FIELDS
    )


def _spanning(periods: dict[str, Window]) -> Window:
    return Window(
        min(period.first for period in periods.values()),
        max(period.last for period in periods.values()),
    )


def _by_period(sql, params, periods, keys, fields) -> list[dict]:
    cases, case_params = [], []
    for name, period in periods.items():
        cases.append(f"WHEN day >= %s AND day <= %s THEN '{name}'")
        case_params += [_day_param(period.first), _day_param(period.last)]
    group = ", ".join(keys)
    sums = ", ".join(f"SUM({field}) AS {field}" for field in fields)
    sql = (
        f"SELECT {group}, period, {sums} FROM "
        f"(SELECT rows.*, CASE {' '.join(cases)} END AS period FROM ({sql}) rows) periods "
        f"WHERE period IS NOT NULL GROUP BY {group}, period"
    )
    return _fetch(sql, case_params + params)


def _activity_sql(window, course_ids) -> tuple[str, list]:
    return _union_sql(
        CourseDailyStats._meta.db_table,
        ("course_id", "day", *ACTIVITY_FIELDS),
        _activity_grouped_sql,
        window,
        course_ids,
    )


def _revenue_sql(window, course_ids) -> tuple[str, list]:
    return _union_sql(
        CourseDailyRevenue._meta.db_table,
        ("course_id", "specialist_id", "day", "currency", *REVENUE_FIELDS),
        _revenue_grouped_sql,
        window,
        course_ids,
    )


def _union_sql(table, columns, uncovered_sql, window, course_ids) -> tuple[str, list]:
    stored, stored_params = _stored_sql(table, columns, window, course_ids)
    sql, params = uncovered_sql(window.start, window.end, course_ids, uncovered=covered_through())
    return (
        f"{stored} UNION ALL SELECT {', '.join(columns)} FROM ({sql}) uncovered",
        stored_params + params,
    )


LEARNER_DAY_COLUMNS = ("course_id", "day", "learner_id", "quiz_attempted", "quiz_passed")
ACTIVE_LEARNER_COLUMNS = LEARNER_DAY_COLUMNS[:3]


def _learner_days_grouped_sql(start, end, course_ids, *, uncovered=None) -> tuple[str, list]:
    """A row per course, UTC day and learner with an action, from the raw rows, with the
    columns of `CourseDailyLearner`."""
    events, params = events_sql(ACTIONS, start, end, course_ids, uncovered=uncovered)
    sql = (
        "SELECT course_id, day, learner_id, "
        "MAX(CASE WHEN kind = 'quiz' THEN 1 ELSE 0 END) = 1 AS quiz_attempted, "
        "MAX(CASE WHEN kind = 'quiz' THEN passed ELSE 0 END) = 1 AS quiz_passed "
        f"FROM ({events}) events GROUP BY course_id, day, learner_id"
    )
    return sql, params


def learner_days_store(start: datetime, end: datetime) -> None:
    """Store every course's learners with an action on each day, from the raw rows stamped in
    [start, end), in one statement (the snapshots)."""
    sql, params = _learner_days_grouped_sql(start, end, None)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {LEARNER_DAY} ({', '.join(LEARNER_DAY_COLUMNS)}) {sql}", params
        )


def _learner_days_sql(window: Window, course_ids, columns=LEARNER_DAY_COLUMNS) -> tuple[str, list]:
    """The learner days of the window: stored, and from the raw rows the snapshots do not count
    yet. Any window's active learners (or quiz takers) are the distinct learners of its days:
    exact, as a count from the actions themselves is, where adding up daily distinct counts
    would not be."""
    return _union_sql(
        LEARNER_DAY,
        columns,
        _learner_days_grouped_sql,
        window,
        course_ids,
    )


class LearnerDay(NamedTuple):
    learner_id: int
    day: date
    quiz_attempted: bool
    quiz_passed: bool


def learner_days(window: Window, course_ids) -> list[LearnerDay]:
    """Each learner's days with an action in the courses over the window, and whether they
    attempted and passed a quiz that day: any window's or bucket's active learners (or quiz
    takers) are the distinct learners of its days."""
    days, params = _learner_days_sql(window, course_ids)
    # A day the snapshots were counting when it was read has a stored row and a raw one.
    rows = _fetch(
        "SELECT learner_id, day, MAX(CASE WHEN quiz_attempted THEN 1 ELSE 0 END) AS attempted, "
        "MAX(CASE WHEN quiz_passed THEN 1 ELSE 0 END) AS passed "
        f"FROM ({days}) days GROUP BY learner_id, day",
        params,
    )
    return [
        LearnerDay(
            row["learner_id"], _as_date(row["day"]), row["attempted"] == 1, row["passed"] == 1
        )
        for row in rows
    ]


def active_learner_counts(windows: dict[str, Window], course_ids=None) -> dict[str, int]:
    """Distinct learners with an action in each named window, counted in SQL: {name: n}. One
    query, whatever the windows' length."""
    sql, params = _active_learners_sql(windows, course_ids, by_course=False)
    return _fetch(sql, params)[0]


def active_learner_counts_by_course(
    windows: dict[str, Window], course_ids
) -> tuple[dict[str, int], dict[int, dict[str, int]]]:
    """The same counts across all the courses ({name: n}, a learner in two courses counted
    once) and per course ({course id: {name: n}}), in one query."""
    sql, params = _active_learners_sql(windows, course_ids, by_course=True)
    overall, by_course = dict.fromkeys(windows, 0), {}
    for row in _fetch(sql, params):
        course = row.pop("course_id")
        if course is None:
            overall = row
        else:
            by_course[course] = row
    return overall, by_course


def _active_learners_sql(windows, course_ids, *, by_course) -> tuple[str, list]:
    # Only the columns the unique index holds: the stored rows are read from the index alone.
    days, params = _learner_days_sql(_spanning(windows), course_ids, ACTIVE_LEARNER_COLUMNS)
    counts, count_params = [], []
    for name, window in windows.items():
        counts.append(
            f"COUNT(DISTINCT CASE WHEN day >= %s AND day <= %s THEN learner_id END) AS {name}"
        )
        count_params += [_day_param(window.first), _day_param(window.last)]
    counts = ", ".join(counts)
    if not by_course:
        return f"SELECT {counts} FROM ({days}) days", count_params + params
    # The days once, grouped twice: per course, and across the courses (course_id NULL).
    sql = (
        f"WITH days AS ({days}) "
        f"SELECT course_id, {counts} FROM days GROUP BY course_id "
        f"UNION ALL SELECT NULL, {counts} FROM days"
    )
    return sql, params + count_params * 2


def _sql_list(values) -> str:
    return ", ".join(f"'{value}'" for value in values)


def learner_figures(course_ids, periods: dict[str, Window], now: datetime) -> dict[int, dict]:
    """The figures about each course's learners, one query whatever the number of courses:
    as the course is now (`learners`, `learners_completed`, `learners_started`,
    `learners_completed_started`, `learners_at_risk`, `submissions_waiting`) and per named
    period the enrollments activated in it and how far they got (`enrolled_<period>`,
    `enrolled_completed_<period>`, `enrolled_started_<period>`,
    `enrolled_completed_started_<period>`) and new reviews (`reviews_<period>`). {course id: {figure: n}}, every course given included."""
    ids = list(course_ids)
    if not ids:
        return {}
    in_courses, course_params = _in_courses("e.course_id", ids)
    completed = f"e.status = '{Enrollment.Status.COMPLETED}'"
    started = "e.started"
    enrolled_columns, enrolled_params = [], []
    review_columns, review_params = [], []
    for name, period in periods.items():
        bounds = [_instant(period.start), _instant(period.end)]
        activated = "e.activated_at >= %s AND e.activated_at < %s"
        enrolled_columns += [
            f"SUM(CASE WHEN {activated} THEN 1 ELSE 0 END) AS enrolled_{name}",
            f"SUM(CASE WHEN {activated} AND {completed} THEN 1 ELSE 0 END) "
            f"AS enrolled_completed_{name}",
            f"SUM(CASE WHEN {activated} AND {started} THEN 1 ELSE 0 END) "
            f"AS enrolled_started_{name}",
            f"SUM(CASE WHEN {activated} AND {started} AND {completed} THEN 1 ELSE 0 END) "
            f"AS enrolled_completed_started_{name}",
        ]
        enrolled_params += bounds * 4
        review_columns.append(
            f"SUM(CASE WHEN created_at >= %s AND created_at < %s THEN 1 ELSE 0 END) "
            f"AS reviews_{name}"
        )
        review_params += bounds
    first = _instant(min(period.start for period in periods.values()))
    last = _instant(max(period.end for period in periods.values()))
    # The last action is kept on the enrollment as it happens; whether it has a completion is
    # one probe of an index.
    enrollments = (
        "SELECT e.course_id, e.status, e.activated_at, e.last_active_at, "
        f"EXISTS (SELECT 1 FROM {COMPLETION} x WHERE x.enrollment_id = e.id) AS started "
        f"FROM {ENROLLMENT} e WHERE e.status IN ({_sql_list(Enrollment.ACCESS_STATUSES)})"
        f"{in_courses}"
    )
    learners = (
        "SELECT e.course_id AS course, COUNT(*) AS learners, "
        f"SUM(CASE WHEN {completed} THEN 1 ELSE 0 END) AS learners_completed, "
        f"SUM(CASE WHEN {started} THEN 1 ELSE 0 END) AS learners_started, "
        f"SUM(CASE WHEN {started} AND {completed} THEN 1 ELSE 0 END) "
        "AS learners_completed_started, "
        f"SUM(CASE WHEN e.status = '{Enrollment.Status.ACTIVE}' AND e.last_active_at <= %s "
        f"THEN 1 ELSE 0 END) AS learners_at_risk, "
        f"{', '.join(enrolled_columns)} FROM enrollments e GROUP BY e.course_id"
    )
    learners_params = [_instant(now - AT_RISK_AFTER), *enrolled_params]
    reviews = (
        f"SELECT course_id AS course, {', '.join(review_columns)} FROM {REVIEW} "
        "WHERE created_at >= %s AND created_at < %s"
        f"{_in_courses('course_id', ids)[0]} GROUP BY course_id"
    )
    waiting = (
        f"SELECT e.course_id AS course, COUNT(*) AS submissions_waiting FROM {SUBMISSION} x "
        f"JOIN {ENROLLMENT} e ON e.id = x.enrollment_id "
        f"WHERE x.status = '{AssignmentSubmission.Status.SUBMITTED}'{in_courses} "
        "GROUP BY e.course_id"
    )
    sql = (
        f"WITH enrollments AS MATERIALIZED ({enrollments}) "
        f"SELECT c.page_ptr_id AS course_id, learners.*, reviews.*, waiting.* "
        f"FROM {COURSE} c "
        f"LEFT JOIN ({learners}) learners ON learners.course = c.page_ptr_id "
        f"LEFT JOIN ({reviews}) reviews ON reviews.course = c.page_ptr_id "
        f"LEFT JOIN ({waiting}) waiting ON waiting.course = c.page_ptr_id "
        f"WHERE 1 = 1{_in_courses('c.page_ptr_id', ids)[0]}"
    )
    params = [
        *course_params,
        *learners_params,
        *review_params,
        first,
        last,
        *course_params,
        *course_params,
        *course_params,
    ]
    return {
        row.pop("course_id"): {
            name: int(value or 0) for name, value in row.items() if name != "course"
        }
        for row in _fetch(sql, params)
    }


def lessons_reached(course) -> list[dict]:
    """Each live lesson of the course in course order (`pk`, `title`) with `reached`: the
    learners (enrollments that give access) who completed it. One query."""
    lessons, lesson_params = (
        live_lessons_of(course).values("pk", "title", "path").query.sql_with_params()
    )
    sql = (
        "SELECT lessons.pk, lessons.title, COALESCE(reached.n, 0) AS reached "
        f"FROM ({lessons}) lessons LEFT JOIN (SELECT x.lesson_id, COUNT(*) AS n FROM {COMPLETION} x "
        f"JOIN {ENROLLMENT} e ON e.id = x.enrollment_id WHERE e.course_id = %s "
        f"AND e.status IN ({_sql_list(Enrollment.ACCESS_STATUSES)}) GROUP BY x.lesson_id) reached "
        "ON reached.lesson_id = lessons.pk ORDER BY lessons.path"
    )
    return _fetch(sql, [*lesson_params, course.pk])


def quiz_rows(course, window: Window) -> list[dict]:
    """Per quiz of the course, the attempts in the window: learners who attempted and who
    passed (distinct), attempts, first attempts and first attempts passed; in course order.
    One query."""
    passed = "CASE WHEN x.passed THEN e.learner_id END"
    first = "CASE WHEN x.number = 1 THEN 1 ELSE 0 END"
    sql = (
        "SELECT x.quiz_id, x.lesson_id, page.title AS lesson_title, "
        "COUNT(DISTINCT e.learner_id) AS learners, "
        f"COUNT(DISTINCT {passed}) AS learners_passed, COUNT(*) AS attempts, "
        f"SUM({first}) AS first_attempts, "
        "SUM(CASE WHEN x.number = 1 AND x.passed THEN 1 ELSE 0 END) AS first_attempt_passes "
        f"FROM {ATTEMPT} x JOIN {ENROLLMENT} e ON e.id = x.enrollment_id "
        f"JOIN {PAGE} page ON page.id = x.lesson_id "
        "WHERE e.course_id = %s AND x.submitted_at >= %s AND x.submitted_at < %s "
        "GROUP BY x.quiz_id, x.lesson_id, page.title, page.path ORDER BY page.path, x.quiz_id"
    )
    return _fetch(sql, [course.pk, _instant(window.start), _instant(window.end)])
