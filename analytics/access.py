"""Who may read which analytics: a specialist their own courses and cohorts, staff everything."""

from accounts.selectors import user_roles
from coursepages.models import CoursePage
from coursepages.selectors import courses_taught_by
from learning.models import Cohort
from learning.selectors.cohorts import cohorts_managed_by


def courses_analysable_by(user):
    return CoursePage.objects.all() if user.is_staff else courses_taught_by(user)


def cohorts_analysable_by(user):
    return Cohort.objects.all() if user.is_staff else cohorts_managed_by(user)


def may_read_specialist_analytics(user) -> bool:
    return user.is_staff or "specialist" in user_roles(user)


def may_read_platform_analytics(user) -> bool:
    return user.is_staff
