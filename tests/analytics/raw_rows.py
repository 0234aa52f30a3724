"""The raw rows analytics count, put in place at chosen instants, and every figure of
`analytics.definitions` computed again from them in plain Python: a second, independent reading
of the definitions (no analytics code is imported here), for the property tests to hold the
snapshots and the API to."""

import itertools
import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from fractions import Fraction

from commerce.ledger import ledger_record_refund, ledger_record_sale
from commerce.models import LedgerEntry, Order, Refund
from commerce.money import split
from learning.models import AssignmentSubmission, Enrollment, LessonCompletion, QuizAttempt
from learning.services.lessons import last_active_recount

ACCESS = ("active", "completed")
GRANULARITIES = ("day", "week", "month")
EXPONENTS = {"USD": 2, "JPY": 0}  # written out here rather than read from commerce
ADDITIVE = (
    "new_enrollments",
    "completions",
    "lesson_completions",
    "quiz_attempts",
    "quiz_passes",
    "assignment_submissions",
    "assignment_gradings",
)
MONEY_SUMS = (
    "gross",
    "platform_fee",
    "specialist_share",
    "refunds",
    "fee_reversals",
    "share_reversals",
    "sales",
    "refund_count",
)
LEDGER_KIND = {
    "sale": "gross",
    "platform_fee": "platform_fee",
    "specialist_share": "specialist_share",
    "refund": "refunds",
    "fee_reversal": "fee_reversals",
    "share_reversal": "share_reversals",
}
_references = itertools.count(1)


# Building rows -------------------------------------------------------------------------------


def at(day: date, micros: int) -> datetime:
    """The instant `micros` microseconds into the UTC day."""
    return datetime.combine(day, time.min, tzinfo=UTC) + timedelta(microseconds=micros)


def moved(row, **instants):
    """The row with its instants set as given, as stored, as if it had happened then: a learner
    action moves its enrollment's last action with it, as the services keep it."""
    type(row).objects.filter(pk=row.pk).update(**instants)
    row.refresh_from_db()
    if enrollment_id := getattr(row, "enrollment_id", None):
        last_active_recount(Enrollment.objects.filter(pk=enrollment_id))
    return row


def enrollment_make(*, learner, course, status, activated_at=None, completed_at=None):
    enrollment = Enrollment.objects.create(
        learner=learner,
        course=course,
        status=status,
        activated_at=activated_at,
        completed_at=completed_at,
    )
    return enrollment


def lesson_completion_make(enrollment, lesson, instant):
    row = LessonCompletion.objects.create(enrollment=enrollment, lesson=lesson)
    return moved(row, completed_at=instant)


def quiz_attempt_make(enrollment, lesson, *, number, passed, instant):
    points = 3 if passed else 1
    row = QuizAttempt.objects.create(
        enrollment=enrollment,
        lesson=lesson,
        quiz_id="quiz-1",
        number=number,
        questions=[],
        answers={},
        points=points,
        max_points=3,
        score=Decimal(points * 100) / 3,
        pass_mark=60,
        passed=passed,
    )
    return moved(row, submitted_at=instant)


def submission_make(enrollment, lesson, *, status, instant, graded_at=None):
    row = AssignmentSubmission.objects.create(
        enrollment=enrollment,
        lesson=lesson,
        assignment_id="assignment-1",
        assignment_title="Redesign a chart",
        kind="text",
        text="My chart.",
        rubric=[],
        pass_mark=50,
        status=status,
        points=None if status == "submitted" else 10,
        max_points=20,
        graded_at=graded_at,
    )
    return moved(row, submitted_at=instant)


def _ledger_rows_of(rows, instant):
    LedgerEntry.objects.filter(pk__in=[row.pk for row in rows]).update(created_at=instant)


