from datetime import timedelta

from celery import shared_task
from django.db.models import Q
from django.utils import timezone

from commerce.exceptions import ProviderRefused
from commerce.models import ParkedEvent, ProcessedEvent, Refund
from commerce.providers import payment_provider
from commerce.refunds import refund_record_failed, refund_record_succeeded
from commerce.services import orders_expire_stale


# Any failure but a refusal is retried: the provider call is idempotent (its key is the
# refund's id), and once the money is back, a recording that failed (it rolls back whole, the
# refund stays pending) must be tried again until our books say so too. When the retries run
# out, `resend_unanswered_refunds` finds the refund later.
@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=8)
def refund_send(refund_id):
    """Ask the provider for the refund and record it; its idempotency key makes a retry safe."""
    refund = Refund.objects.select_related("order").filter(pk=refund_id).first()
    if refund is None or refund.status != Refund.Status.PENDING:
        return
    try:
        sent = payment_provider().refund_create(refund.order, refund=refund)
    except ProviderRefused as refused:  # e.g. the charge was disputed: retrying will not help
        refund_record_failed(refund_id=refund.pk, reason=refused.detail)
        return
    # Kept first, so the provider's own event finds the refund whatever happens next.
    Refund.objects.filter(pk=refund.pk, provider_reference="").update(
        provider_reference=sent.reference
    )
    if sent.succeeded:  # otherwise the provider's refund.updated event finishes it
        refund_record_succeeded(refund_id=refund.pk, provider_reference=sent.reference)


# Longer than refund_send's retries take (about four minutes of backoff).
UNANSWERED_REFUND_AFTER = timedelta(minutes=15)


@shared_task
def resend_unanswered_refunds():
    """Send again the refunds sent (or approved) 15 minutes ago or more that the provider never
    answered: a task lost with its broker, or retries that ran out while it was down."""
    cutoff = timezone.now() - UNANSWERED_REFUND_AFTER
    unanswered = Refund.objects.filter(
        Q(decided_at__lte=cutoff) | Q(decided_at__isnull=True, created_at__lte=cutoff),
        status=Refund.Status.PENDING,
        provider_reference="",
    )
    for refund_id in unanswered.values_list("pk", flat=True):
        refund_send.delay(refund_id)


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
