"""Stripe's servers, faked at the SDK's HTTP transport: requests are recorded and answered."""

import json
from urllib.parse import parse_qsl, urlsplit

import pytest
import stripe
from django.test import override_settings

from commerce.providers import stripe as stripe_provider

WEBHOOK_SECRET = "whsec_test_secret"


class FakeStripeTransport(stripe.HTTPClient):
    """Answers like Stripe's API and keeps every request for the test to inspect."""

    name = "fake"

    def __init__(self):
        super().__init__()
        self.requests = []

    def request(self, method, url, headers, post_data=None, *, _usage=None):
        path = urlsplit(url).path
        params = dict(parse_qsl(post_data or "", keep_blank_values=True))
        self.requests.append({"method": method, "path": path, "headers": headers, "params": params})
        if path == "/v1/checkout/sessions":
            number = len(self.requests)
            body = {
                "id": f"cs_test_{number}",
                "object": "checkout.session",
                "url": f"https://checkout.stripe.test/c/pay/cs_test_{number}",
                "payment_status": "unpaid",
            }
        elif path == "/v1/refunds":
            body = {
                "id": f"re_test_{len(self.requests)}",
                "object": "refund",
                "status": "succeeded",
            }
        else:
            return json.dumps({"error": {"message": f"No fake for {path}"}}), 404, {}
        return json.dumps(body), 200, {"Request-Id": "req_fake"}

    def close(self):
        pass

    def sent(self, path):
        return [r for r in self.requests if r["path"] == path]


@pytest.fixture
def fake_stripe(monkeypatch):
    transport = FakeStripeTransport()
    monkeypatch.setattr(stripe_provider, "STRIPE_HTTP_CLIENT", transport)
    with override_settings(
        STRIPE_SECRET_KEY="sk_test_fake",
        STRIPE_WEBHOOK_SECRET=WEBHOOK_SECRET,
        STRIPE_API_BASE="https://stripe.test",
    ):
        yield transport


def signed_event(event, secret=WEBHOOK_SECRET, timestamp=None):
    """The payload and Stripe-Signature header Stripe would send, made by the SDK itself."""
    payload = json.dumps(event)
    return payload, stripe.WebhookSignature.generate_signature_header(payload, secret, timestamp)


def session_event(event_id, event_type, session_id, *, payment_status="paid", intent="pi_test_1"):
    return {
        "id": event_id,
        "object": "event",
        "type": event_type,
        "data": {
            "object": {
                "id": session_id,
                "object": "checkout.session",
                "payment_status": payment_status,
                "payment_intent": intent,
            }
        },
    }