def sale_make(enrollment, *, specialist, amount, currency, instant, commission=Decimal(30)):
    """A paid order and its sale in the ledger, booked at `instant`, as a payment writes it."""
    fee, share = split(amount, commission)
    order = Order.objects.create(
        enrollment=enrollment,
        course=enrollment.course,
        specialist=specialist,
        status=Order.Status.PAID,
        amount=amount,
        currency=currency,
        commission_percent=commission,
        platform_fee=fee,
        specialist_share=share,
        provider=Order.Provider.DEVELOPMENT,
        payment_reference=f"pi_test_{next(_references)}",
        paid_at=instant,
    )
    before = set(order.ledger_entries.values_list("pk", flat=True))
    ledger_record_sale(order)
    _ledger_rows_of(order.ledger_entries.exclude(pk__in=before), instant)
    return order


def refund_make(order, *, amount, instant):
    """A succeeded (partial) refund of the order and its three ledger rows, booked at
    `instant`, as a refund writes them."""
    order.refunded_amount += amount
    order.status = (
        Order.Status.REFUNDED if order.refunded_amount == order.amount else "partially_refunded"
    )
    order.save(update_fields=["refunded_amount", "status"])
    refund = Refund.objects.create(
        order=order,
        status=Refund.Status.SUCCEEDED,
        amount=amount,
        provider_reference=f"re_test_{next(_references)}",
        succeeded_at=instant,
    )
    ledger_record_refund(order, refund)
    _ledger_rows_of(refund.ledger_entries.all(), instant)
    return refund


# Reading them back ---------------------------------------------------------------------------


def day_of(instant: datetime) -> date:
    return instant.astimezone(UTC).date()


@dataclass
class Raw:
    """Every row the figures are counted from, as stored."""

    enrollments: dict[int, dict]
    lessons: list[dict]
    attempts: list[dict]
    submissions: list[dict]
    ledger: list[dict]
    live_lessons: dict[int, list[int]]  # course → its live lessons, in course order

    @classmethod
    def load(cls, live_lessons):
        enrollments = {
            row["id"]: row
            for row in Enrollment.objects.values(
                "id", "learner_id", "course_id", "status", "activated_at", "completed_at"
            )
        }
        return cls(
            enrollments=enrollments,
            lessons=list(
                LessonCompletion.objects.values("enrollment_id", "lesson_id", "completed_at")
            ),
            attempts=list(
                QuizAttempt.objects.values(
                    "enrollment_id", "quiz_id", "lesson_id", "number", "passed", "submitted_at"
                )
            ),
            submissions=list(
                AssignmentSubmission.objects.values(
                    "enrollment_id", "status", "submitted_at", "graded_at"
                )
            ),
            ledger=list(
                LedgerEntry.objects.values(
                    "course_id", "specialist_id", "kind", "amount", "currency", "created_at"
                )
            ),
            live_lessons=live_lessons,
        )

    def actions(self):
        """(course, learner, instant) of every lesson completion, quiz attempt and submission."""
        for rows, instant in (
            (self.lessons, "completed_at"),
            (self.attempts, "submitted_at"),
            (self.submissions, "submitted_at"),
        ):
            for row in rows:
                enrollment = self.enrollments[row["enrollment_id"]]
                yield enrollment["course_id"], enrollment["learner_id"], row[instant]

    def course_of(self, row):
        return self.enrollments[row["enrollment_id"]]["course_id"]

    def learner_of(self, row):
        return self.enrollments[row["enrollment_id"]]["learner_id"]


# The figures ---------------------------------------------------------------------------------


def percent(numerator, denominator) -> Decimal | None:
    """Percent with one decimal, halves up, from exact fractions; None over nothing."""
    if not denominator:
        return None
    tenths = math.floor(Fraction(1000 * numerator, denominator) + Fraction(1, 2))
    return Decimal(tenths) / 10


def as_json(value: Decimal | None):
    """A rate as the API's JSON carries it."""
    return None if value is None else float(value)


def amount_text(amount: int, currency: str) -> str:
    """Minor units as a decimal string in the currency's own decimals: 747500 USD → 7475.00."""
    exponent = EXPONENTS[currency]
    sign = "-" if amount < 0 else ""
    whole, fraction = divmod(abs(int(amount)), 10**exponent)
    return f"{sign}{whole}.{fraction:0{exponent}d}" if exponent else f"{sign}{whole}"


