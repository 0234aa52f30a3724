"""Who sees which handed-in work."""

from coursepages.selectors import teaching_filter
from learning.models import AssignmentSubmission


def submissions_for_grader(user):
    """Submissions to courses the user teaches (all of them for superusers)."""
    submissions = AssignmentSubmission.objects.select_related(
        "enrollment__learner", "enrollment__course", "lesson"
    )
    if user.is_superuser:
        return submissions
    return submissions.filter(teaching_filter(user, to_course="enrollment__course__"))
