"""Whose enrollment is whose."""

from django.shortcuts import get_object_or_404

from learning.models import Enrollment


def enrollment_of_learner(*, learner, pk):
    """The learner's own enrollment, with its course; anyone else's is a 404, not a 403."""
    return get_object_or_404(Enrollment.objects.select_related("course"), pk=pk, learner=learner)
