"""The demo's past: the seed runs every service now, so its activity is moved back to when it
would have happened over the last two months, and the daily analytics snapshots are rebuilt
for those days, so the specialist's analytics show a shape over time at first login.

Each learner's timeline stays in order: paid and activated before their batch began, each
lesson (and the quiz or assignment in it) done after the live session it follows, graded the
next morning. Course completions keep their date (today, when the batch was completed), and
so do the certificates issued with them: their PDFs and signed credentials state it."""

import datetime

from django.db import transaction

from analytics.definitions import utc_today
from analytics.snapshots import days_between, snapshot_days
from commerce.models import LedgerEntry, Order
from coursepages.models import LessonPage
from learning.models import (
    AssignmentSubmission,
    Cohort,
    Enrollment,
    LessonCompletion,
    QuizAttempt,
)
from learning.services.lessons import last_active_recount

DAY = datetime.timedelta(days=1)
HOUR = datetime.timedelta(hours=1)
MINUTE = datetime.timedelta(minutes=1)


def _learners(batch):
    return list(
        Enrollment.objects.filter(cohort=batch)
        .select_related("learner")
        .order_by("learner__username")
    )


def _paid(enrollment, activated):
    """The seat paid for, and so activated, at `activated`."""
    Enrollment.objects.filter(pk=enrollment.pk).update(
        created_at=activated - 10 * MINUTE, activated_at=activated
    )
    orders = Order.objects.filter(enrollment=enrollment)
    orders.update(created_at=activated - 8 * MINUTE, paid_at=activated)
    LedgerEntry.objects.filter(order__in=orders, refund=None).update(created_at=activated)


@transaction.atomic
def demo_history_spread(finished: Cohort) -> datetime.date:
    """Date the finished batch's and the running batch's seats and coursework as they would
    have happened; returns the first day touched."""
    sessions = list(finished.sessions.order_by("starts_at"))
    first = sessions[0].starts_at
    lessons = list(LessonPage.objects.descendant_of(finished.course).live().order_by("path"))
    # After every second session (one a week), the week's lesson, in course order.
    lesson_done = {
        lesson.pk: sessions[min(2 * number + 1, len(sessions) - 1)].starts_at + 2 * HOUR
        for number, lesson in enumerate(lessons)
    }
    earliest = first
    for number, enrollment in enumerate(_learners(finished)):
        activated = first - (24 - 5 * number) * DAY + 3 * HOUR  # the weeks before it began
        earliest = min(earliest, activated)
        _paid(enrollment, activated)
        late = number * 7 * MINUTE
        for lesson, at in lesson_done.items():
            rows = {"enrollment": enrollment, "lesson_id": lesson}
            LessonCompletion.objects.filter(**rows).update(completed_at=at + late)
            QuizAttempt.objects.filter(**rows).update(submitted_at=at + late - 15 * MINUTE)
            submissions = AssignmentSubmission.objects.filter(**rows)
            submissions.update(submitted_at=at + late - 15 * MINUTE)
            # Graded the next morning.
            submissions.filter(graded_at__isnull=False).update(graded_at=at + 12 * HOUR)
    last_active_recount(Enrollment.objects.filter(cohort=finished))
    running = Cohort.objects.filter(course=finished.course, name="Batch 4").first()
    if running is not None:
        starts = running.sessions.order_by("starts_at").first().starts_at
        for number, enrollment in enumerate(_learners(running)):
            _paid(enrollment, starts - (12 - 5 * number) * DAY + 5 * HOUR)
    return earliest.date()


def demo_snapshots_rebuild(first: datetime.date):
    """The daily snapshots of every day from `first` to today, rebuilt from the raw rows."""
    return snapshot_days(days_between(first, utc_today()))
