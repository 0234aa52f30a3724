"""Celery side of webhooks: the beat-driven dispatcher, the task that sends one delivery,
and the pruning of the delivery log. Retries are scheduled in the database (`next_attempt_at`),
never with Celery countdowns (Redis redelivers long countdowns after its visibility timeout)."""

from datetime import timedelta
from uuid import UUID

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from integrations.delivery import deliveries_claim_due, delivery_claim, delivery_send
from integrations.models import Delivery, DeliveryAttempt, Event


@shared_task
def send_delivery(delivery_id: int, claim: str | None = None):
    """Attempt one delivery: with the dispatcher's claim, or claiming it now (right after the
    event committed). A delivery someone else has claimed is left to them."""
    claim = UUID(claim) if claim else delivery_claim(delivery_id)
    if claim is not None:
        delivery_send(delivery_id=delivery_id, claim=claim)


@shared_task
def dispatch_due_deliveries():
    """Claim due deliveries (first attempts the broker never carried, retries, and those of a
    worker that died mid-attempt) and queue one send each."""
    for delivery_id, claim in deliveries_claim_due():
        send_delivery.delay(delivery_id, str(claim))


@shared_task
def prune_delivery_log():
    """Forget attempts, finished deliveries and their events after WEBHOOKS_LOG_DAYS."""
    cutoff = timezone.now() - timedelta(days=settings.WEBHOOKS_LOG_DAYS)
    DeliveryAttempt.objects.filter(at__lt=cutoff).delete()
    Delivery.objects.filter(created_at__lt=cutoff).exclude(status=Delivery.Status.PENDING).delete()
    Event.objects.filter(created_at__lt=cutoff, deliveries__isnull=True).delete()
