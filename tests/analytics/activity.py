"""Learners doing things in a course, through the services, then placed in time: the rows'
instants are `auto_now_add`, so a test moves them to the instant it needs."""

from learning.selectors.progress import live_lessons_of
from learning.services import enrollment_create
from learning.services.lessons import lesson_complete


def enroll(learner, course):
    """An enrollment of a free course: active at once."""
    return enrollment_create(learner=learner, course=course)


def touch_lesson(enrollment, position):
    """The learner completes the course's lesson at `position` (0 is the first)."""
    completion, _ = lesson_complete(
        enrollment=enrollment, lesson=live_lessons_of(enrollment.course)[position]
    )
    return completion


def at_instant(row, **instants):
    """Move the row's timestamps to the given instants; returns the row as stored."""
    type(row).objects.filter(pk=row.pk).update(**instants)
    row.refresh_from_db()
    return row
