"""Using lessons: who may open one now, touching it for resume, completing it; and what every
learner action (a completion, a quiz attempt, a submission) records on the enrollment."""

from datetime import datetime

from django.db import transaction
from django.db.models import Case, Exists, F, Max, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from learning.exceptions import EnrollmentInactive, LessonLocked
from learning.models import AssignmentSubmission, Enrollment, LessonCompletion, QuizAttempt
from learning.selectors.lessons import lesson_opens_at
from learning.selectors.progress import Progress, enrollment_progress
from learning.services.eligibility import enrollment_complete_if_eligible


def require_access(enrollment: Enrollment):
    """Refuse an enrollment that gives no access now: unpaid, ended or suspended."""
    if enrollment.suspended_at is not None:
        raise EnrollmentInactive("Access is paused while a payment for it is disputed.")
    if not enrollment.grants_access:
        raise EnrollmentInactive(
            "This enrollment does not give access yet: complete the payment first."
        )


def require_open(*, enrollment: Enrollment, lesson):
    """Refuse lessons the enrollment may not use yet: before payment, or before their drip date."""
    require_access(enrollment)
    if opens_at := lesson_opens_at(enrollment=enrollment, lesson=lesson):
        raise LessonLocked(opens_at)


def lesson_touch(*, enrollment: Enrollment, lesson):
    """Remember the lesson the learner opened last, for resume."""
    if enrollment.last_lesson_id != lesson.pk:
        Enrollment.objects.filter(pk=enrollment.pk).update(last_lesson=lesson)
        enrollment.last_lesson = lesson


def enrollment_act(*, enrollment: Enrollment, lesson, at: datetime, unless=None):
    """Record on the enrollment that its learner acted in `lesson` at `at`: the lesson to
    resume, and the last action analytics read (at-risk learners). The UPDATE also locks the
    enrollment's row until the transaction ends, so its actions take turns. `unless` (a
    queryset) leaves the last action as it is when it has a row: the action was done before."""
    acted = Greatest(Coalesce(F("last_active_at"), Value(at)), at)
    if unless is not None:
        acted = Case(When(Exists(unless), then=F("last_active_at")), default=acted)
    Enrollment.objects.filter(pk=enrollment.pk).update(last_lesson=lesson, last_active_at=acted)
    enrollment.last_lesson = lesson  # `last_active_at` is for analytics, read from the row


ACTIONS = (
    (LessonCompletion, "completed_at"),
    (QuizAttempt, "submitted_at"),
    (AssignmentSubmission, "submitted_at"),
)


def last_active_recount(enrollments) -> int:
    """Set each enrollment's last action from its rows, for rows written or moved in bulk (the
    benchmark's seed, a test placing actions in time); returns how many were updated."""
    lasts = [
        Subquery(
            model.objects.filter(enrollment=OuterRef("pk"))
            .order_by()
            .values("enrollment")
            .annotate(last=Max(instant))
            .values("last")
        )
        for model, instant in ACTIONS
    ]
    # Each argument non-null when any last is: GREATEST with a NULL is NULL on SQLite.
    rotations = [Coalesce(*lasts[i:], *lasts[:i]) for i in range(len(lasts))]
    return enrollments.update(last_active_at=Greatest(*rotations))


@transaction.atomic
def lesson_complete(*, enrollment: Enrollment, lesson) -> tuple[LessonCompletion, Progress]:
    """Mark a lesson complete and return the progress it makes; doing it again changes nothing."""
    require_open(enrollment=enrollment, lesson=lesson)
    now = timezone.now()
    done = LessonCompletion.objects.filter(enrollment=enrollment, lesson=lesson)
    # Completions of one enrollment take turns, so each count sees the ones before it.
    enrollment_act(enrollment=enrollment, lesson=lesson, at=now, unless=done)
    completion = done.first()
    created = completion is None
    if created:
        completion = LessonCompletion.objects.create(
            enrollment=enrollment, lesson=lesson, completed_at=now
        )
    progress = enrollment_progress(enrollment)
    if created:
        enrollment_complete_if_eligible(enrollment, progress)
    return completion, progress
