"""Where a learner stands in a cohort's waitlist."""

from django.db.models import Q

from learning.models import WaitlistEntry


def waitlist_position(entry: WaitlistEntry) -> int | None:
    """1 for the first in line; None for an entry no longer waiting (offered or ended)."""
    if entry.status != WaitlistEntry.Status.WAITING:
        return None
    ahead = Q(created_at__lt=entry.created_at) | Q(created_at=entry.created_at, pk__lt=entry.pk)
    return (
        WaitlistEntry.objects.filter(cohort=entry.cohort_id, status=WaitlistEntry.Status.WAITING)
        .filter(ahead)
        .count()
        + 1
    )
