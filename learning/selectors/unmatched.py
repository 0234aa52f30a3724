"""The people Zoom saw in a cohort's sessions whom no identity of ours matched."""

from django.db.models import Count, Q, QuerySet

from learning.models import UnmatchedParticipant

OPEN = Q(resolved_at__isnull=True, dismissed_at__isnull=True)


def unmatched_participants_of(cohort_id: int) -> QuerySet[UnmatchedParticipant]:
    """Every unmatched participant of the cohort's sessions, in session order, with what the
    specialist sees of each row loaded in the same query."""
    return (
        UnmatchedParticipant.objects.filter(session__cohort_id=cohort_id)
        .select_related("session", "resolved_to__learner", "resolved_by", "dismissed_by")
        .order_by("session__starts_at", "name", "pk")
    )


def open_unmatched_counter() -> Count:
    """Annotates cohorts with how many participants still wait for their specialist."""
    prefix = "sessions__unmatched_participants__"
    return Count(
        f"{prefix}pk",
        filter=Q(**{f"{prefix}resolved_at__isnull": True, f"{prefix}dismissed_at__isnull": True}),
    )


def open_unmatched_count(cohort_id: int) -> int:
    return UnmatchedParticipant.objects.filter(OPEN, session__cohort_id=cohort_id).count()
