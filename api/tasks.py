import time
from datetime import timedelta

from celery import shared_task
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone

from api.models import IdempotencyRecord
from api.platform.checks import HEARTBEAT_KEY, HEARTBEAT_MAX_AGE_SECONDS

# How long a client may retry with the same Idempotency-Key and get the first answer (as
# Stripe's keys); after it, the key is forgotten and may be used again.
IDEMPOTENCY_KEY_LIFETIME = timedelta(hours=24)


@shared_task
def prune_idempotency_records():
    """Forget Idempotency-Key answers older than their lifetime (in-flight ones too: a request
    still running after a day is a dead worker's)."""
    cutoff = timezone.now() - IDEMPOTENCY_KEY_LIFETIME
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted


@shared_task
def flush_expired_tokens():
    """Forget refresh tokens (issued and retired) past their expiry: they can no longer be
    used, retired or not."""
    call_command("flushexpiredtokens")


@shared_task
def record_worker_heartbeat():
    """Run by a worker when beat asks: health reports no worker when this stops."""
    cache.set(HEARTBEAT_KEY, time.time(), HEARTBEAT_MAX_AGE_SECONDS * 2)
