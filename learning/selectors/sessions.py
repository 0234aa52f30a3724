"""Who takes part in a cohort's sessions: its learners with access and the specialist teaching it."""

from django.db.models import Q

from coursepages.selectors import teaching_filter
from learning.models import Cohort, Enrollment


def member_enrollments_of(cohort: Cohort):
    """The enrollments of a cohort that give access now: active or completed, not suspended."""
    return Enrollment.objects.filter(
        cohort=cohort, status__in=Enrollment.ACCESS_STATUSES, suspended_at__isnull=True
    )


def member_enrollment(*, cohort: Cohort, user):
    """The user's enrollment in the cohort if it gives access now, else None."""
    if not user.is_authenticated:
        return None
    return member_enrollments_of(cohort).filter(learner=user).first()


def cohorts_with_sessions_for(user):
    """Cohorts whose sessions the user may see and join: those they learn in (with access)
    and those they teach (all for superusers). Others are 404."""
    if user.is_superuser:
        return Cohort.objects.all()
    if not user.is_authenticated:
        return Cohort.objects.none()
    learns_in = Q(
        pk__in=Enrollment.objects.filter(
            learner=user, status__in=Enrollment.ACCESS_STATUSES, suspended_at__isnull=True
        ).values("cohort")
    )
    return Cohort.objects.filter(learns_in | teaching_filter(user, to_course="course__"))
