"""A year of learner activity for the benchmark catalog, written in bulk (no services, no
signals): activations, lesson completions, quiz attempts (some passing), assignment
submissions (some graded), course completions, and the ledger rows of each paid enrollment
(a sale with its platform fee and specialist share, some partial refunds with their fee and
share reversals), exactly as `commerce.ledger` writes them.

Each learner's timeline is consistent: activated, then lessons in course order at their own
pace (a quiz attempted just before its lesson is marked complete), then the final
assignment handed in and graded; the course is completed once every quiz is passed and the
assignment passed, never after now."""

import contextlib
import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from bench.bulk import rows_copy
from commerce.ledger import reversed_fee
from commerce.models import CommerceSettings, LedgerEntry, Order, Refund
from commerce.money import split
from learning.models import AssignmentSubmission, Enrollment, LessonCompletion, QuizAttempt

BATCH = 1000
DAY = datetime.timedelta(days=1)
HOUR = datetime.timedelta(hours=1)
MINUTE = datetime.timedelta(minutes=1)
# Of the learners who start, this many aim at the whole course; the rest stop somewhere.
FINISHERS = 0.4
QUIZ_PASSES = 0.92  # a quiz's last attempt passes
ASSIGNMENT_PASSES = 0.85  # a graded submission passes
REFUNDS = 0.05  # paid enrollments partly refunded
FEEDBACK = "Clear and well argued."


@contextlib.contextmanager
def timestamps_as_given(*fields):
    """Inside, these `auto_now_add` fields keep the instant set on each instance: the bulk
    inserts below date rows in the past."""
    for model_field in fields:
        model_field.auto_now_add = False
    try:
        yield
    finally:
        for model_field in fields:
            model_field.auto_now_add = True


# The learner actions' instants are given by default (`default=timezone.now`).
STAMPED = (
    Enrollment._meta.get_field("created_at"),
    Order._meta.get_field("created_at"),
    Refund._meta.get_field("created_at"),
    LedgerEntry._meta.get_field("created_at"),
)


ATTEMPT_COLUMNS = (
    "enrollment_id", "lesson_id", "quiz_id", "number", "questions", "answers", "points",
    "max_points", "score", "pass_mark", "passed", "submitted_at",
)  # fmt: skip
SUBMISSION_COLUMNS = (
    "enrollment_id", "lesson_id", "assignment_id", "assignment_title", "kind", "text", "url",
    "file", "rubric", "pass_mark", "status", "scores", "points", "max_points", "score",
    "feedback", "graded_by_id", "submitted_at", "graded_at",
)  # fmt: skip
LEDGER_COLUMNS = (
    "kind", "amount", "currency", "order_id", "refund_id", "specialist_id", "course_id",
    "external_reference", "created_at",
)  # fmt: skip


@dataclass
class CourseOutline:
    """What the activity needs of a course: its lessons in order, their quizzes and its final
    assignment (block ids), who teaches it and its price in minor units."""

    pk: int
    instructor_id: int
    lessons: list[int]
    quizzes: dict[int, str] = field(default_factory=dict)  # lesson pk → quiz block id
    assignment: tuple[int, str] | None = None  # (lesson pk, assignment block id)
    amount: int = 0
    currency: str = "USD"


@dataclass
class Timeline:
    completions: list = field(default_factory=list)  # (lesson, at)
    attempts: list = field(default_factory=list)  # (lesson, quiz id, number, passed, at)
    submissions: list = field(default_factory=list)  # (status, submitted at, graded at)
    refund: tuple | None = None  # (amount, at)


