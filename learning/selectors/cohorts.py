"""Which cohorts a caller may see."""

from django.db.models import Q

from coursepages.selectors import teaching_filter
from learning.models import Cohort


def open_cohorts_of(course):
    """The cohorts of a course that take enrollments, soonest first."""
    return Cohort.objects.filter(course=course, status=Cohort.Status.OPEN).order_by(
        "starts_on", "pk"
    )


def cohorts_visible_to(user):
    """Open cohorts of published courses for everyone; every cohort of the courses a
    specialist teaches (all of them for superusers). Others are 404, not 403."""
    cohorts = Cohort.objects.all()
    if user.is_superuser:
        return cohorts
    visible = Q(status=Cohort.Status.OPEN, course__listed=True)
    if user.is_authenticated:
        visible |= teaching_filter(user, to_course="course__")
    return cohorts.filter(visible)


def cohorts_managed_by(user):
    """The cohorts a user may manage: those of courses they teach (every one for superusers)."""
    if user.is_superuser:
        return Cohort.objects.all()
    if not user.is_authenticated:
        return Cohort.objects.none()
    return Cohort.objects.filter(teaching_filter(user, to_course="course__"))
