"""Learning listens to itself: its events become notifications for the learner, and a
place gained or lost gives or takes the learner's own access to the cohort's meetings.

Receivers run inside the sender's transaction (see `learning.events.announce`): the
notification commits with the change, and its e-mail and the provider calls are queued on
commit.
"""

from django.dispatch import receiver

from learning.events import (
    enrollment_activated,
    enrollment_completed,
    enrollment_refunded,
    submission_graded,
)
from learning.models import Notification
from learning.services.meetings import enrollment_meetings_sync_request
from learning.services.notifications import notify


@receiver(enrollment_activated)
def notify_enrolled(sender, enrollment, **kwargs):
    notify(
        user=enrollment.learner,
        kind=Notification.Kind.ENROLLED,
        title=f"You're enrolled in {enrollment.course.title}",
        body="Your course is ready. Start with the first lesson whenever you like.",
        enrollment=enrollment,
    )


@receiver(submission_graded)
def notify_graded(sender, submission, **kwargs):
    outcome = "passed" if submission.status == "passed" else "did not pass yet"
    notify(
        user=submission.enrollment.learner,
        kind=Notification.Kind.SUBMISSION_GRADED,
        title=f"“{submission.assignment_title}” was graded",
        body=f"You scored {submission.score}% and {outcome}. {submission.feedback}".strip(),
        enrollment=submission.enrollment,
    )


@receiver(enrollment_completed)
def notify_completed(sender, enrollment, **kwargs):
    notify(
        user=enrollment.learner,
        kind=Notification.Kind.COURSE_COMPLETED,
        title=f"You completed {enrollment.course.title}",
        body="Congratulations! You met every criterion of the course.",
        enrollment=enrollment,
    )


@receiver(enrollment_activated)
@receiver(enrollment_refunded)
def sync_meeting_access(sender, enrollment, **kwargs):
    """A learner who gains or loses their place gains or loses their own meeting access."""
    enrollment_meetings_sync_request(enrollment=enrollment, cohort_ids=[enrollment.cohort_id])
