"""The cohort refund rule: refundable at once until the cohort's refund deadline (its
midpoint by default, a per-course percentage), then waiting for staff; a refund's freed
seat goes to the waitlist."""

import datetime
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from commerce.models import Order
from learning.models import WaitlistEntry
from tests.factories import CohortFactory, UserFactory, build_cohort_course

pytestmark = pytest.mark.django_db

NEW_YORK = datetime.timezone(timedelta(hours=-5))  # EST, no DST in these dates


@pytest.fixture
def clock(monkeypatch):
    def set_to(instant):
        monkeypatch.setattr(timezone, "now", lambda: instant)
        return instant

    return set_to


def paid_cohort(percent=50, capacity=30):
    """A cohort from 1 to 4 January 2099 in New York: four local days, 96 hours."""
    course = build_cohort_course(price=Decimal("299.00"), cohort_refund_until_percent=percent)
    return CohortFactory(
        course=course,
        capacity=capacity,
        starts_on=datetime.date(2099, 1, 1),
        ends_on=datetime.date(2099, 1, 4),
        enrollment_deadline=datetime.datetime(2098, 12, 31, tzinfo=datetime.UTC),
    )


def enroll_and_pay(api_client, learner, cohort):
    api_client.force_authenticate(learner)
    enrollment = api_client.post(f"/api/v1/cohorts/{cohort.pk}/enroll/").json()
    order = api_client.post(f"/api/v1/enrollments/{enrollment['id']}/payment/").json()
    Client().post(Order.objects.get(pk=order["id"]).checkout_url, {"action": "pay"})
    return enrollment["id"]


def request_refund(api_client, learner, enrollment_id):
    api_client.force_authenticate(learner)
    return api_client.post(f"/api/v1/enrollments/{enrollment_id}/refund/", {"reason": "Busy."})


@pytest.mark.parametrize(
    ("percent", "deadline"),
    [
        (50, datetime.datetime(2099, 1, 3, 0, 0, tzinfo=NEW_YORK)),  # the midpoint
        (0, datetime.datetime(2099, 1, 1, 0, 0, tzinfo=NEW_YORK)),  # the start
        (25, datetime.datetime(2099, 1, 2, 0, 0, tzinfo=NEW_YORK)),
        (100, datetime.datetime(2099, 1, 5, 0, 0, tzinfo=NEW_YORK)),  # the end of the last day
    ],
)
def test_the_refund_deadline_is_a_share_of_the_cohorts_local_days(percent, deadline):
    assert paid_cohort(percent).refund_deadline == deadline


def test_a_dst_change_inside_the_cohort_counts_real_hours():
    # 7 to 9 March 2025 in New York: 71 real hours (clocks jump forward on the 9th).
    cohort = paid_cohort()
    cohort.starts_on, cohort.ends_on = datetime.date(2025, 3, 7), datetime.date(2025, 3, 9)
    start = datetime.datetime(2025, 3, 7, 5, 0, tzinfo=datetime.UTC)  # local midnight, EST
    assert cohort.refund_deadline == start + timedelta(hours=35, minutes=30)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the refund task commits
@pytest.mark.parametrize("percent", [50, 0])
def test_at_the_deadlines_last_instant_the_refund_is_immediate(api_client, clock, percent):
    cohort = paid_cohort(percent)
    learner = UserFactory()
    enrollment_id = enroll_and_pay(api_client, learner, cohort)
    clock(cohort.refund_deadline)

    response = request_refund(api_client, learner, enrollment_id)

    assert response.status_code == 201
    assert response.json()["status"] == "succeeded"
    assert Order.objects.get().status == "refunded"
    cohort.refresh_from_db()
    assert cohort.seats_taken == 0


@pytest.mark.parametrize("percent", [50, 0])
def test_a_second_after_the_deadline_the_request_waits_for_staff(api_client, clock, percent):
    cohort = paid_cohort(percent)
    learner = UserFactory()
    enrollment_id = enroll_and_pay(api_client, learner, cohort)
    clock(cohort.refund_deadline + timedelta(seconds=1))

    response = request_refund(api_client, learner, enrollment_id)

    assert response.status_code == 201
    assert response.json()["status"] == "requested"
    assert Order.objects.get().status == "paid"
    cohort.refresh_from_db()
    assert cohort.seats_taken == 1


def test_the_course_refund_window_in_days_does_not_apply_to_cohorts(api_client, clock):
    cohort = paid_cohort()
    cohort.course.refund_window_days = 0
    cohort.course.save()
    learner = UserFactory()
    enrollment_id = enroll_and_pay(api_client, learner, cohort)
    clock(timezone.now() + timedelta(days=3))  # past 0 days, long before the midpoint
    assert request_refund(api_client, learner, enrollment_id).json()["status"] == "pending"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_refunds_freed_seat_is_offered_to_the_waitlist(api_client):
    cohort = paid_cohort(capacity=1)
    learner, waiting = UserFactory(), UserFactory()
    enrollment_id = enroll_and_pay(api_client, learner, cohort)
    api_client.force_authenticate(waiting)
    assert api_client.post(f"/api/v1/cohorts/{cohort.pk}/waitlist/").status_code == 201

    assert request_refund(api_client, learner, enrollment_id).json()["status"] == "succeeded"

    assert WaitlistEntry.objects.get(learner=waiting).status == "offered"
    cohort.refresh_from_db()
    assert cohort.seats_taken == 1


def test_the_setting_is_in_the_course_editors_price_panel(client, django_user_model):
    course = build_cohort_course()
    admin = django_user_model.objects.create_superuser("root", "root@example.com", "pw-123456")
    client.force_login(admin)
    page = client.get(f"/admin/pages/{course.pk}/edit/").content.decode()
    assert 'name="cohort_refund_until_percent"' in page
    assert page.index('name="refund_window_days"') < page.index(
        'name="cohort_refund_until_percent"'
    )
