from django.shortcuts import get_object_or_404

from coursepages.selectors import teaching_filter
from learning.models import AssignmentSubmission, Enrollment


def submissions_for_grader(user):
    """Submissions to courses the user teaches (all of them for superusers)."""
    submissions = AssignmentSubmission.objects.select_related(
        "enrollment__learner", "enrollment__course", "lesson"
    )
    if user.is_superuser:
        return submissions
    return submissions.filter(teaching_filter(user, to_course="enrollment__course__"))


def enrollment_of_learner(*, learner, pk):
    """The learner's own enrollment, with its course; anyone else's is a 404, not a 403."""
    return get_object_or_404(Enrollment.objects.select_related("course"), pk=pk, learner=learner)
