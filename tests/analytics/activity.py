"""Learners doing things in a course, through the services (`raw_rows.moved` places them in
time)."""

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
