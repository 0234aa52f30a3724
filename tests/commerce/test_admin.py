"""Staff work with money in the Wagtail admin; specialists and learners are refused."""

from decimal import Decimal

import pytest
from django.utils import timezone
from wagtail.models import ModelLogEntry

from accounts.names import display_name
from commerce.models import LedgerEntry, Order, PayoutAccount, Refund
from learning.models import Enrollment, Notification
from tests.admin_helpers import assert_refused, messages_of, staff_without_roles
from tests.commerce.helpers import pay
from tests.factories import UserFactory, build_course

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


def history_of(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_money_reads_as_money_and_statuses_by_their_labels(
    client_for, editor, paid, django_capture_on_commit_callbacks
):
    _, order = paid
    client = client_for(editor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/admin/commerce/orders/{order.pk}/refund/", {"amount": "33.00"})

    orders = client.get("/admin/commerce/orders/").content.decode()
    inspect = client.get(f"/admin/commerce/orders/inspect/{order.pk}/").content.decode()
    refunds = client.get("/admin/commerce/refunds/").content.decode()
    ledger = client.get("/admin/commerce/ledger/").content.decode()
    refund_rows = client.get("/admin/commerce/refunds/?export=csv").getvalue().decode()

    assert "$99.00" in orders and "$33.00" in orders and "Partially refunded" in orders
    assert "(partially_refunded)" not in orders and "9900" not in orders
    assert "$99.00" in inspect and "$29.70" in inspect and "$69.30" in inspect
    assert "$33.00" in refunds and "Refunded" in refunds
    assert "-$23.10" in ledger and "Specialist share reversal" in ledger
    heading, row = refund_rows.splitlines()
    assert heading.startswith("ID,Order,Status,Amount,Currency,")
    assert ",succeeded,33.00,USD," in row  # machine-friendly status, decimal amount


def test_money_display_follows_the_currency():
    from commerce.money import money_display

    assert money_display(9900, "USD") == "$99.00"
    assert money_display(4900, "EUR") == "€49.00"
    assert money_display(5000, "JPY") == "¥5000"
    assert money_display(-2970, "GBP") == "-£29.70"
    assert money_display(1250, "CHF") == "12.50 CHF"


def test_a_refund_decision_is_in_the_history_of_the_refund_and_of_its_order(
    client_for, editor, requested
):
    client = client_for(editor)
    client.post(
        f"/admin/commerce/refunds/{requested.pk}/decide/",
        {"decision": "decline", "note": "You completed most of the course."},
    )

    refund_history = history_of(client, f"/admin/commerce/refunds/history/{requested.pk}/")
    order_history = history_of(client, f"/admin/commerce/orders/history/{requested.order_id}/")

    for page in (refund_history, order_history):
        assert "Refund of $99.00 declined: You completed most of the course." in page
        assert display_name(editor) in page


def test_an_approved_and_an_issued_refund_are_logged_with_the_staff_member(
    client_for, editor, requested, django_capture_on_commit_callbacks
):
    client = client_for(editor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/admin/commerce/refunds/{requested.pk}/decide/", {"decision": "approve", "note": ""}
        )
    assert "Refund of $99.00 approved" in history_of(
        client, f"/admin/commerce/refunds/history/{requested.pk}/"
    )
    entry = ModelLogEntry.objects.get(action="commerce.refund.approve", object_id=requested.pk)
    assert entry.user == editor and entry.data["amount"] == "99.00"


def test_a_staff_refund_is_in_the_order_history(client_for, editor, paid):
    _, order = paid
    client = client_for(editor)
    client.post(f"/admin/commerce/orders/{order.pk}/refund/", {"amount": "10.00", "note": "Sorry"})

    page = history_of(client, f"/admin/commerce/orders/history/{order.pk}/")

    assert "Refund of $10.00 issued by staff" in page and display_name(editor) in page


def test_a_manual_payout_is_in_the_ledger_row_history(client_for, editor, specialist, paid):
    client = client_for(editor)
    data = {"specialist": specialist.pk, "currency": "USD", "amount": "69.30", "reference": "TR-9"}
    client.post("/admin/commerce/payouts/record/", data)
    payout = LedgerEntry.objects.get(kind="payout")

    page = history_of(client, f"/admin/commerce/ledger/history/{payout.pk}/")

    assert "Payout of $69.30 recorded (reference TR-9)" in page and display_name(editor) in page


def test_admin_users_without_commerce_permissions_are_refused(client, paid, requested):
    _, order = paid
    client.force_login(staff_without_roles())

    assert "/admin/commerce/" not in client.get("/admin/").content.decode()
    for url in (
        "/admin/commerce/orders/",
        f"/admin/commerce/orders/inspect/{order.pk}/",
        f"/admin/commerce/orders/history/{order.pk}/",
        f"/admin/commerce/orders/{order.pk}/refund/",
        f"/admin/commerce/refunds/{requested.pk}/decide/",
        "/admin/commerce/payouts/record/",
    ):
        assert_refused(client.get(url))
    response = client.post(
        f"/admin/commerce/refunds/{requested.pk}/decide/", {"decision": "approve", "note": ""}
    )
    assert_refused(response)
    assert Refund.objects.get().status == "requested"


def test_people_show_by_name_and_e_mail_not_by_username(client_for, editor, specialist, paid):
    specialist.username = "sam.specialist@example.com"
    specialist.first_name, specialist.last_name = "Sam", "Rivera"
    specialist.save()
    _, order = paid
    client = client_for(editor)

    inspect = client.get(f"/admin/commerce/orders/inspect/{order.pk}/")
    payout_form = client.get("/admin/commerce/payouts/record/")

    assert inspect.status_code == payout_form.status_code == 200
    expected = f"Sam Rivera ({specialist.email})"
    assert expected in inspect.content.decode()
    assert f'<option value="{specialist.pk}">{expected}</option>' in payout_form.content.decode()


@pytest.mark.parametrize("sales", [1, 6])
@pytest.mark.parametrize(
    "listing",
    [
        "orders/",
        "orders/?export=csv",
        "refunds/",
        "ledger/",
        "ledger/?export=csv",
        "payout-accounts/",
    ],
)
def test_money_listings_cost_the_same_queries_for_one_sale_or_many(
    client_for, editor, api_client, specialist, sales, listing, django_assert_max_num_queries
):
    for _ in range(sales):
        learner = UserFactory()
        course = build_course(owner=specialist, instructor=specialist, price=Decimal("49.00"))
        pay(api_client, learner, course)
        PayoutAccount.objects.get_or_create(specialist=specialist, stripe_account_id="acct_1")
    client = client_for(editor)

    with django_assert_max_num_queries(12):
        response = client.get(f"/admin/commerce/{listing}")

    assert response.status_code == 200
