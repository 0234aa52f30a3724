"""Staff work with money in the Wagtail admin; specialists and learners are refused."""

from decimal import Decimal

import pytest
from django.utils import timezone

from commerce.models import LedgerEntry, Order, Refund
from learning.models import Enrollment, Notification
from tests.admin_helpers import assert_refused, messages_of
from tests.commerce.test_refunds import pay
from tests.factories import build_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid(api_client, learner, specialist):
    course = build_course(owner=specialist, instructor=specialist, price=Decimal("99.00"))
    enrollment_id, order = pay(api_client, learner, course)
    return enrollment_id, order


@pytest.fixture
def requested(api_client, paid):
    enrollment_id, order = paid
    Order.objects.filter(pk=order.pk).update(paid_at=timezone.now() - timezone.timedelta(days=40))
    api_client.post(f"/api/v1/enrollments/{enrollment_id}/refund/", {"reason": "Too late?"})
    return Refund.objects.get()


def test_staff_list_inspect_and_export_orders_but_cannot_edit_them(client_for, editor, paid):
    _, order = paid
    client = client_for(editor)

    listing = client.get("/admin/commerce/orders/").content.decode()
    assert f"Order {order.pk}" in listing
    assert client.get(f"/admin/commerce/orders/inspect/{order.pk}/").status_code == 200
    export = client.get("/admin/commerce/orders/?export=csv")
    rows = export.getvalue().decode().splitlines()
    assert rows[0].startswith("ID,Status,Course") and ",99.00,USD,30.00,29.70,69.30," in rows[1]
    assert_refused(client.get("/admin/commerce/orders/new/"))
    assert_refused(client.get(f"/admin/commerce/orders/edit/{order.pk}/"))
    ledger = client.get("/admin/commerce/ledger/?export=csv").getvalue().decode()
    assert len(ledger.splitlines()) == 4  # heading + sale, fee, share


def test_specialists_and_learners_do_not_reach_the_money(client_for, specialist, learner, paid):
    _, order = paid
    specialist_client = client_for(specialist)
    assert_refused(specialist_client.get("/admin/commerce/orders/"))
    assert_refused(specialist_client.get(f"/admin/commerce/orders/{order.pk}/refund/"))
    response = client_for(learner).get("/admin/commerce/orders/")
    assert response.status_code == 302 and "/admin/login/" in response.url


def test_staff_approve_a_late_refund_request(
    client_for, editor, requested, django_capture_on_commit_callbacks
):
    client = client_for(editor)
    assert "Decide" in client.get("/admin/commerce/refunds/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):  # the task that sends it
        response = client.post(
            f"/admin/commerce/refunds/{requested.pk}/decide/",
            {"decision": "approve", "note": "Goodwill."},
        )

    assert response.status_code == 302
    requested.refresh_from_db()
    assert (requested.status, requested.decided_by, requested.decision_note) == (
        "succeeded", editor, "Goodwill.",
    )  # fmt: skip
    assert Enrollment.objects.get().status == "refunded"
    assert any("sent to the provider" in message for message in messages_of(response))


def test_staff_decline_with_a_reason_the_learner_reads(client_for, editor, requested):
    client = client_for(editor)
    url = f"/admin/commerce/refunds/{requested.pk}/decide/"
    assert client.post(url, {"decision": "decline", "note": ""}).status_code == 200
    assert Refund.objects.get().status == "requested"

    client.post(url, {"decision": "decline", "note": "You completed most of the course."})

    assert Refund.objects.get().status == "declined"
    assert Enrollment.objects.get().status == "active"
    notice = Notification.objects.get(kind="refund_declined")
    assert notice.body == "You completed most of the course."


def test_staff_refund_part_of_an_order_and_access_stays(
    client_for, editor, paid, django_capture_on_commit_callbacks
):
    _, order = paid
    client = client_for(editor)
    url = f"/admin/commerce/orders/{order.pk}/refund/"
    assert client.post(url, {"amount": "120.00"}).status_code == 200  # more than was paid

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"amount": "33.00", "note": "Missing module."})

    order.refresh_from_db()
    assert (order.status, order.refunded_amount) == ("partially_refunded", 3300)
    assert Enrollment.objects.get().status == "active"
    reversals = dict(LedgerEntry.objects.filter(refund__isnull=False).values_list("kind", "amount"))
    assert reversals == {"refund": -3300, "fee_reversal": -990, "share_reversal": -2310}


def test_staff_record_a_manual_payout_once(client_for, editor, specialist, paid):
    client = client_for(editor)
    assert "/admin/commerce/payouts/record/" in client.get("/admin/").content.decode()  # menu
    page = client.get("/admin/commerce/payouts/record/").content.decode()
    assert "$69.30" in page
    data = {"specialist": specialist.pk, "currency": "USD", "amount": "69.30", "reference": "TR-1"}

    assert client.post("/admin/commerce/payouts/record/", data).status_code == 302
    again = client.post("/admin/commerce/payouts/record/", data)

    assert again.status_code == 200 and "already recorded" in again.content.decode()
    payout = LedgerEntry.objects.get(kind="payout")
    assert (payout.amount, payout.specialist) == (-6930, specialist)
    assert "$0.00" in client.get("/admin/commerce/payouts/record/").content.decode()
    assert_refused(client_for(specialist).get("/admin/commerce/payouts/record/"))
