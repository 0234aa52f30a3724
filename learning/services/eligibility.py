"""Completing an enrollment: when every certificate criterion holds, once."""

from dataclasses import asdict

from django.db import transaction
from django.utils import timezone

from learning.events import announce, enrollment_completed
from learning.models import Enrollment
from learning.selectors.eligibility import eligibility
from learning.selectors.progress import Progress, enrollment_progress


def enrollment_complete_if_eligible(enrollment, progress: Progress | None = None):
    """After a learner's step (a lesson, a quiz, a grade), complete the enrollment if every
    criterion now holds. Lessons are checked first: the cheapest count, and usually unmet."""
    if enrollment.status != Enrollment.Status.ACTIVE:
        return
    progress = progress or enrollment_progress(enrollment)
    if progress.percent >= enrollment.course.certificate_min_lessons_percent:
        enrollment_check_completion(enrollment, progress)


@transaction.atomic
def enrollment_check_completion(enrollment, progress: Progress | None = None):
    """Complete an active enrollment whose criteria all hold, once, and announce it.

    `progress` saves a count when the caller has just made it under the same row lock.
    """
    # Only the enrollment's row: locking the course too would make checks of one course's
    # learners (a cohort's end, a grade, a correction) wait on each other and deadlock.
    enrollment = (
        Enrollment.objects.select_for_update(of=("self",))
        .select_related("course")
        .get(pk=enrollment.pk)
    )
    eligible, criteria = eligibility(enrollment, progress)
    if eligible and enrollment.status == Enrollment.Status.ACTIVE:
        enrollment.status = Enrollment.Status.COMPLETED
        enrollment.completed_at = timezone.now()
        enrollment.save(update_fields=["status", "completed_at"])
        announce(enrollment_completed, sender=Enrollment, enrollment=enrollment)
    return enrollment, eligible, [asdict(criterion) for criterion in criteria]
