"""Errors an operator must see reach Sentry when SENTRY_DSN is set, tagged with the request
id the response carries; Sentry's server is faked by a transport that keeps each event."""

from decimal import Decimal

import pytest
import sentry_sdk

from commerce.models import Order
from config.observability import sentry_init
from tests.commerce.helpers import deliver, session_event
from tests.factories import build_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def sentry_events():
    """Sentry initialised as SENTRY_DSN does, its server faked by a transport that keeps
    each event instead of sending it."""
    events = []

    class KeptTransport(sentry_sdk.transport.Transport):
        def capture_envelope(self, envelope):
            events.extend(item.payload.json for item in envelope.items if item.type == "event")

    sentry_init(
        dsn="https://public@sentry.example.com/1",
        environment="test",
        traces_sample_rate=0.0,
        transport=KeptTransport,
    )
    yield events
    sentry_sdk.init()  # no DSN: disabled again


def test_an_error_logged_while_serving_reaches_sentry_with_its_request_id(
    api_client, learner, specialist, fake_stripe, sentry_events
):
    course = build_course(owner=specialist, instructor=specialist, price=Decimal("99.00"))
    api_client.force_authenticate(learner)
    enrollment = api_client.post("/api/v1/enrollments/", {"course": course.pk})
    assert enrollment.status_code == 201, enrollment.content
    order = api_client.post(f"/api/v1/enrollments/{enrollment.json()['id']}/payment/")
    assert order.status_code == 201, order.content
    checkout = Order.objects.get(pk=order.json()["id"]).checkout_reference

    # Stripe reports a payment of another amount: logged at ERROR, which an operator must see.
    response = deliver(
        session_event("evt_x", "checkout.session.completed", checkout, paid=(100, "USD"))
    )

    assert response.status_code == 200, response.content
    [event] = sentry_events
    assert event["level"] == "error"
    assert event["tags"]["request_id"] == response["X-Request-ID"]
    assert event["logentry"]["formatted"] == (
        f"Stripe event evt_x paid 100 USD for order {order.json()['id']}, which is 9900 USD: "
        "not recorded"
    )
    # Nothing about the learner leaves: no identity, no request body.
    assert "user" not in event
    assert "data" not in event["request"]
