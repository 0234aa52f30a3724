"""Reads that several callers share: progress, lessons, results, eligibility, grading queues."""

from learning.selectors.cohorts import cohorts_managed_by, cohorts_visible_to, open_cohorts_of
from learning.selectors.eligibility import Criterion, course_assessments, eligibility
from learning.selectors.enrollments import enrollment_of_learner
from learning.selectors.lessons import lesson_opens_at, lesson_to_resume, lesson_with_block
from learning.selectors.progress import (
    COURSE_PATH_LENGTH,
    MODULE_PATH_LENGTH,
    Progress,
    completed_counts,
    enrollment_progress,
    lesson_totals,
    live_lessons,
    live_lessons_of,
    percent,
)
from learning.selectors.results import assignment_results, quiz_results
from learning.selectors.submissions import submissions_for_grader
from learning.selectors.waitlist import waitlist_position

__all__ = [
    "COURSE_PATH_LENGTH",
    "MODULE_PATH_LENGTH",
    "Criterion",
    "Progress",
    "assignment_results",
    "cohorts_managed_by",
    "cohorts_visible_to",
    "completed_counts",
    "course_assessments",
    "eligibility",
    "enrollment_of_learner",
    "enrollment_progress",
    "lesson_opens_at",
    "lesson_to_resume",
    "lesson_totals",
    "lesson_with_block",
    "live_lessons",
    "live_lessons_of",
    "open_cohorts_of",
    "percent",
    "quiz_results",
    "submissions_for_grader",
    "waitlist_position",
]
