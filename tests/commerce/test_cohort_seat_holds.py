"""Paid cohort seats held while the learner pays: the checkout's expiry, the release by
whichever comes first (Stripe's expiry, a closed order, the beat sweep), exactly once, and
a payment that lands after the seat was released."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from commerce.models import Order, Refund
from commerce.tasks import expire_stale_orders
from learning.models import Enrollment, Notification, WaitlistEntry
from learning.tasks import release_expired_seat_holds
from tests.api_helpers import assert_problem
from tests.commerce.helpers import deliver, session_event
from tests.factories import CohortFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    """Moves `timezone.now()` to a given instant."""

    def set_to(instant):
        monkeypatch.setattr(timezone, "now", lambda: instant)
        return instant

    return set_to


@pytest.fixture
def cohort():
    return CohortFactory(capacity=2, price=Decimal("299.00"))


def enroll(api_client, learner, cohort):
    api_client.force_authenticate(learner)
    response = api_client.post(f"/api/v1/cohorts/{cohort.pk}/enroll/")
    assert response.status_code == 201, response.json()
    return Enrollment.objects.get(pk=response.json()["id"])


def start_checkout(api_client, enrollment):
    api_client.force_authenticate(enrollment.learner)
    response = api_client.post(f"/api/v1/enrollments/{enrollment.pk}/payment/")
    assert response.status_code == 201, response.json()
    return Order.objects.get(pk=response.json()["id"])


def seats_taken(cohort):
    cohort.refresh_from_db()
    return cohort.seats_taken


def state(enrollment, cohort):
    enrollment.refresh_from_db()
    return enrollment.status, seats_taken(cohort)


def kinds(learner):
    return list(Notification.objects.filter(user=learner).values_list("kind", flat=True))


# The hold and the checkout


def test_a_paid_cohort_enrollment_holds_its_seat_for_the_set_minutes(
    api_client, learner, cohort, clock, settings
):
    settings.COHORT_SEAT_HOLD_MINUTES = 20
    now = clock(timezone.now())
    enrollment = enroll(api_client, learner, cohort)
    assert enrollment.status == "pending_payment"
    assert enrollment.hold_expires_at == now + timedelta(minutes=20)
    assert seats_taken(cohort) == 1


def test_a_free_cohort_enrollment_holds_nothing(api_client, learner):
    enrollment = enroll(api_client, learner, CohortFactory())
    assert (enrollment.status, enrollment.hold_expires_at) == ("active", None)


def test_the_stripe_checkout_expires_with_the_hold_extended_to_stripes_minimum(
    api_client, learner, cohort, fake_stripe, clock
):
    enrolled_at = clock(timezone.now().replace(microsecond=0))
    enrollment = enroll(api_client, learner, cohort)  # held 30 minutes
    started_at = clock(enrolled_at + timedelta(minutes=10))

    order = start_checkout(api_client, enrollment)

    [sent] = fake_stripe.sent("/v1/checkout/sessions")
    enrollment.refresh_from_db()
    assert enrollment.hold_expires_at == started_at + timedelta(minutes=31)
    assert int(sent["params"]["expires_at"]) == int(enrollment.hold_expires_at.timestamp())
    assert sent["params"]["line_items[0][price_data][unit_amount]"] == "29900"
    assert order.checkout_reference == "cs_test_1"


def test_a_hold_longer_than_stripes_minimum_is_the_checkouts_expiry(
    api_client, learner, cohort, fake_stripe, settings
):
    settings.COHORT_SEAT_HOLD_MINUTES = 90
    enrollment = enroll(api_client, learner, cohort)
    start_checkout(api_client, enrollment)
    [sent] = fake_stripe.sent("/v1/checkout/sessions")
    assert int(sent["params"]["expires_at"]) == int(enrollment.hold_expires_at.timestamp())


# Released once, by whichever comes first


def test_stripes_expiry_releases_the_seat_and_the_later_sweep_changes_nothing(
    api_client, learner, cohort, fake_stripe, clock
):
    enrollment = enroll(api_client, learner, cohort)
    order = start_checkout(api_client, enrollment)

    expired = session_event("evt_exp", "checkout.session.expired", order.checkout_reference)
    assert deliver(expired).json() == {"received": True, "processed": True}

    assert state(enrollment, cohort) == ("expired", 0)
    order.refresh_from_db()
    assert order.status == "expired"
    assert kinds(learner) == ["seat_hold_released"]

    clock(enrollment.hold_expires_at + timedelta(minutes=1))
    assert release_expired_seat_holds.delay().get() == 0
    assert state(enrollment, cohort) == ("expired", 0)
    assert kinds(learner) == ["seat_hold_released"]


def test_the_sweep_releases_first_and_stripes_later_expiry_changes_nothing_more(
    api_client, learner, cohort, fake_stripe, clock
):
    enrollment = enroll(api_client, learner, cohort)
    order = start_checkout(api_client, enrollment)
    enrollment.refresh_from_db()
    clock(enrollment.hold_expires_at)  # the hold's last instant has come

    assert release_expired_seat_holds.delay().get() == 1
    assert state(enrollment, cohort) == ("expired", 0)

    expired = session_event("evt_exp", "checkout.session.expired", order.checkout_reference)
    assert deliver(expired).status_code == 200
    order.refresh_from_db()
    assert order.status == "expired"  # the order closes too, and the seat stays released once
    assert state(enrollment, cohort) == ("expired", 0)
    assert kinds(learner) == ["seat_hold_released"]


def test_the_sweep_leaves_a_hold_that_has_not_ended(api_client, learner, cohort, clock):
    enrollment = enroll(api_client, learner, cohort)
    clock(enrollment.hold_expires_at - timedelta(microseconds=1))
    assert release_expired_seat_holds.delay().get() == 0
    assert state(enrollment, cohort) == ("pending_payment", 1)


def test_cancelling_the_checkout_releases_the_seat_as_cancelled(api_client, learner, cohort):
    enrollment = enroll(api_client, learner, cohort)
    order = start_checkout(api_client, enrollment)  # the development provider's page
    Client().post(order.checkout_url, {"action": "cancel"})
    assert state(enrollment, cohort) == ("cancelled", 0)
    order.refresh_from_db()
    assert order.status == "cancelled"


def test_a_failed_bank_payment_releases_the_seat(api_client, learner, cohort, fake_stripe):
    enrollment = enroll(api_client, learner, cohort)
    order = start_checkout(api_client, enrollment)
    failed = session_event(
        "evt_f", "checkout.session.async_payment_failed", order.checkout_reference
    )
    deliver(failed)
    assert state(enrollment, cohort) == ("expired", 0)


def test_stale_orders_expiring_release_their_seats(api_client, learner, cohort):
    enrollment = enroll(api_client, learner, cohort)
    order = start_checkout(api_client, enrollment)
    Order.objects.filter(pk=order.pk).update(created_at=timezone.now() - timedelta(days=2))
    expire_stale_orders.delay()
    assert state(enrollment, cohort) == ("expired", 0)


def test_after_an_expired_hold_the_learner_can_enroll_again(api_client, learner, cohort, clock):
    enrollment = enroll(api_client, learner, cohort)
    clock(enrollment.hold_expires_at)
    release_expired_seat_holds.delay()

    again = enroll(api_client, learner, cohort)

    assert again.pk != enrollment.pk
    assert again.status == "pending_payment"
    assert seats_taken(cohort) == 1


def test_a_released_hold_goes_to_the_first_in_line(api_client, cohort, clock):
    holder, payer = enroll(api_client, UserFactory(), cohort), UserFactory()
    enroll(api_client, payer, cohort)
    first, second = UserFactory(), UserFactory()
    for waiting in (first, second):
        api_client.force_authenticate(waiting)
        assert api_client.post(f"/api/v1/cohorts/{cohort.pk}/waitlist/").status_code == 201
    clock(holder.hold_expires_at)

    release_expired_seat_holds.delay()

    assert seats_taken(cohort) == 2  # still counted: it is held for the offer
    offer = WaitlistEntry.objects.get(learner=first)
    assert (offer.status, offer.offer_expires_at) == ("offered", holder.hold_expires_at
                                                       + timedelta(hours=48))  # fmt: skip
    assert WaitlistEntry.objects.get(learner=second).status == "waiting"
    assert kinds(first) == ["waitlist_offer"]


# A payment after the release


def test_a_payment_after_the_release_takes_a_free_seat_again(
    api_client, learner, cohort, fake_stripe, clock
):
    enrollment = enroll(api_client, learner, cohort)
    order = start_checkout(api_client, enrollment)
    enrollment.refresh_from_db()
    clock(enrollment.hold_expires_at)
    release_expired_seat_holds.delay()
    assert state(enrollment, cohort) == ("expired", 0)

    paid = session_event("evt_paid", "checkout.session.completed", order.checkout_reference)
    assert deliver(paid).json()["processed"] is True

    assert state(enrollment, cohort) == ("active", 1)
    order.refresh_from_db()
    assert order.status == "paid"
    assert not fake_stripe.sent("/v1/refunds")


def test_a_payment_after_the_seat_went_to_someone_else_is_refunded_in_full(
    api_client, learner, fake_stripe, clock, django_capture_on_commit_callbacks
):
    cohort = CohortFactory(capacity=1, price=Decimal("299.00"))
    enrollment = enroll(api_client, learner, cohort)
    order = start_checkout(api_client, enrollment)
    enrollment.refresh_from_db()
    clock(enrollment.hold_expires_at)
    release_expired_seat_holds.delay()
    enroll(api_client, UserFactory(), cohort)  # the freed seat is taken

    paid = session_event("evt_paid", "checkout.session.completed", order.checkout_reference,
                         intent="pi_late")  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        assert deliver(paid).status_code == 200

    [sent] = fake_stripe.sent("/v1/refunds")
    assert sent["params"]["payment_intent"] == "pi_late"
    assert sent["params"]["amount"] == "29900"
    assert sent["headers"]["Idempotency-Key"] == f"refund-{Refund.objects.get().pk}"
    order.refresh_from_db()
    assert (order.status, order.refunded_amount) == ("refunded", 29900)
    assert state(enrollment, cohort) == ("expired", 1)  # no seat taken, none given back
    assert kinds(learner) == ["refunded", "seat_lost", "seat_hold_released"]
    api_client.force_authenticate(learner)
    body = assert_problem(
        api_client.post(f"/api/v1/enrollments/{enrollment.pk}/refund/", {}), 409, "not_refundable"
    )
    assert body["detail"]


def test_a_late_payment_after_enrolling_anew_is_refunded_not_a_second_seat(
    api_client, learner, cohort, fake_stripe, clock, django_capture_on_commit_callbacks
):
    enrollment = enroll(api_client, learner, cohort)
    order = start_checkout(api_client, enrollment)
    enrollment.refresh_from_db()
    clock(enrollment.hold_expires_at)
    release_expired_seat_holds.delay()
    anew = enroll(api_client, learner, cohort)

    paid = session_event("evt_paid", "checkout.session.completed", order.checkout_reference)
    with django_capture_on_commit_callbacks(execute=True):
        deliver(paid)

    assert len(fake_stripe.sent("/v1/refunds")) == 1
    assert state(enrollment, cohort) == ("expired", 1)
    assert Enrollment.objects.get(pk=anew.pk).status == "pending_payment"
