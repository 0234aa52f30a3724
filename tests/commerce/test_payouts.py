"""Specialists connect a Stripe Express account, or are owed a balance paid by hand."""

from decimal import Decimal

import pytest

from commerce.models import LedgerEntry, Order, PayoutAccount
from tests.api_helpers import assert_problem
from tests.commerce.helpers import deliver, event, pay
from tests.factories import UserFactory, build_course

pytestmark = pytest.mark.django_db
CONNECT = "/api/v1/specialist/payouts/connect/"


def test_a_specialist_connects_and_later_sales_pay_them_through_stripe(
    api_client, specialist, fake_stripe
):
    course = build_course(owner=specialist, instructor=specialist, price=Decimal("99"))
    api_client.force_authenticate(specialist)

    first = api_client.post(CONNECT).json()
    again = api_client.post(CONNECT).json()

    [created] = fake_stripe.sent("/v1/accounts")  # one account, however often they ask
    assert created["params"]["type"] == "express"
    assert created["params"]["capabilities[transfers][requested]"] == "true"
    assert created["headers"]["Idempotency-Key"] == f"specialist-{specialist.pk}-account"
    links = fake_stripe.sent("/v1/account_links")
    assert [link["params"]["account"] for link in links] == ["acct_test_1", "acct_test_1"]
    assert links[0]["params"]["type"] == "account_onboarding"
    assert first["url"] == again["url"] == "https://connect.stripe.test/setup/e/acct_test_1"

    response = deliver(event("evt_acct", "account.updated", {
        "id": "acct_test_1", "object": "account", "charges_enabled": True,
        "payouts_enabled": True, "details_submitted": True,
    }))  # fmt: skip
    assert response.json() == {"received": True, "processed": True}
    assert PayoutAccount.objects.get().ready

    api_client.force_authenticate(UserFactory())
    enrollment = api_client.post("/api/v1/enrollments/", {"course": course.pk}).json()
    assert api_client.post(f"/api/v1/enrollments/{enrollment['id']}/payment/").status_code == 201
    assert Order.objects.get().destination_account == "acct_test_1"
    [checkout] = fake_stripe.sent("/v1/checkout/sessions")
    assert checkout["params"]["payment_intent_data[transfer_data][destination]"] == "acct_test_1"


def test_refunds_of_destination_charges_reverse_the_transfer_and_the_fee(
    api_client, specialist, fake_stripe, django_capture_on_commit_callbacks
):
    PayoutAccount.objects.create(
        specialist=specialist, stripe_account_id="acct_1", charges_enabled=True,
        details_submitted=True,
    )  # fmt: skip
    course = build_course(owner=specialist, instructor=specialist, price=Decimal("99"))
    learner = UserFactory()

    enrollment_id, _ = pay(api_client, learner, course, through_stripe=True)
    api_client.force_authenticate(learner)
    with django_capture_on_commit_callbacks(execute=True):
        api_client.post(f"/api/v1/enrollments/{enrollment_id}/refund/", {})

    [refund] = fake_stripe.sent("/v1/refunds")
    assert refund["params"]["reverse_transfer"] == "true"
    assert refund["params"]["refund_application_fee"] == "true"


def test_without_stripe_the_share_accrues_for_manual_payout(
    api_client, specialist, django_assert_max_num_queries
):
    course = build_course(owner=specialist, instructor=specialist, price=Decimal("99"))
    pay(api_client, UserFactory(), course)
    api_client.force_authenticate(specialist)

    with django_assert_max_num_queries(3):
        body = api_client.get("/api/v1/specialist/payouts/").json()
    assert body == {"account": None, "manual_balances": [{"currency": "USD", "due": "69.30"}]}
    assert_problem(api_client.post(CONNECT), 409, "payouts_unavailable")
    assert LedgerEntry.objects.filter(kind="specialist_share", amount=6930).exists()


def test_learners_without_courses_cannot_open_a_payout_account(api_client, learner, fake_stripe):
    api_client.force_authenticate(learner)
    assert_problem(api_client.post(CONNECT), 403, "permission_denied")
    assert fake_stripe.sent("/v1/accounts") == []
