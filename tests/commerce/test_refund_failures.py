"""A refund Stripe refuses fails at once, with Stripe's reason, and leaves the way open for a
new one; a refund Stripe never answered (its task lost) is sent again 15 minutes later."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from commerce.models import Order, Refund
from commerce.refunds import refund_approve
from commerce.tasks import resend_unanswered_refunds
from tests.commerce.helpers import pay
from tests.factories import UserFactory, build_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(specialist):
    return build_course(owner=specialist, instructor=specialist, price=Decimal("99.00"))


@pytest.fixture
def paid(api_client, learner, course, fake_stripe):
    enrollment_id, _order = pay(api_client, learner, course, through_stripe=True)
    api_client.force_authenticate(learner)
    return enrollment_id


def ask_refund(api_client, enrollment_id):
    response = api_client.post(f"/api/v1/enrollments/{enrollment_id}/refund/", {})
    assert response.status_code == 201
    return Refund.objects.get(pk=response.json()["id"])


def test_a_refund_stripe_refuses_fails_at_once_and_a_new_one_may_be_asked_for(
    api_client, paid, fake_stripe, django_capture_on_commit_callbacks
):
    fake_stripe.refund_failures = [(400, "invalid_request_error", "Charge ch_1 has been disputed.")]
    with django_capture_on_commit_callbacks(execute=True):
        refused = ask_refund(api_client, paid)

    refused.refresh_from_db()
    assert refused.status == "failed"
    assert refused.failure_reason == "The payment provider refused: Charge ch_1 has been disputed."
    assert len(fake_stripe.sent("/v1/refunds")) == 1  # a refusal is not asked again

    with django_capture_on_commit_callbacks(execute=True):
        again = ask_refund(api_client, paid)
    again.refresh_from_db()
    assert again.status == "succeeded"


def test_a_refund_whose_task_was_lost_is_sent_15_minutes_later(
    api_client, paid, fake_stripe, django_capture_on_commit_callbacks, monkeypatch
):
    with django_capture_on_commit_callbacks(execute=False):  # the broker lost the task
        refund = ask_refund(api_client, paid)
    assert refund.status == "pending" and fake_stripe.sent("/v1/refunds") == []
    assert refund.decided_at is None  # inside the refund window: sent as asked

    monkeypatch.setattr(
        timezone, "now", lambda: refund.created_at + timedelta(minutes=15, microseconds=-1)
    )
    resend_unanswered_refunds.delay()
    assert fake_stripe.sent("/v1/refunds") == []

    monkeypatch.setattr(timezone, "now", lambda: refund.created_at + timedelta(minutes=15))
    resend_unanswered_refunds.delay()
    resend_unanswered_refunds.delay()  # once answered, never again
    [sent] = fake_stripe.sent("/v1/refunds")
    assert sent["headers"]["Idempotency-Key"] == f"refund-{refund.pk}"
    refund.refresh_from_db()
    assert refund.status == "succeeded"


def test_an_approved_refund_whose_task_was_lost_is_sent_15_minutes_after_approval(
    api_client, paid, fake_stripe, django_capture_on_commit_callbacks, monkeypatch
):
    Order.objects.filter(enrollment_id=paid).update(paid_at=timezone.now() - timedelta(days=60))
    requested = ask_refund(api_client, paid)
    assert requested.status == "requested"  # outside the window: staff decide
    Refund.objects.filter(pk=requested.pk).update(created_at=timezone.now() - timedelta(days=3))
    with django_capture_on_commit_callbacks(execute=False):  # the broker lost the task
        approved = refund_approve(refund_id=requested.pk, staff=UserFactory(is_staff=True))

    # Asked three days ago, but sent only now: the 15 minutes run from the approval.
    monkeypatch.setattr(
        timezone, "now", lambda: approved.decided_at + timedelta(minutes=15, microseconds=-1)
    )
    resend_unanswered_refunds.delay()
    assert fake_stripe.sent("/v1/refunds") == []

    monkeypatch.setattr(timezone, "now", lambda: approved.decided_at + timedelta(minutes=15))
    resend_unanswered_refunds.delay()
    assert len(fake_stripe.sent("/v1/refunds")) == 1
    assert Refund.objects.get(pk=requested.pk).status == "succeeded"
