"""Learning's rules, one module per concept, for API views, admin views, tasks and tests alike."""

from learning.services.assignments import assignment_submit, submission_grade
from learning.services.cohort_editing import cohort_create, cohort_update
from learning.services.cohorts import (
    cohort_capacity_set,
    cohort_require_enrollable,
    cohort_seat_release,
    cohort_seat_take,
)
from learning.services.eligibility import (
    enrollment_check_completion,
    enrollment_complete_if_eligible,
)
from learning.services.enrollments import (
    enrollment_activate_paid,
    enrollment_create,
    enrollment_refund,
    enrollment_reinstate,
    enrollment_suspend,
)
from learning.services.lessons import lesson_complete, lesson_touch, require_access, require_open
from learning.services.notifications import notification_mark_read, notify
from learning.services.quizzes import quiz_attempt_submit
from learning.services.reviews import review_save

__all__ = [
    "assignment_submit",
    "cohort_capacity_set",
    "cohort_create",
    "cohort_require_enrollable",
    "cohort_seat_release",
    "cohort_seat_take",
    "cohort_update",
    "enrollment_activate_paid",
    "enrollment_check_completion",
    "enrollment_complete_if_eligible",
    "enrollment_create",
    "enrollment_refund",
    "enrollment_reinstate",
    "enrollment_suspend",
    "lesson_complete",
    "lesson_touch",
    "notification_mark_read",
    "notify",
    "quiz_attempt_submit",
    "require_access",
    "require_open",
    "review_save",
    "submission_grade",
]