def daily_stats(raw: Raw) -> dict[tuple[int, date], dict[str, int]]:
    """{(course, day): counts} for every course and day with something in it."""
    counts = defaultdict(Counter)
    active = defaultdict(set)
    for enrollment in raw.enrollments.values():
        course = enrollment["course_id"]
        if enrollment["activated_at"] is not None:
            counts[(course, day_of(enrollment["activated_at"]))]["new_enrollments"] += 1
        if enrollment["completed_at"] is not None:
            counts[(course, day_of(enrollment["completed_at"]))]["completions"] += 1
    for row in raw.lessons:
        counts[(raw.course_of(row), day_of(row["completed_at"]))]["lesson_completions"] += 1
    for row in raw.attempts:
        key = (raw.course_of(row), day_of(row["submitted_at"]))
        counts[key]["quiz_attempts"] += 1
        counts[key]["quiz_passes"] += row["passed"]
    for row in raw.submissions:
        counts[(raw.course_of(row), day_of(row["submitted_at"]))]["assignment_submissions"] += 1
        if row["graded_at"] is not None:
            counts[(raw.course_of(row), day_of(row["graded_at"]))]["assignment_gradings"] += 1
    for course, learner, instant in raw.actions():
        active[(course, day_of(instant))].add(learner)
    return {
        key: {**{field: counter[field] for field in ADDITIVE}, "active_learners": len(active[key])}
        for key, counter in counts.items()
    }


def daily_revenue(raw: Raw) -> dict[tuple[int, int, date, str], dict[str, int]]:
    """{(course, specialist, day, currency): positive sums and counts} of the ledger."""
    sums = defaultdict(lambda: dict.fromkeys(MONEY_SUMS, 0))
    for row in raw.ledger:
        if row["course_id"] is None or row["kind"] not in LEDGER_KIND:
            continue
        key = (row["course_id"], row["specialist_id"], day_of(row["created_at"]), row["currency"])
        sums[key][LEDGER_KIND[row["kind"]]] += abs(row["amount"])
        sums[key]["sales"] += row["kind"] == "sale"
        sums[key]["refund_count"] += row["kind"] == "refund"
    return dict(sums)


@dataclass(frozen=True)
class Days:
    first: date
    last: date

    def __contains__(self, day):
        return self.first <= day <= self.last

    @property
    def length(self):
        return (self.last - self.first).days + 1

    def previous(self):
        return Days(self.first - timedelta(self.length), self.first - timedelta(1))

    def each(self):
        return [self.first + timedelta(n) for n in range(self.length)]


def activity(raw: Raw, courses, days: Days) -> dict[str, int]:
    """The additive counts over the days in the courses, and the distinct active learners."""
    totals = dict.fromkeys(ADDITIVE, 0)
    for (course, day), counts in daily_stats(raw).items():
        if course in courses and day in days:
            for field in ADDITIVE:
                totals[field] += counts[field]
    totals["active_learners"] = len(
        {
            learner
            for course, learner, instant in raw.actions()
            if course in courses and day_of(instant) in days
        }
    )
    return totals


def _enrolled(raw, course, days):
    return [
        e
        for e in raw.enrollments.values()
        if e["course_id"] == course
        and e["status"] in ACCESS
        and e["activated_at"] is not None
        and day_of(e["activated_at"]) in days
    ]


def _started(raw, enrollment_ids):
    return {row["enrollment_id"] for row in raw.lessons} & set(enrollment_ids)


def course_period(raw: Raw, course: int, days: Days) -> dict:
    """The course's totals over the days, rates included."""
    figures = activity(raw, {course}, days)
    enrolled = _enrolled(raw, course, days)
    ids = [e["id"] for e in enrolled]
    completed = {e["id"] for e in enrolled if e["status"] == "completed"}
    started = _started(raw, ids)
    tried = defaultdict(bool)
    for row in raw.attempts:
        if raw.course_of(row) == course and day_of(row["submitted_at"]) in days:
            tried[raw.learner_of(row)] |= row["passed"]
    return {
        **figures,
        "enrolled": len(enrolled),
        "new_reviews": 0,
        "completion_rate": percent(len(completed), len(enrolled)),
        # Of those who started, the share who completed.
        "completion_rate_of_starters": percent(len(completed & started), len(started)),
        "quiz_pass_rate": percent(sum(tried.values()), len(tried)),
    }


