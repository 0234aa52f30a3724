"""The development provider's checkout page in a real browser: the learner presses Pay."""

import re
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from playwright.sync_api import expect

from commerce.models import Order
from learning.models import Enrollment
from tests.factories import UserFactory, build_course

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def checkout_path(api_client):
    """Where the API sends a learner who enrolled in a $99 course to pay."""
    course = build_course(title="Data Visualisation Fundamentals", price=Decimal("99.00"))
    api_client.force_authenticate(UserFactory())
    enrollment = api_client.post("/api/v1/enrollments/", {"course": course.pk}).json()
    payment = api_client.post(f"/api/v1/enrollments/{enrollment['id']}/payment/")
    assert payment.status_code in (200, 201), payment.content
    return urlsplit(payment.json()["checkout_url"]).path


@pytest.fixture
def frontend(page):
    """The frontend the checkout returns to is no part of this app: the browser meets a stand-in."""
    origin = urlsplit(settings.CHECKOUT_SUCCESS_URL).netloc
    page.route(
        re.compile(rf"^https?://{re.escape(origin)}/"),
        lambda route: route.fulfill(content_type="text/html", body="<h1>Your course</h1>"),
    )


@pytest.mark.usefixtures("frontend")
def test_pressing_pay_activates_the_enrollment(page, checkout_path):
    page.goto(checkout_path)
    expect(page.get_by_role("heading", name="Data Visualisation Fundamentals")).to_be_visible()
    expect(page.get_by_text("99.00 USD")).to_be_visible()
    enrollment = Enrollment.objects.get()
    assert enrollment.status == "pending_payment"

    page.get_by_role("button", name="Pay").click()

    expect(page).to_have_url(re.compile(rf"/learn/{enrollment.pk}/\?payment=done$"))
    enrollment.refresh_from_db()
    assert enrollment.status == "active"
    assert Order.objects.get(enrollment=enrollment).status == "paid"

    page.goto(checkout_path)  # back on the page: nothing left to press
    expect(page.get_by_text("This order is paid.")).to_be_visible()
    expect(page.get_by_role("button", name="Pay")).to_have_count(0)


@pytest.mark.usefixtures("frontend")
def test_pressing_cancel_closes_the_order_and_leaves_the_course_unpaid(page, checkout_path):
    page.goto(checkout_path)
    page.get_by_role("button", name="Cancel").click()

    enrollment = Enrollment.objects.get()
    expect(page).to_have_url(re.compile(rf"/learn/{enrollment.pk}/\?payment=cancelled$"))
    assert Order.objects.get(enrollment=enrollment).status == "cancelled"
    enrollment.refresh_from_db()
    assert enrollment.status == "pending_payment"  # a self-paced course holds no seat: pay later
