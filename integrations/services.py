"""Managing endpoints and recovering deliveries: the rules, for the API, the admin and tests."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from integrations.event_types import PING, SUBSCRIBABLE
from integrations.models import Delivery, Endpoint
from integrations.outbox import deliveries_queue, event_emit_to
from integrations.signing import new_secret
from integrations.targets import url_problems
from learning.exceptions import InvalidInput

ROTATION_OVERLAP = timedelta(hours=24)


def _check(*, url: str | None, event_types: list[str] | None):
    errors = {}
    if url is not None and (problems := url_problems(url)):
        errors["url"] = problems
    if event_types is not None:
        unknown = sorted(set(event_types) - set(SUBSCRIBABLE))
        if unknown:
            errors["event_types"] = [f"Unknown event types: {', '.join(unknown)}."]
    if errors:
        raise InvalidInput(errors)


@transaction.atomic
def endpoint_create(
    *, by, url: str, description: str = "", event_types: list[str] | None = None, specialist=None
) -> Endpoint:
    """Register an endpoint with a fresh secret (shown to its owner once). `specialist` None
    makes a platform endpoint, which receives every course's events."""
    _check(url=url, event_types=event_types)
    return Endpoint.objects.create(
        specialist=specialist,
        created_by=by,
        url=url,
        description=description,
        event_types=sorted(set(event_types or [])),
        secret=new_secret(),
    )


@transaction.atomic
def endpoint_update(*, endpoint: Endpoint, **changes) -> Endpoint:
    """Change an endpoint's url, description, event types or enabled; enabling it again
    clears why it was disabled and its failure streak (replay what it missed after)."""
    _check(url=changes.get("url"), event_types=changes.get("event_types"))
    if "event_types" in changes:
        changes["event_types"] = sorted(set(changes["event_types"]))
    if changes.get("enabled") and not endpoint.enabled:
        changes |= {"disabled_reason": "", "failing_since": None}
    if changes.get("enabled") is False and endpoint.enabled:
        changes["disabled_reason"] = "Disabled by its owner."
    for field, value in changes.items():
        setattr(endpoint, field, value)
    endpoint.save()
    return endpoint


@transaction.atomic
def endpoint_rotate_secret(*, endpoint: Endpoint) -> Endpoint:
    """A new secret; the old one keeps signing alongside it for 24 hours."""
    endpoint = Endpoint.objects.select_for_update().get(pk=endpoint.pk)
    endpoint.previous_secret = endpoint.secret
    endpoint.previous_secret_expires_at = timezone.now() + ROTATION_OVERLAP
    endpoint.secret = new_secret()
    endpoint.save(update_fields=["secret", "previous_secret", "previous_secret_expires_at"])
    return endpoint


def endpoint_ping(*, endpoint: Endpoint) -> Delivery:
    """Send a `webhook.test` event to this endpoint only, whatever it subscribes to."""
    data = {"endpoint": endpoint.pk, "message": "A test event: your endpoint is reachable."}
    return event_emit_to(endpoint=endpoint, event_type=PING, data=data)


def _resend(deliveries) -> int:
    ids = list(deliveries.values_list("pk", flat=True))
    Delivery.objects.filter(pk__in=ids).update(
        status=Delivery.Status.PENDING, attempts=0, next_attempt_at=timezone.now(), claim=None
    )
    transaction.on_commit(lambda: deliveries_queue(ids))
    return len(ids)


@transaction.atomic
def delivery_redeliver(*, delivery: Delivery) -> Delivery:
    """Send a delivery again now, with the same `webhook-id`, on a fresh retry schedule."""
    _resend(Delivery.objects.filter(pk=delivery.pk))
    delivery.refresh_from_db()
    return delivery


@transaction.atomic
def deliveries_replay(*, endpoint: Endpoint, since: datetime) -> int:
    """Send again every delivery to this endpoint created since `since` that did not
    succeed; returns how many."""
    return _resend(
        endpoint.deliveries.filter(created_at__gte=since).exclude(status=Delivery.Status.SUCCEEDED)
    )