def at_risk(raw: Raw, course: int, now: datetime) -> set[int]:
    """Active enrollments with an action, none after `now` − 7 days."""
    last = {}
    for rows, instant in (
        (raw.lessons, "completed_at"),
        (raw.attempts, "submitted_at"),
        (raw.submissions, "submitted_at"),
    ):
        for row in rows:
            enrollment = row["enrollment_id"]
            last[enrollment] = max(last.get(enrollment, row[instant]), row[instant])
    return {
        e["id"]
        for e in raw.enrollments.values()
        if e["course_id"] == course
        and e["status"] == "active"
        and e["id"] in last
        and last[e["id"]] <= now - timedelta(days=7)
    }


def learners_block(raw: Raw, course: int, now: datetime) -> dict:
    """The course as it is now."""
    learners = [
        e for e in raw.enrollments.values() if e["course_id"] == course and e["status"] in ACCESS
    ]
    ids = {e["id"] for e in learners}
    completed = {e["id"] for e in learners if e["status"] == "completed"}
    started = _started(raw, ids)
    live = raw.live_lessons[course]
    done = sum(1 for row in raw.lessons if row["enrollment_id"] in ids and row["lesson_id"] in live)
    return {
        "learners": len(learners),
        "completed": len(completed),
        "started": len(started),
        "completion_rate": as_json(percent(len(completed), len(learners))),
        "completion_rate_of_starters": as_json(percent(len(completed & started), len(started))),
        "average_progress": as_json(percent(done, len(learners) * len(live))),
        "at_risk": len(at_risk(raw, course, now)),
    }


def waiting(raw: Raw, course: int) -> int:
    return sum(
        1
        for row in raw.submissions
        if raw.course_of(row) == course and row["status"] == "submitted"
    )


def bucket_of(day: date, granularity: str) -> date:
    if granularity == "week":
        return day - timedelta(days=day.weekday())
    if granularity == "month":
        return day.replace(day=1)
    return day


def series(raw: Raw, course: int, days: Days, granularity: str) -> list[dict]:
    """One bucket per day, ISO week or month touching the days; counts of the days inside."""
    starts = sorted({bucket_of(day, granularity) for day in days.each()})
    rows = []
    for start in starts:
        inside = [day for day in days.each() if bucket_of(day, granularity) == start]
        figures = activity(raw, {course}, Days(inside[0], inside[-1]))
        rows.append({"period_start": start.isoformat(), **figures})
    return rows


def money_sums(raw: Raw, courses, days: Days) -> dict[str, dict[str, int]]:
    """{currency: sums} of the ledger rows booked on the days."""
    sums = defaultdict(lambda: dict.fromkeys(MONEY_SUMS, 0))
    for (course, _specialist, day, currency), row in daily_revenue(raw).items():
        if course in courses and day in days:
            for field in MONEY_SUMS:
                sums[currency][field] += row[field]
    return sums


def money_json(sums: dict[str, int], currency: str) -> dict:
    fees = sums["platform_fee"] - sums["fee_reversals"]
    net = sums["specialist_share"] - sums["share_reversals"]
    assert sums["gross"] - sums["refunds"] == fees + net  # the ledger adds up
    return {
        "currency": currency,
        "gross": amount_text(sums["gross"], currency),
        "refunds": amount_text(sums["refunds"], currency),
        "fees": amount_text(fees, currency),
        "net": amount_text(net, currency),
        "sales": sums["sales"],
        "refund_count": sums["refund_count"],
        "refund_rate": as_json(percent(sums["refund_count"], sums["sales"])),
    }


def revenue(raw: Raw, courses, days: Days) -> list[dict]:
    """Per currency booked in the window or the previous period, with the previous period."""
    current, previous = money_sums(raw, courses, days), money_sums(raw, courses, days.previous())
    zero = dict.fromkeys(MONEY_SUMS, 0)
    return [
        {
            **money_json(current.get(currency, zero), currency),
            "previous": money_json(previous.get(currency, zero), currency),
        }
        for currency in sorted(set(current) | set(previous))
    ]


