"""Stripe webhooks: verified by signature, each event acted on once, dispatched by type.

Every handler locks the order it changes and checks its status, so events that
arrive twice, ten times or out of order change state once. An event about a payment we
have not seen paid yet (a refund or a dispute that overtook `checkout.session.completed`)
is parked and applied when the payment is. Events are read as plain JSON, and one that
lacks what its handler needs is acknowledged and logged: Stripe would otherwise retry it
for days.
"""

import json
import logging
import time

import stripe
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from commerce.exceptions import BadSignature
from commerce.models import Order, ParkedEvent, PayoutAccount, ProcessedEvent, Refund
from commerce.refunds import (
    refund_record_at_provider,
    refund_record_failed,
    refund_record_succeeded,
)
from commerce.services import (
    order_close,
    order_dispute_open,
    order_dispute_won,
    order_mark_paid,
)

logger = logging.getLogger(__name__)

TOLERANCE = stripe.Webhook.DEFAULT_TOLERANCE


def _signed_at(signature: str) -> int | None:
    for item in signature.split(","):
        key, _, value = item.partition("=")
        if key.strip() == "t" and value.strip().isdigit():
            return int(value)
    return None


def webhook_event(payload: bytes, signature: str) -> dict:
    """The event in a delivery, as plain JSON, if Stripe signed it with our secret within
    the tolerance either side of now (the SDK refuses only the old side)."""
    if not settings.STRIPE_WEBHOOK_SECRET:
        raise BadSignature("Stripe webhooks are not configured here.")
    try:
        stripe.WebhookSignature.verify_header(
            payload.decode("utf-8"), signature, settings.STRIPE_WEBHOOK_SECRET, TOLERANCE
        )
    except (ValueError, stripe.SignatureVerificationError):
        raise BadSignature("The signature does not match this payload, or is too old.") from None
    if _signed_at(signature) > time.time() + TOLERANCE:
        raise BadSignature("The signature is timestamped in the future.")
    try:
        event = json.loads(payload)
    except ValueError:
        raise BadSignature("The signed payload is not JSON.") from None
    if not isinstance(event, dict):
        raise BadSignature("The signed payload is not an event.")
    return event


def _event_object(event: dict) -> dict | None:
    data = event.get("data")
    obj = data.get("object") if isinstance(data, dict) else None
    return obj if isinstance(obj, dict) else None


@transaction.atomic
def webhook_process(event: dict) -> bool:
    """Act on an event once; False when it was seen before or is of no interest."""
    handler = HANDLERS.get(event.get("type"))
    obj = _event_object(event)
    if handler is None or obj is None or not isinstance(event.get("id"), str):
        return False
    try:
        with transaction.atomic():
            ProcessedEvent.objects.create(event_id=event["id"], type=event["type"])
    except IntegrityError:
        return False
    try:
        handler(obj, event)
    except _Unusable as unusable:
        logger.warning("Stripe event %s (%s) not applied: %s", event["id"], event["type"], unusable)
    return True


class _Unusable(Exception):
    """A signed event that lacks what its handler needs."""


def _text(obj: dict, key: str) -> str:
    value = obj.get(key)
    if not isinstance(value, str) or not value:
        raise _Unusable(f"{obj.get('object', 'object')} has no {key}")
    return value


def _whole(obj: dict, key: str) -> int:
    value = obj.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise _Unusable(f"{obj.get('object', 'object')} has no whole {key}")
    return value


def _order_id(session):
    return (
        Order.objects.filter(checkout_reference=_text(session, "id"))
        .values_list("pk", flat=True)
        .first()
    )


def _session_paid(session, event):
    order_id = _order_id(session)
    if order_id is None:
        return
    order = Order.objects.get(pk=order_id)
    paid = (_whole(session, "amount_total"), _text(session, "currency").upper())
    if paid != (order.amount, order.currency):
        # Never open a course for a payment that is not the order's; staff look into it.
        logger.error(
            "Stripe event %s paid %s %s for order %s, which is %s %s: not recorded",
            event["id"], paid[0], paid[1], order.pk, order.amount, order.currency,
        )  # fmt: skip
        return
    payment_intent = _text(session, "payment_intent")
    order_mark_paid(order_id=order_id, payment_reference=payment_intent)
    _apply_parked(payment_intent)


