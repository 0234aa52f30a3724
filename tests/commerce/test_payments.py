"""Paying for a course with the development provider: the embedded default's checkout."""

from decimal import Decimal

import pytest
from django.test import Client

from commerce.models import LedgerEntry, Order
from coursepages.models import LessonPage
from tests.api_helpers import assert_problem
from tests.factories import UserFactory, build_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid_course(specialist):
    return build_course(owner=specialist, instructor=specialist, price=Decimal("99.00"))


@pytest.fixture
def pending(api_client, learner, paid_course):
    api_client.force_authenticate(learner)
    enrollment = api_client.post("/api/v1/enrollments/", {"course": paid_course.pk}).json()
    assert enrollment["status"] == "pending_payment"
    return enrollment


def lesson_url(enrollment, course):
    lesson = LessonPage.objects.descendant_of(course).order_by("path").last()
    return f"/api/v1/enrollments/{enrollment['id']}/lessons/{lesson.pk}/"


def test_the_paid_journey_opens_the_course_and_splits_the_money(
    api_client, pending, paid_course, specialist, django_capture_on_commit_callbacks
):
    assert_problem(api_client.get(lesson_url(pending, paid_course)), 403, "enrollment_inactive")

    order = api_client.post(f"/api/v1/enrollments/{pending['id']}/payment/").json()
    assert order["price"] == {"amount": "99.00", "currency": "USD"}
    assert order["provider"] == "development" and order["status"] == "pending"

    browser = Client()
    page = browser.get(order["checkout_url"])
    assert "99.00 USD" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        paid = browser.post(order["checkout_url"], {"action": "pay"})
    assert paid.status_code == 302 and f"/learn/{pending['id']}/" in paid["Location"]

    assert api_client.get(f"/api/v1/enrollments/{pending['id']}/").json()["status"] == "active"
    assert api_client.get(lesson_url(pending, paid_course)).status_code == 200
    stored = Order.objects.get()
    assert (stored.status, stored.platform_fee, stored.specialist_share) == ("paid", 2970, 6930)
    ledger = dict(LedgerEntry.objects.values_list("kind", "amount"))
    assert ledger == {"sale": 9900, "platform_fee": 2970, "specialist_share": 6930}
    assert set(LedgerEntry.objects.values_list("specialist", flat=True)) == {specialist.pk}


def test_asking_to_pay_again_gives_the_same_open_checkout(api_client, pending):
    first = api_client.post(f"/api/v1/enrollments/{pending['id']}/payment/").json()
    second = api_client.post(f"/api/v1/enrollments/{pending['id']}/payment/").json()
    assert (first["id"], first["checkout_url"]) == (second["id"], second["checkout_url"])
    assert Order.objects.count() == 1


def test_a_cancelled_checkout_leaves_the_enrollment_waiting_and_payable(api_client, pending):
    order = api_client.post(f"/api/v1/enrollments/{pending['id']}/payment/").json()
    Client().post(order["checkout_url"], {"action": "cancel"})

    assert Order.objects.get().status == "cancelled"
    assert api_client.get(f"/api/v1/enrollments/{pending['id']}/").json()["status"] == (
        "pending_payment"
    )
    again = api_client.post(f"/api/v1/enrollments/{pending['id']}/payment/").json()
    assert again["id"] != order["id"] and again["status"] == "pending"
    assert LedgerEntry.objects.count() == 0


def test_paying_twice_for_one_checkout_records_one_sale(api_client, pending):
    order = api_client.post(f"/api/v1/enrollments/{pending['id']}/payment/").json()
    browser = Client()
    browser.post(order["checkout_url"], {"action": "pay"})
    browser.post(order["checkout_url"], {"action": "pay"})
    assert LedgerEntry.objects.filter(kind="sale").count() == 1


def test_free_and_active_enrollments_have_nothing_to_pay(api_client, learner):
    api_client.force_authenticate(learner)
    enrollment = api_client.post(
        "/api/v1/enrollments/", {"course": build_course(price=Decimal("0")).pk}
    ).json()
    response = api_client.post(f"/api/v1/enrollments/{enrollment['id']}/payment/")
    assert_problem(response, 409, "not_payable")


def test_nobody_else_can_pay_for_or_see_the_order(api_client, pending):
    api_client.force_authenticate(UserFactory())
    assert_problem(
        api_client.post(f"/api/v1/enrollments/{pending['id']}/payment/"), 404, "not_found"
    )
    api_client.force_authenticate(None)
    response = api_client.post(f"/api/v1/enrollments/{pending['id']}/payment/")
    assert_problem(response, 401, "not_authenticated")
    assert Order.objects.count() == 0
    assert Client().get("/checkout/dev/forged-token/").status_code == 404
