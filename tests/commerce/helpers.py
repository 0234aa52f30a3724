"""Paying for a course and speaking as Stripe's webhooks, for the commerce tests."""

import json

import stripe
from django.test import Client

from commerce.models import LedgerEntry, Order

WEBHOOK = "/api/v1/webhooks/stripe/"
WEBHOOK_SECRET = "whsec_test_secret"


def event(event_id, event_type, obj):
    return {"id": event_id, "object": "event", "type": event_type, "data": {"object": obj}}


def session_event(
    event_id, event_type, session_id, *, payment_status="paid", intent="pi_test_1", paid=None
):
    """A checkout session event; `paid` (amount, currency) defaults to its order's."""
    if paid is None:
        order = Order.objects.filter(checkout_reference=session_id).first()
        paid = (order.amount, order.currency) if order else (0, "USD")
    amount, currency = paid
    return event(event_id, event_type, {
        "id": session_id, "object": "checkout.session", "amount_total": amount,
        "currency": currency.lower(), "payment_status": payment_status, "payment_intent": intent,
    })  # fmt: skip


def signed_event(event, secret=WEBHOOK_SECRET, timestamp=None):
    """The payload and Stripe-Signature header Stripe would send, made by the SDK itself."""
    payload = json.dumps(event)
    return payload, stripe.WebhookSignature.generate_signature_header(payload, secret, timestamp)


def deliver(event, **sign):
    """POST the event to our webhook as Stripe does: signed, with no session or token."""
    payload, signature = signed_event(event, **sign)
    return Client().post(
        WEBHOOK, payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature
    )


def pay(api_client, learner, course, *, through_stripe=False):
    """Enroll and pay: through the development checkout page, or by Stripe's webhook."""
    api_client.force_authenticate(learner)
    enrollment = api_client.post("/api/v1/enrollments/", {"course": course.pk}).json()
    order = Order.objects.get(
        pk=api_client.post(f"/api/v1/enrollments/{enrollment['id']}/payment/").json()["id"]
    )
    if through_stripe:
        paid = session_event(
            f"evt_paid_{order.pk}", "checkout.session.completed", order.checkout_reference,
            intent="pi_1",
        )  # fmt: skip
        assert deliver(paid).status_code == 200
    else:
        Client().post(order.checkout_url, {"action": "pay"})
    order.refresh_from_db()
    return enrollment["id"], order


def refund_ledger():
    """{kind: amount} of the ledger rows refunds wrote."""
    return dict(LedgerEntry.objects.filter(refund__isnull=False).values_list("kind", "amount"))
