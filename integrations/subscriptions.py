"""Which endpoints want an event, read from the cache: every write that emits events asks, and
the answer changes only when an endpoint does.

The cache holds every enabled endpoint as (id, specialist id, event types). It is dropped when
an endpoint is saved, deleted or disabled, both at once and when the change commits (a reader
that filled it from the old rows in between would otherwise keep them), and it expires after
five minutes in case a drop is lost. With Redis down the cache answers as a miss
(`config.cache`): the endpoints are read from the database."""

from typing import NamedTuple

from django.core.cache import cache
from django.db import transaction

from integrations.models import Endpoint

CACHE_KEY = "integrations:subscriptions"
CACHE_SECONDS = 5 * 60


class Subscription(NamedTuple):
    endpoint_id: int
    specialist_id: int | None
    event_types: list[str]

    def wants(self, event_type: str) -> bool:
        return not self.event_types or event_type in self.event_types


def _from_database() -> list[Subscription]:
    rows = Endpoint.objects.filter(enabled=True).values_list("pk", "specialist_id", "event_types")
    return [Subscription(*row) for row in rows.order_by("pk")]


def subscriptions() -> list[Subscription]:
    cached = cache.get(CACHE_KEY)
    if cached is not None:
        return [Subscription(*row) for row in cached]
    current = _from_database()
    cache.set(CACHE_KEY, [tuple(row) for row in current], CACHE_SECONDS)
    return current


def subscribers(event_type: str, specialist_id: int | None) -> list[int]:
    """Endpoint ids for an event: platform endpoints, and the specialist's own, that want it."""
    return [
        row.endpoint_id
        for row in subscriptions()
        if row.specialist_id in (None, specialist_id) and row.wants(event_type)
    ]


def subscriptions_changed() -> None:
    _drop()
    transaction.on_commit(_drop)


def _drop():
    cache.delete(CACHE_KEY)
