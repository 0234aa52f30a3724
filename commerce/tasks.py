from celery import shared_task

from commerce.exceptions import ProviderUnavailable
from commerce.models import Refund
from commerce.providers import payment_provider
from commerce.refunds import refund_record_succeeded
from commerce.services import orders_expire_stale


@shared_task(autoretry_for=(ProviderUnavailable,), retry_backoff=True, max_retries=8)
def refund_send(refund_id):
    """Ask the provider for the refund; its idempotency key makes a retry safe."""
    refund = Refund.objects.select_related("order").filter(pk=refund_id).first()
    if refund is None or refund.status != Refund.Status.PENDING:
        return
    sent = payment_provider().refund_create(refund.order, refund=refund)
    if sent.succeeded:
        refund_record_succeeded(refund_id=refund.pk, provider_reference=sent.reference)
    else:  # the provider's refund.updated event finishes it
        Refund.objects.filter(pk=refund.pk, provider_reference="").update(
            provider_reference=sent.reference
        )


@shared_task
def expire_stale_orders():
    return orders_expire_stale()
