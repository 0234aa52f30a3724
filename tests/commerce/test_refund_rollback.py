"""A refund and what it takes back commit together: when revoking the certificate fails, the
refund is not recorded at all, the failure shows, and a later delivery records it once."""

from decimal import Decimal

import pytest
from django.utils import timezone

from certification import receivers
from certification.models import Certificate
from certification.services import certificate_issue
from commerce.models import LedgerEntry, Order, ProcessedEvent, Refund
from commerce.tasks import refund_send
from learning.models import Enrollment, Notification
from tests.api_helpers import assert_problem
from tests.commerce.helpers import deliver, event, pay, refund_ledger
from tests.factories import build_course

pytestmark = pytest.mark.django_db

CHARGE_REFUNDED = event("evt_refunded", "charge.refunded", {
    "id": "ch_1", "object": "charge", "payment_intent": "pi_1", "amount_refunded": 9900,
})  # fmt: skip


@pytest.fixture
def certified(api_client, learner, specialist, fake_stripe):
    """A paid (through Stripe), completed enrollment with its valid certificate."""
    course = build_course(owner=specialist, instructor=specialist, price=Decimal("99.00"))
    enrollment_id, _ = pay(api_client, learner, course, through_stripe=True)
    Enrollment.objects.filter(pk=enrollment_id).update(
        status="completed", completed_at=timezone.now()
    )
    return certificate_issue(enrollment=Enrollment.objects.get(pk=enrollment_id))


@pytest.fixture
def revocation(monkeypatch):
    """Certificate revocation that fails until the test says the fault is gone."""
    fault = {"on": True}
    revoke = receivers.certificate_revoke

    def failing_revoke(**kwargs):
        if fault["on"]:
            raise RuntimeError("the certificate store is unreachable")
        return revoke(**kwargs)

    monkeypatch.setattr(receivers, "certificate_revoke", failing_revoke)
    return fault


def assert_nothing_refunded(certificate):
    assert not Refund.objects.filter(status="succeeded").exists()
    order = Order.objects.get()
    assert (order.status, order.refunded_amount) == ("paid", 0)
    assert Enrollment.objects.get().status == "completed"
    assert refund_ledger() == {}
    certificate.refresh_from_db()
    assert certificate.is_valid
    assert not Notification.objects.filter(kind__in=["refunded", "certificate_revoked"]).exists()


def assert_refunded_once(certificate):
    refund = Refund.objects.get()
    assert refund.status == "succeeded"
    order = Order.objects.get()
    assert (order.status, order.refunded_amount) == ("refunded", 9900)
    assert Enrollment.objects.get().status == "refunded"
    assert refund_ledger() == {"refund": -9900, "fee_reversal": -2970, "share_reversal": -6930}
    assert LedgerEntry.objects.filter(refund__isnull=False).count() == 3
    certificate.refresh_from_db()
    assert not certificate.is_valid
    assert Certificate.objects.count() == 1
    kinds = sorted(Notification.objects.values_list("kind", flat=True))
    assert kinds.count("refunded") == 1 and kinds.count("certificate_revoked") == 1
    return refund


def test_a_stripe_refund_whose_revocation_fails_is_undone_and_redelivered(
    api_client, certified, revocation
):
    response = deliver(CHARGE_REFUNDED)

    assert_problem(response, 500, "server_error")  # not 2xx: Stripe delivers it again
    assert_nothing_refunded(certified)
    assert not ProcessedEvent.objects.filter(event_id="evt_refunded").exists()

    revocation["on"] = False
    assert deliver(CHARGE_REFUNDED).json() == {"received": True, "processed": True}
    assert deliver(CHARGE_REFUNDED).json() == {"received": True, "processed": False}
    assert_refunded_once(certified)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # real commits: the task runs
def test_an_api_refund_whose_revocation_fails_stays_pending_until_the_task_runs_again(
    api_client, learner, certified, revocation, fake_stripe, caplog
):
    api_client.force_authenticate(learner)
    enrollment_id = certified.enrollment_id

    response = api_client.post(f"/api/v1/enrollments/{enrollment_id}/refund/", {})

    assert response.status_code == 201  # the learner's request is taken...
    assert response.json()["status"] == "pending"  # ...and its recording is retried
    [failure] = [record for record in caplog.records if record.levelname == "ERROR"]
    assert "the certificate store is unreachable" in str(failure.exc_info[1])
    assert_nothing_refunded(certified)
    refund = Refund.objects.get()
    assert refund.status == "pending" and refund.provider_reference  # Stripe's refund is known

    revocation["on"] = False
    refund_send.delay(refund.pk)  # the task's next retry
    refund_send.delay(refund.pk)  # and one too many: nothing left to do
    assert_refunded_once(certified)
    sent = fake_stripe.sent("/v1/refunds")
    assert {r["headers"]["Idempotency-Key"] for r in sent} == {f"refund-{refund.pk}"}

    # Stripe's own event for the same refund finds it recorded and changes nothing.
    stripe_refund = {"id": refund.provider_reference, "object": "refund", "status": "succeeded"}
    deliver(event("evt_refund_updated", "refund.updated", stripe_refund))
    assert_refunded_once(certified)