def _session_completed(session, event):
    # Bank debits and the like complete the session unpaid; their own event follows.
    if session.get("payment_status") in ("paid", "no_payment_required"):
        _session_paid(session, event)


def _session_closed(status):
    def close(session, event):
        if order_id := _order_id(session):
            order_close(order_id=order_id, status=status)

    return close


def _order_paid_by(obj, event):
    """The order paid by the object's payment intent; None, with the event parked until
    that payment is recorded, when no order has it yet."""
    payment_intent = _text(obj, "payment_intent")
    order_id = (
        Order.objects.filter(payment_reference=payment_intent).values_list("pk", flat=True).first()
    )
    if order_id is None:
        ParkedEvent.objects.get_or_create(
            event_id=event["id"],
            defaults={"type": event["type"], "payment_intent": payment_intent, "payload": event},
        )
    return order_id


def _apply_parked(payment_intent):
    """Apply, in the order they came, the events that waited for this payment."""
    parked = ParkedEvent.objects.select_for_update().filter(
        payment_intent=payment_intent, applied_at__isnull=True
    )
    for waiting in parked.order_by("parked_at", "pk"):
        HANDLERS[waiting.type](_event_object(waiting.payload), waiting.payload)
        waiting.applied_at = timezone.now()
        waiting.save(update_fields=["applied_at"])


def _refund_changed(stripe_refund, event):
    reference = _text(stripe_refund, "id")
    refund = Refund.objects.filter(provider_reference=reference).first()
    metadata = stripe_refund.get("metadata")
    ours = metadata.get("refund", "") if isinstance(metadata, dict) else ""
    if refund is None and isinstance(ours, str) and ours.isdigit():
        refund = Refund.objects.filter(pk=ours).first()  # its event beat our task's save
    if refund is None:  # made at Stripe: charge.refunded records it
        return
    status = stripe_refund.get("status")
    if status == "succeeded":
        refund_record_succeeded(refund_id=refund.pk, provider_reference=reference)
    elif status in ("failed", "canceled"):
        refund_record_failed(refund_id=refund.pk)


def _charge_refunded(charge, event):
    refunded_total = _whole(charge, "amount_refunded")
    reference = f"{_text(charge, 'id')}:{refunded_total}"
    if order_id := _order_paid_by(charge, event):
        refund_record_at_provider(
            order_id=order_id,
            refunded_total=refunded_total,
            reference=reference,
            reason="Refunded at Stripe.",
        )


def _dispute_created(dispute, event):
    if order_id := _order_paid_by(dispute, event):
        order_dispute_open(order_id=order_id)


def _dispute_closed(dispute, event):
    status, amount = dispute.get("status"), _whole(dispute, "amount")
    reference = f"{_text(dispute, 'id')}:lost"
    order_id = _order_paid_by(dispute, event)
    if order_id is None:
        return
    if status == "won":
        order_dispute_won(order_id=order_id)
    elif status == "lost":
        paid = Order.objects.values_list("refunded_amount", flat=True).get(pk=order_id)
        refund_record_at_provider(
            order_id=order_id,
            refunded_total=paid + amount,
            reference=reference,
            reason="The learner's bank upheld a dispute.",
        )


def _account_updated(account, event):
    PayoutAccount.objects.filter(stripe_account_id=_text(account, "id")).update(
        **{
            flag: account.get(flag) is True
            for flag in ("charges_enabled", "payouts_enabled", "details_submitted")
        }
    )


HANDLERS = {
    "checkout.session.completed": _session_completed,
    "checkout.session.async_payment_succeeded": _session_paid,
    "checkout.session.async_payment_failed": _session_closed(Order.Status.FAILED),
    "checkout.session.expired": _session_closed(Order.Status.EXPIRED),
    "refund.created": _refund_changed,
    "refund.updated": _refund_changed,
    "charge.refunded": _charge_refunded,
    "charge.dispute.created": _dispute_created,
    "charge.dispute.closed": _dispute_closed,
    "account.updated": _account_updated,
}
