"""Stripe webhooks: verified by signature, each event acted on once, dispatched by type.

Every handler locks the order it changes and checks its status, so events that
arrive twice, ten times or out of order change state once.
"""

import stripe
from django.conf import settings
from django.db import IntegrityError, transaction

from commerce.exceptions import BadSignature
from commerce.models import Order, PayoutAccount, ProcessedEvent, Refund
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


def _order_paid_by(payment_intent):
    return (
        Order.objects.filter(payment_reference=payment_intent).values_list("pk", flat=True).first()
    )


def _refund_changed(stripe_refund):
    refund = Refund.objects.filter(provider_reference=stripe_refund["id"]).first()
    ours = stripe_refund.get("metadata", {}).get("refund", "")
    if refund is None and ours.isdigit():  # its event came before our task saved the id
        refund = Refund.objects.filter(pk=ours).first()
    if refund is None:  # made at Stripe: charge.refunded records it
        return
    if stripe_refund["status"] == "succeeded":
        refund_record_succeeded(refund_id=refund.pk, provider_reference=stripe_refund["id"])
    elif stripe_refund["status"] in ("failed", "canceled"):
        refund_record_failed(refund_id=refund.pk)


def _charge_refunded(charge):
    if order_id := _order_paid_by(charge["payment_intent"]):
        refund_record_at_provider(
            order_id=order_id,
            refunded_total=charge["amount_refunded"],
            reference=f"{charge['id']}:{charge['amount_refunded']}",
            reason="Refunded at Stripe.",
        )


def _dispute_created(dispute):
    if order_id := _order_paid_by(dispute["payment_intent"]):
        order_dispute_open(order_id=order_id)


def _dispute_closed(dispute):
    order_id = _order_paid_by(dispute["payment_intent"])
    if order_id is None:
        return
    if dispute["status"] == "won":
        order_dispute_won(order_id=order_id)
    elif dispute["status"] == "lost":
        paid = Order.objects.values_list("refunded_amount", flat=True).get(pk=order_id)
        refund_record_at_provider(
            order_id=order_id,
            refunded_total=paid + dispute["amount"],
            reference=f"{dispute['id']}:lost",
            reason="The learner's bank upheld a dispute.",
        )


def _account_updated(account):
    PayoutAccount.objects.filter(stripe_account_id=account["id"]).update(
        charges_enabled=account["charges_enabled"],
        payouts_enabled=account["payouts_enabled"],
        details_submitted=account["details_submitted"],
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
