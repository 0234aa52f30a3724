"""Sending a delivery: claim it, POST the signed event outside any transaction, record the
attempt and decide what comes next (done, retry on the Standard Webhooks schedule, give up,
or disable the endpoint)."""

import random
import time
import uuid
from datetime import timedelta
from email.utils import parsedate_to_datetime

import requests
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from requests_hardened.ip_filter import InvalidIPAddress

from integrations.models import Delivery, DeliveryAttempt, Endpoint
from integrations.signing import signature_header
from integrations.subscriptions import subscriptions_changed
from integrations.targets import allow_http, http_session

# Standard Webhooks' schedule: the first attempt at once, then these waits (± 10 % jitter).
RETRY_DELAYS = [
    timedelta(seconds=5),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=5),
    timedelta(hours=10),
    timedelta(hours=14),
    timedelta(hours=20),
    timedelta(hours=24),
]
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
LONGEST_RETRY_AFTER = timedelta(hours=24)
EXCERPT_BYTES = 1024
CLAIM_BATCH = 100


def _lease() -> timedelta:
    """How long a claim holds: longer than an attempt can take, so only a dead worker's
    delivery becomes due again."""
    return timedelta(seconds=settings.WEBHOOKS_TIMEOUT_SECONDS * 2 + 30)


def _due(now):
    return Delivery.objects.filter(status=Delivery.Status.PENDING, next_attempt_at__lte=now)


def delivery_claim(delivery_id: int) -> uuid.UUID | None:
    """Take a due delivery for one attempt with a conditional UPDATE (exact on every
    database): returns the claim, or None when it is not due or someone else has it."""
    now, claim = timezone.now(), uuid.uuid4()
    taken = _due(now).filter(pk=delivery_id).update(claim=claim, next_attempt_at=now + _lease())
    return claim if taken else None


