"""Which sessions a calendar feed carries, and who may read a cohort's feed."""

import datetime

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from coursepages.selectors import teaching_filter
from learning.models import Cohort, CohortSession, Enrollment

# Cancelled sessions leave the feeds this long after their cohort ends.
CANCELLED_KEPT_AFTER_END = datetime.timedelta(days=30)


def calendar_feed_holder(*, user_id: int, generation: int):
    """The active user a token names, if the token is of their current generation."""
    return (
        get_user_model()
        .objects.filter(pk=user_id, is_active=True)
        .annotate(feed_generation=Coalesce("calendar_feed_key__generation", 0))
        .filter(feed_generation=generation)
        .first()
    )


def learning_cohort_ids(user):
    """The cohorts the user learns in with access now: active or completed, not suspended."""
    return Enrollment.objects.filter(
        learner=user,
        cohort__isnull=False,
        status__in=Enrollment.ACCESS_STATUSES,
        suspended_at__isnull=True,
    ).values("cohort")


def my_calendar_cohorts(user):
    """The cohorts of a user's own feed: those they learn in and those they teach."""
    return Cohort.objects.filter(
        Q(pk__in=learning_cohort_ids(user)) | teaching_filter(user, to_course="course__")
    )


def feed_sessions(cohorts, *, today=None):
    """The sessions of these cohorts a feed shows, soonest first: all scheduled ones, and the
    cancelled ones until 30 days after their cohort ends."""
    today = today or timezone.now().date()
    return (
        CohortSession.objects.filter(cohort__in=cohorts)
        .filter(
            Q(status=CohortSession.Status.SCHEDULED)
            | Q(cohort__ends_on__gte=today - CANCELLED_KEPT_AFTER_END)
        )
        .select_related("cohort__course")
        .order_by("starts_at", "pk")
    )
