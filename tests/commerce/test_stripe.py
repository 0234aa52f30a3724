"""The Stripe code path, through the real SDK against a fake transport, and signed webhooks."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from commerce.models import LedgerEntry, Order, ParkedEvent, PayoutAccount, ProcessedEvent
from commerce.tasks import prune_processed_events
from learning.models import Enrollment
from tests.api_helpers import assert_problem
from tests.commerce.helpers import WEBHOOK, deliver, session_event
from tests.factories import build_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(api_client, learner, specialist, fake_stripe):
    course = build_course(owner=specialist, instructor=specialist, price=Decimal("99.00"))
    api_client.force_authenticate(learner)
    enrollment = api_client.post("/api/v1/enrollments/", {"course": course.pk}).json()
    body = api_client.post(f"/api/v1/enrollments/{enrollment['id']}/payment/").json()
    return Order.objects.get(pk=body["id"])


def test_stripe_is_asked_for_a_checkout_outside_any_transaction_of_ours(order, fake_stripe):
    [sent] = fake_stripe.sent("/v1/checkout/sessions")
    assert sent["atomic_depth"] == len(connection.atomic_blocks)  # the test's own, no more


def test_checkout_sends_stripe_the_price_the_order_and_an_idempotency_key(order, fake_stripe):
    [sent] = fake_stripe.sent("/v1/checkout/sessions")
    params = sent["params"]
    assert params["line_items[0][price_data][unit_amount]"] == "9900"
    assert params["line_items[0][price_data][currency]"] == "usd"
    assert params["client_reference_id"] == str(order.pk)
    assert params["metadata[order]"] == str(order.pk)
    assert params["mode"] == "payment"
    assert params["success_url"].endswith(f"/learn/{order.enrollment_id}/?payment=done")
    assert "payment_intent_data[application_fee_amount]" not in params
    hours_left = (int(params["expires_at"]) - timezone.now().timestamp()) / 3600
    assert 23.5 < hours_left < 24  # the platform's 24 hours, within Stripe's limit
    assert sent["headers"]["Idempotency-Key"] == f"order-{order.pk}-checkout"
    assert sent["headers"]["Authorization"] == "Bearer sk_test_fake"
    assert order.checkout_url == "https://checkout.stripe.test/c/pay/cs_test_1"


def test_a_connected_specialist_is_paid_by_destination_charge(
    api_client, learner, specialist, fake_stripe
):
    PayoutAccount.objects.create(
        specialist=specialist, stripe_account_id="acct_123", charges_enabled=True,
        details_submitted=True,
    )  # fmt: skip
    course = build_course(owner=specialist, instructor=specialist, price=Decimal("99.00"))
    api_client.force_authenticate(learner)
    enrollment = api_client.post("/api/v1/enrollments/", {"course": course.pk}).json()
    api_client.post(f"/api/v1/enrollments/{enrollment['id']}/payment/")

    [sent] = fake_stripe.sent("/v1/checkout/sessions")
    assert sent["params"]["payment_intent_data[application_fee_amount]"] == "2970"
    assert sent["params"]["payment_intent_data[transfer_data][destination]"] == "acct_123"


def test_the_same_event_ten_times_activates_once_and_writes_one_set_of_rows(
    api_client, order, django_capture_on_commit_callbacks
):
    event = session_event("evt_1", "checkout.session.completed", order.checkout_reference)
    with django_capture_on_commit_callbacks(execute=True):
        answers = [deliver(event).json() for _ in range(10)]

    assert [a["processed"] for a in answers] == [True] + [False] * 9
    order.refresh_from_db()
    assert (order.status, order.payment_reference) == ("paid", "pi_test_1")
    assert Enrollment.objects.get(pk=order.enrollment_id).status == "active"
    assert LedgerEntry.objects.count() == 3
    assert order.course.enrollments.filter(status="active").count() == 1


def test_processed_events_are_forgotten_after_30_days_and_waiting_parked_ones_kept(
    api_client, order, monkeypatch
):
    answer = deliver(
        session_event("evt_old", "checkout.session.completed", order.checkout_reference)
    )
    assert answer.status_code == 200 and answer.json()["processed"] is True
    processed_at = ProcessedEvent.objects.get(event_id="evt_old").processed_at
    waiting = ParkedEvent.objects.create(
        event_id="evt_waiting", type="charge.refunded", payment_intent="pi_other", payload={}
    )
    applied = ParkedEvent.objects.create(
        event_id="evt_applied", type="charge.refunded", payment_intent="pi_x", payload={},
        applied_at=processed_at,
    )  # fmt: skip

    monkeypatch.setattr(timezone, "now", lambda: processed_at + timedelta(days=30))
    prune_processed_events.delay()
    assert ProcessedEvent.objects.filter(event_id="evt_old").exists()
    assert ParkedEvent.objects.filter(pk=applied.pk).exists()

    monkeypatch.setattr(timezone, "now", lambda: processed_at + timedelta(days=30, microseconds=1))
    prune_processed_events.delay()
    assert not ProcessedEvent.objects.filter(event_id="evt_old").exists()
    assert list(ParkedEvent.objects.values_list("pk", flat=True)) == [waiting.pk]


def test_events_out_of_order_change_state_once(api_client, order):
    session = order.checkout_reference
    deliver(session_event("evt_a", "checkout.session.completed", session,
                                      payment_status="unpaid"))  # fmt: skip
    assert Order.objects.get().status == "pending"  # a bank debit: not paid yet
    deliver(session_event("evt_b", "checkout.session.async_payment_succeeded", session))
    deliver(session_event("evt_c", "checkout.session.expired", session))
    deliver(session_event("evt_d", "checkout.session.async_payment_failed", session))

    assert Order.objects.get().status == "paid"
    assert LedgerEntry.objects.filter(kind="sale").count() == 1


def test_an_expired_checkout_closes_the_order_and_leaves_the_course_shut(api_client, order):
    deliver(session_event("evt_x", "checkout.session.expired", order.checkout_reference))
    assert Order.objects.get().status == "expired"
    assert Enrollment.objects.get(pk=order.enrollment_id).status == "pending_payment"


@pytest.mark.parametrize(
    "sign",
    [{"secret": "whsec_someone_else"}, {"timestamp": 1_000_000_000}],
    ids=["wrong secret", "stale"],
)
def test_a_bad_or_stale_signature_is_refused_and_nothing_is_written(api_client, order, sign):
    event = session_event("evt_bad", "checkout.session.completed", order.checkout_reference)
    assert_problem(deliver(event, **sign), 400, "bad_signature")
    assert ProcessedEvent.objects.count() == 0
    assert Order.objects.get().status == "pending" and LedgerEntry.objects.count() == 0


def test_a_body_that_is_not_json_is_a_400(api_client, order):
    response = api_client.post(
        WEBHOOK, b"\xff\xfe", content_type="application/json", HTTP_STRIPE_SIGNATURE="t=1,v1=00"
    )
    assert_problem(response, 400, "bad_signature")
