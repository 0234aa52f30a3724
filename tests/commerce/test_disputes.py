"""Disputes through Stripe's webhook: repeats change nothing, and only access there is is paused."""

from decimal import Decimal

import pytest

from commerce.models import Order
from learning.models import Enrollment
from tests.commerce.helpers import deliver, event, pay
from tests.factories import build_course

pytestmark = pytest.mark.django_db

DISPUTE = {"id": "dp_1", "object": "dispute", "payment_intent": "pi_1", "amount": 9900}


@pytest.fixture
def paid(api_client, learner, specialist, fake_stripe):
    course = build_course(owner=specialist, instructor=specialist, price=Decimal("99.00"))
    enrollment_id, _ = pay(api_client, learner, course, through_stripe=True)
    return Enrollment.objects.get(pk=enrollment_id)


def dispute(event_id, event_type, status):
    return event(event_id, event_type, {**DISPUTE, "status": status})


def test_a_dispute_announced_twice_pauses_access_once(api_client, paid):
    deliver(dispute("evt_d1", "charge.dispute.created", "needs_response"))
    paid.refresh_from_db()
    suspended_at = paid.suspended_at

    response = deliver(dispute("evt_d2", "charge.dispute.created", "needs_response"))

    assert response.json() == {"received": True, "processed": True}
    paid.refresh_from_db()
    assert suspended_at is not None and paid.suspended_at == suspended_at


def test_a_won_dispute_for_access_never_paused_changes_nothing(api_client, paid):
    response = deliver(dispute("evt_won", "charge.dispute.closed", "won"))

    assert response.json() == {"received": True, "processed": True}
    paid.refresh_from_db()
    assert (paid.status, paid.suspended_at) == ("active", None)


def test_a_dispute_of_a_refunded_order_flags_it_and_pauses_nothing(api_client, paid):
    charge = {"id": "ch_1", "object": "charge", "payment_intent": "pi_1", "amount_refunded": 9900}
    deliver(event("evt_refunded", "charge.refunded", charge))

    created = deliver(dispute("evt_d1", "charge.dispute.created", "needs_response"))
    won = deliver(dispute("evt_d2", "charge.dispute.closed", "won"))

    assert created.status_code == won.status_code == 200
    assert Order.objects.get().disputed_at is not None
    paid.refresh_from_db()
    assert (paid.status, paid.suspended_at) == ("refunded", None)


def test_a_dispute_lost_after_a_pause_ends_access_for_good(api_client, paid):
    deliver(dispute("evt_d1", "charge.dispute.created", "needs_response"))
    deliver(dispute("evt_d2", "charge.dispute.closed", "lost"))

    response = deliver(dispute("evt_d3", "charge.dispute.closed", "won"))

    assert response.status_code == 200
    paid.refresh_from_db()
    assert paid.status == "refunded" and paid.suspended_at is not None
