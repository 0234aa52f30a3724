"""Turn learning events into notifications for the learner, each also e-mailed by a task."""

from django.db import transaction
from django.dispatch import receiver

from learning.events import enrollment_activated, enrollment_completed, submission_graded
from learning.models import Notification
from learning.tasks import send_notification_email


def notify(*, user, kind, title, body, enrollment=None, link=""):
    """Create a dashboard notification and queue its e-mail once the row is committed."""
    notification = Notification.objects.create(
        user=user, kind=kind, title=title, body=body, enrollment=enrollment, link=link
    )
    transaction.on_commit(lambda: send_notification_email.delay(notification.pk))
    return notification


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
