"""Learning listens to itself: its events become notifications for the learner, and a
place gained or lost gives or takes the learner's own access to the cohort's meetings.

Receivers run inside the sender's transaction (see `learning.events.announce`): the
notification commits with the change, and its e-mail and the provider calls are queued on
commit.
"""

from django.db import transaction
from django.db.models import Q
from django.dispatch import receiver

from accounts.events import account_closed
from accounts.exceptions import AccountCannotClose
from coursepages.models import CoursePage
from learning.events import (
    enrollment_activated,
    enrollment_completed,
    enrollment_refunded,
    submission_graded,
)
from learning.models import (
    AssignmentSubmission,
    CalendarFeedKey,
    CourseReview,
    Notification,
    SessionReminder,
    WaitlistEntry,
)
from learning.services.meetings import enrollment_meetings_sync_request
from learning.services.notifications import notify
from learning.services.reviews import course_rating_recount


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


@receiver(account_closed)
def erase_learner_data(sender, user, **kwargs):
    """What learning keeps of a closing account: enrollments, progress, attempts and
    attendance stay (certificates and orders rest on them; nothing in them names the person);
    reviews, notifications, handed-in work, reminders, a waiting place and the calendar feed
    go. Someone who teaches is refused: their courses need another instructor first."""
    if CoursePage.objects.filter(Q(instructor=user) | Q(owner=user)).exists():
        raise AccountCannotClose(
            "You teach or own courses: ask an operator to hand them to someone else first."
        )
    reviewed = list(CourseReview.objects.filter(learner=user).values_list("course_id", flat=True))
    CourseReview.objects.filter(learner=user).delete()
    for course_id in reviewed:
        course_rating_recount(course_id)
    Notification.objects.filter(user=user).delete()
    SessionReminder.objects.filter(learner=user).delete()
    CalendarFeedKey.objects.filter(user=user).delete()
    WaitlistEntry.objects.filter(learner=user, status=WaitlistEntry.Status.WAITING).delete()
    work = AssignmentSubmission.objects.filter(enrollment__learner=user)
    files = list(work.exclude(file="").values_list("file", flat=True))
    work.update(text="", url="", file="")
    transaction.on_commit(lambda: _files_delete(files))


def _files_delete(names):
    storage = AssignmentSubmission._meta.get_field("file").storage
    for name in names:
        storage.delete(name)