class Activity:
    """Builds the rows of a learner's year in a course and writes them in bulk."""

    def __init__(self, *, rng: random.Random, days: int, now, quiz_questions, rubric, prefix):
        self.rng, self.days, self.now = rng, days, now
        self.questions = quiz_questions
        self.rubric = rubric
        self.max_points = sum(criterion["max_points"] for criterion in rubric)
        self.prefix = prefix
        self.commission = CommerceSettings.load().commission_percent
        self.serial = 0

    def enrollment(self, learner, course: CourseOutline) -> tuple[Enrollment, Timeline]:
        """An unsaved enrollment activated in the last `days` days, and what the learner has
        done since."""
        rng, now = self.rng, self.now
        activated = now - datetime.timedelta(seconds=rng.uniform(60, self.days * 86400))
        enrollment = Enrollment(
            learner=learner,
            course_id=course.pk,
            status=Enrollment.Status.ACTIVE,
            created_at=activated - 2 * MINUTE,
            activated_at=activated,
        )
        timeline = Timeline()
        pace = rng.uniform(2, 96) * HOUR  # between lessons
        goal = (
            len(course.lessons)
            if rng.random() < FINISHERS
            else rng.randint(0, len(course.lessons) - 1)
        )
        at, quizzes_passed = activated, True
        for lesson in course.lessons[:goal]:
            at += pace * rng.uniform(0.5, 1.5)
            if at >= now:
                break
            if lesson in course.quizzes:
                tries = rng.choices((1, 2, 3), weights=(70, 20, 10))[0]
                passed = rng.random() < QUIZ_PASSES
                quizzes_passed &= passed
                for number in range(1, tries + 1):
                    timeline.attempts.append(
                        (
                            lesson,
                            course.quizzes[lesson],
                            number,
                            passed and number == tries,
                            at - 3 * MINUTE * (tries - number + 1),
                        )
                    )
            timeline.completions.append((lesson, at))
        done = len(timeline.completions) == len(course.lessons)
        if done and course.assignment is not None:
            passed = self.submissions(timeline, at)
            if passed is not None and quizzes_passed:
                enrollment.status = Enrollment.Status.COMPLETED
                enrollment.completed_at = passed + MINUTE
        elif done and quizzes_passed:
            enrollment.status = Enrollment.Status.COMPLETED
            enrollment.completed_at = at + MINUTE
        if course.amount and rng.random() < REFUNDS:
            refunded_at = activated + rng.uniform(1, 20 * 24) * HOUR
            if refunded_at < now:
                share = rng.choice((4, 2))  # a quarter or a half back
                timeline.refund = (course.amount // share, refunded_at)
        return enrollment, timeline

    def submissions(self, timeline: Timeline, after) -> datetime.datetime | None:
        """The final assignment handed in (again after a fail); when it passed, if it did."""
        rng, now = self.rng, self.now
        submitted = after + rng.uniform(1, 24) * HOUR
        while submitted < now:
            graded = submitted + rng.uniform(6, 120) * HOUR
            if graded >= now or rng.random() < 0.1:  # still waiting for the specialist
                timeline.submissions.append(
                    (AssignmentSubmission.Status.SUBMITTED, submitted, None)
                )
                return None
            status = (
                AssignmentSubmission.Status.PASSED
                if rng.random() < ASSIGNMENT_PASSES
                else AssignmentSubmission.Status.FAILED
            )
            timeline.submissions.append((status, submitted, graded))
            if status == AssignmentSubmission.Status.PASSED:
                return graded
            submitted = graded + rng.uniform(12, 72) * HOUR
        return None

    def write(self, rows, courses: dict[int, CourseOutline]) -> dict[str, int]:
        """Insert enrollments and everything they did; `rows` are (enrollment, timeline)."""
        written = dict.fromkeys(
            ("enrollments", "lessons", "attempts", "submissions", "orders", "refunds", "ledger"), 0
        )
        with timestamps_as_given(*STAMPED):
            for start in range(0, len(rows), BATCH):
                batch = rows[start : start + BATCH]
                enrollments = Enrollment.objects.bulk_create([e for e, _ in batch])
                written["enrollments"] += len(enrollments)
                written["lessons"] += rows_copy(
                    LessonCompletion,
                    ("enrollment_id", "lesson_id", "completed_at"),
                    ((e.pk, lesson, at) for e, t in batch for lesson, at in t.completions),
                )
                written["attempts"] += rows_copy(
                    QuizAttempt,
                    ATTEMPT_COLUMNS,
                    (self.attempt(e, *attempt) for e, t in batch for attempt in t.attempts),
                )
                written["submissions"] += rows_copy(
                    AssignmentSubmission,
                    SUBMISSION_COLUMNS,
                    (
                        self.submission(e, courses[e.course_id], *submission)
                        for e, t in batch
                        for submission in t.submissions
                    ),
                )
                paid = [(e, t) for e, t in batch if courses[e.course_id].amount]
                for name, count in self.money(paid, courses).items():
                    written[name] += count
        return written

    def attempt(self, enrollment, lesson, quiz_id, number, passed, at) -> tuple:
        """A row of ATTEMPT_COLUMNS."""
        points = 5 if passed else self.rng.randint(0, 3)
        return (
            enrollment.pk, lesson, quiz_id, number, self.questions, {}, points, 5,
            Decimal(points * 20), 70, passed, at,
        )  # fmt: skip

    def submission(self, enrollment, course, status, submitted, graded) -> tuple:
        """A row of SUBMISSION_COLUMNS."""
        lesson, assignment_id = course.assignment
        scores = points = score = grader = None
        if graded is not None:
            share = 1 if status == AssignmentSubmission.Status.PASSED else 3  # all, or a third
            scores = {c["id"]: c["max_points"] // share for c in self.rubric}
            points = sum(scores.values())
            score = (Decimal(100) * points / self.max_points).quantize(Decimal("0.01"))
            grader = course.instructor_id
        return (
            enrollment.pk, lesson, assignment_id, "Final project", "url", "",
            "https://code.example.com/final-project", "", self.rubric, 60, status, scores,
            points, self.max_points, score, FEEDBACK if graded else "", grader, submitted, graded,
        )  # fmt: skip

    def money(self, paid, courses) -> dict[str, int]:
        """Orders paid at activation, the ledger rows a sale writes, and the partial refunds
        with the rows `commerce.ledger.ledger_record_refund` writes."""
        orders = []
        for enrollment, timeline in paid:
            course = courses[enrollment.course_id]
            fee, share = split(course.amount, self.commission)
            self.serial += 1
            refunded = timeline.refund[0] if timeline.refund else 0
            orders.append(
                Order(
                    enrollment=enrollment,
                    course_id=course.pk,
                    specialist_id=course.instructor_id,
                    status=Order.Status.PARTIALLY_REFUNDED if refunded else Order.Status.PAID,
                    amount=course.amount,
                    currency=course.currency,
                    commission_percent=self.commission,
                    platform_fee=fee,
                    specialist_share=share,
                    refunded_amount=refunded,
                    provider=Order.Provider.DEVELOPMENT,
                    payment_reference=f"bench_pi_{self.prefix}_{self.serial}",
                    created_at=enrollment.created_at,
                    paid_at=enrollment.activated_at,
                )
            )
        Order.objects.bulk_create(orders)
        refunded = [
            (order, timeline)
            for order, (_, timeline) in zip(orders, paid, strict=True)
            if timeline.refund
        ]
        refunds = Refund.objects.bulk_create(
            Refund(
                order=order,
                status=Refund.Status.SUCCEEDED,
                amount=timeline.refund[0],
                reason="Not what I expected.",
                provider_reference=f"bench_re_{order.payment_reference[9:]}",
                created_at=timeline.refund[1],
                decided_at=timeline.refund[1],
                succeeded_at=timeline.refund[1],
            )
            for order, timeline in refunded
        )
        entries = []
        for order in orders:
            reference = order.payment_reference
            for kind, amount in (
                (LedgerEntry.Kind.SALE, order.amount),
                (LedgerEntry.Kind.PLATFORM_FEE, order.platform_fee),
                (LedgerEntry.Kind.SPECIALIST_SHARE, order.specialist_share),
            ):
                entries.append(self.entry(order, None, kind, amount, reference, order.paid_at))
        for refund in refunds:
            order = refund.order
            fee_back = reversed_fee(order, refund.amount)  # the order's only refund
            reference = refund.provider_reference
            for kind, amount in (
                (LedgerEntry.Kind.REFUND, -refund.amount),
                (LedgerEntry.Kind.FEE_REVERSAL, -fee_back),
                (LedgerEntry.Kind.SHARE_REVERSAL, -(refund.amount - fee_back)),
            ):
                entries.append(
                    self.entry(order, refund, kind, amount, reference, refund.created_at)
                )
        ledger = rows_copy(LedgerEntry, LEDGER_COLUMNS, entries)
        return {"orders": len(orders), "refunds": len(refunds), "ledger": ledger}

    def entry(self, order, refund, kind, amount, reference, at) -> tuple:
        """A row of LEDGER_COLUMNS."""
        return (
            kind.value, amount, order.currency, order.pk, refund.pk if refund else None,
            order.specialist_id, order.course_id, f"{reference}:{kind.value}", at,
        )  # fmt: skip