@transaction.atomic
def deliveries_claim_due(limit: int = CLAIM_BATCH) -> list[tuple[int, uuid.UUID]]:
    """Claim up to `limit` due deliveries, oldest first. On PostgreSQL rows another
    dispatcher holds are skipped rather than waited for; the claim itself is conditional."""
    now = timezone.now()
    due = (
        _due(now)
        .select_for_update(skip_locked=True)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    return [(pk, claim) for pk in list(due) if (claim := delivery_claim(pk))]


def delivery_send(*, delivery_id: int, claim: uuid.UUID) -> Delivery | None:
    """One attempt of a claimed delivery; None when the claim is no longer ours."""
    delivery = Delivery.objects.select_related("event", "endpoint").get(pk=delivery_id)
    if delivery.claim != claim or delivery.status != Delivery.Status.PENDING:
        return None
    endpoint = delivery.endpoint
    if not endpoint.enabled:
        return _give_up(delivery, "The endpoint is disabled.")
    started_at, started = timezone.now(), time.monotonic()
    status_code, excerpt, error, retry_after = None, "", "", None
    try:
        status_code, excerpt, retry_after = _post(delivery, endpoint)
    except InvalidIPAddress:
        error = "Refused: the host resolves to a private or reserved address."
    except requests.Timeout:
        error = f"No answer within {settings.WEBHOOKS_TIMEOUT_SECONDS} s."
    except requests.RequestException as exc:
        error = f"{type(exc).__name__}: {exc}"[:300]
    duration_ms = round((time.monotonic() - started) * 1000)
    return _record(
        delivery,
        DeliveryAttempt(
            delivery=delivery,
            at=started_at,
            status_code=status_code,
            duration_ms=duration_ms,
            response_excerpt=excerpt,
            error=error,
        ),
        retry_after,
    )


def _post(delivery, endpoint):
    if not endpoint.url.startswith("https://") and not allow_http():
        raise requests.exceptions.InvalidURL("Only https URLs are allowed.")
    timestamp = int(time.time())
    body = delivery.event.body
    headers = {
        "content-type": "application/json",
        "webhook-id": delivery.webhook_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature_header(
            secrets_=_signing_secrets(endpoint),
            webhook_id=delivery.webhook_id,
            timestamp=timestamp,
            body=body,
        ),
    }
    response = http_session().post(endpoint.url, data=body.encode(), headers=headers, stream=True)
    try:
        excerpt = response.raw.read(EXCERPT_BYTES, decode_content=True)
    finally:
        if response.raw.length_remaining == 0:
            response.raw.release_conn()  # read to the end: the connection can be reused
        else:
            response.close()  # we read no more than the excerpt of a longer answer
    return response.status_code, excerpt.decode(errors="replace"), _retry_after(response)


def _signing_secrets(endpoint) -> list[str]:
    rotated_out = endpoint.previous_secret_expires_at
    if endpoint.previous_secret and rotated_out and rotated_out > timezone.now():
        return [endpoint.secret, endpoint.previous_secret]
    return [endpoint.secret]


def _retry_after(response) -> timedelta | None:
    if response.status_code not in (429, 503) or not (value := response.headers.get("retry-after")):
        return None
    if value.strip().isdigit():
        return timedelta(seconds=int(value))
    try:
        return parsedate_to_datetime(value) - timezone.now()
    except (TypeError, ValueError):
        return None


def _next_wait(attempts: int, retry_after: timedelta | None) -> timedelta:
    wait = RETRY_DELAYS[attempts - 1] * random.uniform(0.9, 1.1)
    if retry_after is not None:
        wait = max(wait, min(retry_after, LONGEST_RETRY_AFTER))
    return wait


@transaction.atomic
def _record(delivery, attempt, retry_after):
    attempt.save()
    now = timezone.now()
    delivery.attempts += 1
    delivery.last_status_code = attempt.status_code
    delivery.last_error = attempt.error or (
        "" if _succeeded(attempt) else f"The receiver answered {attempt.status_code}."
    )
    delivery.claim = None
    endpoint = delivery.endpoint
    if _succeeded(attempt):
        delivery.status, delivery.succeeded_at = Delivery.Status.SUCCEEDED, now
        if endpoint.failing_since is not None:
            Endpoint.objects.filter(pk=endpoint.pk).update(failing_since=None)
    elif attempt.status_code == 410:
        delivery.status = Delivery.Status.FAILED
        _disable(endpoint, "The receiver answered 410 Gone.")
    else:
        if delivery.attempts < MAX_ATTEMPTS:
            delivery.next_attempt_at = now + _next_wait(delivery.attempts, retry_after)
        else:
            delivery.status = Delivery.Status.FAILED
        _note_failure(endpoint, now)
    delivery.save(
        update_fields=[
            "attempts",
            "last_status_code",
            "last_error",
            "claim",
            "status",
            "succeeded_at",
            "next_attempt_at",
        ]
    )
    return delivery


def _succeeded(attempt) -> bool:
    return attempt.status_code is not None and 200 <= attempt.status_code < 300


def _note_failure(endpoint, now):
    # Always an UPDATE, so the row stays locked until this attempt is recorded: a success
    # recorded meanwhile by another worker (which clears the streak) cannot slip in between.
    Endpoint.objects.filter(pk=endpoint.pk).update(
        failing_since=Coalesce(F("failing_since"), Value(now))
    )
    failing_since = Endpoint.objects.values_list("failing_since", flat=True).get(pk=endpoint.pk)
    if now - failing_since >= timedelta(days=settings.WEBHOOKS_DISABLE_AFTER_DAYS):
        days = settings.WEBHOOKS_DISABLE_AFTER_DAYS
        _disable(endpoint, f"Every delivery failed for {days} days.")


def _disable(endpoint, reason):
    disabled = Endpoint.objects.filter(pk=endpoint.pk, enabled=True).update(
        enabled=False, disabled_reason=reason
    )
    if disabled:
        subscriptions_changed()
        transaction.on_commit(lambda: _tell_owner(endpoint, reason))


def _tell_owner(endpoint, reason):
    owner = endpoint.specialist or endpoint.created_by
    send_mail(
        subject="Webhook endpoint disabled",
        message=(
            f"We stopped sending events to {endpoint.url}.\n{reason}\n\n"
            "Fix the receiver, enable the endpoint again, then replay what it missed."
        ),
        from_email=None,
        recipient_list=[owner.email],
    )


def _give_up(delivery, reason):
    delivery.status, delivery.last_error, delivery.claim = Delivery.Status.FAILED, reason, None
    delivery.save(update_fields=["status", "last_error", "claim"])
    return delivery
