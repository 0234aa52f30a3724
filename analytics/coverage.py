"""How far the snapshots count the raw rows, as last known: the bound a report adds to its
reading of the raw rows so the planner can see how few there are. It only grows, so a stale
value read here costs a wider scan, never a wrong figure (the statement itself reads the
current one). Cached; a snapshot run drops it when it commits."""

from datetime import datetime

from django.core.cache import cache

from analytics.models import SnapshotCoverage

CACHE_KEY = "analytics:covered-through"
CACHE_SECONDS = 10 * 60


def covered_through() -> datetime:
    through = cache.get(CACHE_KEY)
    if through is None:
        through = SnapshotCoverage.objects.values_list("through", flat=True).get()
        cache.set(CACHE_KEY, through, CACHE_SECONDS)
    return through


def coverage_changed() -> None:
    cache.delete(CACHE_KEY)
