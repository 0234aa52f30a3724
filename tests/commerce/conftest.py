"""Stripe's servers, faked at the SDK's HTTP transport: requests are recorded and answered."""

import json
from urllib.parse import parse_qsl, urlsplit

import pytest
import stripe
from django.db import connection
from django.test import override_settings

from commerce.providers import stripe as stripe_provider
from tests.commerce.helpers import WEBHOOK_SECRET


class FakeStripeTransport(stripe.HTTPClient):
    """Answers like Stripe's API and keeps every request for the test to inspect."""

    name = "fake"
    refund_status = "succeeded"  # what Stripe says of a refund just created

    def __init__(self):
        super().__init__()
        self.requests = []
        # (HTTP status, Stripe's error type, message) for the next refund calls, in order.
        self.refund_failures = []

    def request(self, method, url, headers, post_data=None, *, _usage=None):
        path = urlsplit(url).path
        params = dict(parse_qsl(post_data or "", keep_blank_values=True))
        self.requests.append(
            {
                "method": method,
                "path": path,
                "headers": headers,
                "params": params,
                # How many transactions were open around the call (the test's own included).
                "atomic_depth": len(connection.atomic_blocks),
            }
        )
        if path == "/v1/checkout/sessions":
            number = len(self.requests)
            body = {
                "id": f"cs_test_{number}",
                "object": "checkout.session",
                "url": f"https://checkout.stripe.test/c/pay/cs_test_{number}",
                "payment_status": "unpaid",
            }
        elif path == "/v1/accounts":
            body = {"id": "acct_test_1", "object": "account", "charges_enabled": False}
        elif path == "/v1/account_links":
            body = {
                "object": "account_link",
                "url": "https://connect.stripe.test/setup/e/acct_test_1",
            }
        elif path == "/v1/refunds" and self.refund_failures:
            status, kind, message = self.refund_failures.pop(0)
            return json.dumps({"error": {"type": kind, "message": message}}), status, {}
        elif path == "/v1/refunds":
            body = {
                "id": f"re_test_{len(self.requests)}",
                "object": "refund",
                "status": self.refund_status,
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
