"""Using lessons: who may open one now, touching it for resume, completing it."""

from django.db import transaction

from learning.exceptions import EnrollmentInactive, LessonLocked
from learning.models import Enrollment, LessonCompletion
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


@transaction.atomic
def lesson_complete(*, enrollment: Enrollment, lesson) -> tuple[LessonCompletion, Progress]:
    """Mark a lesson complete and return the progress it makes; doing it again changes nothing."""
    require_open(enrollment=enrollment, lesson=lesson)
    # Completions of one enrollment take turns, so each count sees the ones before it.
    Enrollment.objects.select_for_update().filter(pk=enrollment.pk).first()
    completion = LessonCompletion.objects.filter(enrollment=enrollment, lesson=lesson).first()
    created = completion is None
    if created:  # no race to lose: the lock above lets one completion in at a time
        completion = LessonCompletion.objects.create(enrollment=enrollment, lesson=lesson)
    lesson_touch(enrollment=enrollment, lesson=lesson)
    progress = enrollment_progress(enrollment)
    if created:
        enrollment_complete_if_eligible(enrollment, progress)
    return completion, progress