def revenue_series(raw: Raw, course: int, days: Days, granularity: str) -> list[dict]:
    """Per bucket and currency with ledger rows in the window."""
    sums = defaultdict(lambda: dict.fromkeys(MONEY_SUMS, 0))
    for (row_course, _specialist, day, currency), row in daily_revenue(raw).items():
        if row_course == course and day in days:
            for field in MONEY_SUMS:
                sums[(bucket_of(day, granularity), currency)][field] += row[field]
    return [
        {"period_start": start.isoformat(), **money_json(row, currency)}
        for (start, currency), row in sorted(sums.items())
    ]


def compared(current: dict, previous: dict, fields) -> dict:
    def json(value):
        return as_json(value) if isinstance(value, Decimal) or value is None else value

    return {
        field: {"value": json(current[field]), "previous": json(previous[field])}
        for field in fields
    }


def new_learners(raw: Raw, days: Days) -> int:
    """Learners whose first activated enrollment was activated on the days."""
    first = {}
    for e in raw.enrollments.values():
        if e["activated_at"] is not None:
            learner = e["learner_id"]
            first[learner] = min(first.get(learner, e["activated_at"]), e["activated_at"])
    return sum(1 for instant in first.values() if day_of(instant) in days)


def funnel(raw: Raw, course: int) -> dict:
    """Current learners who completed each live lesson, and the drop from the lesson before."""
    learners = {
        e["id"]
        for e in raw.enrollments.values()
        if e["course_id"] == course and e["status"] in ACCESS
    }
    lessons, steepest, steepest_drop = [], None, Decimal(0)
    for position, lesson in enumerate(raw.live_lessons[course], start=1):
        reached = sum(
            1
            for row in raw.lessons
            if row["lesson_id"] == lesson and row["enrollment_id"] in learners
        )
        drop = None
        if position > 1:
            before = lessons[-1]["reached"]
            drop = percent(before - reached, before)
            if drop is not None and drop > steepest_drop:
                steepest, steepest_drop = lesson, drop
        lessons.append(
            {"lesson": lesson, "position": position, "reached": reached, "drop_off": as_json(drop)}
        )
    return {"lessons": lessons, "steepest_drop_lesson": steepest}


def quizzes(raw: Raw, course: int, days: Days) -> list[dict]:
    """Per quiz, the attempts in the window."""
    by_quiz = defaultdict(list)
    for row in raw.attempts:
        if raw.course_of(row) == course and day_of(row["submitted_at"]) in days:
            by_quiz[(row["lesson_id"], row["quiz_id"])].append(row)
    figures = []
    for (lesson, quiz), rows in sorted(by_quiz.items()):
        learners = {raw.learner_of(row) for row in rows}
        passed = {raw.learner_of(row) for row in rows if row["passed"]}
        firsts = [row for row in rows if row["number"] == 1]
        figures.append(
            {
                "quiz_id": quiz,
                "lesson": lesson,
                "learners": len(learners),
                "learners_passed": len(passed),
                "pass_rate": as_json(percent(len(passed), len(learners))),
                "attempts": len(rows),
                "first_attempt_pass_rate": as_json(
                    percent(sum(row["passed"] for row in firsts), len(firsts))
                ),
            }
        )
    return figures


def revenue_ranked(raw: Raw, days: Days, by: str, top: int = 10) -> list[dict]:
    """Per course (`by` "course_id") or specialist, per currency, the top by gross."""
    sums = defaultdict(lambda: dict.fromkeys(MONEY_SUMS, 0))
    for (course, specialist, day, currency), row in daily_revenue(raw).items():
        if day in days:
            key = course if by == "course_id" else specialist
            for field in MONEY_SUMS:
                sums[(key, currency)][field] += row[field]
    ranked = sorted(sums.items(), key=lambda item: (item[0][1], -item[1]["gross"], item[0][0]))
    rows, counted = [], Counter()
    for (key, currency), row in ranked:
        counted[currency] += 1
        if counted[currency] <= top:
            rows.append({by: key, **money_json(row, currency)})
    return rows
