from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from commerce.models import ParkedEvent, ProcessedEvent, Refund
from commerce.providers import payment_provider
from commerce.refunds import refund_record_succeeded
from commerce.services import orders_expire_stale


# Any failure is retried: the provider call is idempotent (its key is the refund's id), and
# once the money is back, a recording that failed (it rolls back whole, the refund stays
# pending) must be tried again until our books say so too.
@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=8)
def refund_send(refund_id):
    """Ask the provider for the refund and record it; its idempotency key makes a retry safe."""
    refund = Refund.objects.select_related("order").filter(pk=refund_id).first()
    if refund is None or refund.status != Refund.Status.PENDING:
        return
    sent = payment_provider().refund_create(refund.order, refund=refund)
    # Kept first, so the provider's own event finds the refund whatever happens next.
    Refund.objects.filter(pk=refund.pk, provider_reference="").update(
        provider_reference=sent.reference
    )
    if sent.succeeded:  # otherwise the provider's refund.updated event finishes it
        refund_record_succeeded(refund_id=refund.pk, provider_reference=sent.reference)


@shared_task
def expire_stale_orders():
    return orders_expire_stale()


# Stripe retries an event for up to three days; remembering it ten times as long is ample.
PROCESSED_EVENT_LIFETIME = timedelta(days=30)


@shared_task
def prune_processed_events():
    """Forget provider events acted on over 30 days ago, and parked events applied as long ago;
    a parked event still waiting for its payment stays."""
    cutoff = timezone.now() - PROCESSED_EVENT_LIFETIME
    processed, _ = ProcessedEvent.objects.filter(processed_at__lt=cutoff).delete()
    parked, _ = ParkedEvent.objects.filter(applied_at__lt=cutoff).delete()
    return processed + parked
