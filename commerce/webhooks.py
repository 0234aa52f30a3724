"""Stripe webhooks: verified by signature, each event acted on once, dispatched by type.

Every handler locks the order it changes and checks its status, so events that
arrive twice, ten times or out of order change state once.
"""

import stripe
from django.conf import settings
from django.db import IntegrityError, transaction

from commerce.exceptions import BadSignature
from commerce.models import Order, ProcessedEvent
from commerce.services import order_close, order_mark_paid


def webhook_event(payload: bytes, signature: str):
    """The event in a delivery, if Stripe signed it with our secret within the tolerance."""
    if not settings.STRIPE_WEBHOOK_SECRET:
        raise BadSignature("Stripe webhooks are not configured here.")
    try:
        return stripe.Webhook.construct_event(payload, signature, settings.STRIPE_WEBHOOK_SECRET)
    except (ValueError, stripe.SignatureVerificationError):
        raise BadSignature("The signature does not match this payload, or is too old.") from None


@transaction.atomic
def webhook_process(event) -> bool:
    """Act on an event once; False when it was seen before or is of no interest."""
    handler = HANDLERS.get(event["type"])
    if handler is None:
        return False
    try:
        with transaction.atomic():
            ProcessedEvent.objects.create(event_id=event["id"], type=event["type"])
    except IntegrityError:
        return False
    handler(event["data"]["object"])
    return True


def _order_id(session):
    return (
        Order.objects.filter(checkout_reference=session["id"]).values_list("pk", flat=True).first()
    )


def _session_paid(session):
    if order_id := _order_id(session):
        order_mark_paid(order_id=order_id, payment_reference=session["payment_intent"])


def _session_completed(session):
    # Bank debits and the like complete the session unpaid; their own event follows.
    if session["payment_status"] in ("paid", "no_payment_required"):
        _session_paid(session)


def _session_closed(status):
    def close(session):
        if order_id := _order_id(session):
            order_close(order_id=order_id, status=status)

    return close


HANDLERS = {
    "checkout.session.completed": _session_completed,
    "checkout.session.async_payment_succeeded": _session_paid,
    "checkout.session.async_payment_failed": _session_closed(Order.Status.FAILED),
    "checkout.session.expired": _session_closed(Order.Status.EXPIRED),
}
