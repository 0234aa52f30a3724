"""A full cohort's waitlist through the API: joining, leaving, offers when a seat frees,
accepting up to the offer's last instant, the beat sweep, and every refusal changing nothing."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from commerce.models import Order
from learning.models import Cohort, Enrollment, Notification, WaitlistEntry
from learning.services import enrollment_activate_paid, enrollment_create, enrollment_refund
from learning.tasks import expire_waitlist_offers
from tests.api_helpers import api_instant, assert_problem
from tests.factories import CohortFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    def set_to(instant):
        monkeypatch.setattr(timezone, "now", lambda: instant)
        return instant

    return set_to


def full_cohort(capacity=1, **fields):
    """A cohort whose every seat is taken by an active learner; returns it and them."""
    status = fields.pop("status", None)
    cohort = CohortFactory(capacity=capacity, **fields)
    holders = [
        enrollment_activate_paid(
            enrollment_create(learner=UserFactory(), course=cohort.course, cohort=cohort)
        )
        for _ in range(capacity)
    ]
    if status:
        Cohort.objects.filter(pk=cohort.pk).update(status=status)
    cohort.refresh_from_db()
    return cohort, holders


def join(api_client, learner, cohort):
    api_client.force_authenticate(learner)
    return api_client.post(f"/api/v1/cohorts/{cohort.pk}/waitlist/")


def leave(api_client, learner, cohort):
    api_client.force_authenticate(learner)
    return api_client.delete(f"/api/v1/cohorts/{cohort.pk}/waitlist/")


def accept(api_client, learner, cohort):
    api_client.force_authenticate(learner)
    return api_client.post(f"/api/v1/cohorts/{cohort.pk}/waitlist/accept/")


def free_a_seat(api_client, enrollment):
    """The holder's seat freed the way a refund frees it."""
    enrollment_refund(enrollment)


def entry_of(learner):
    return WaitlistEntry.objects.get(learner=learner)


def snapshot(cohort):
    cohort.refresh_from_db()
    return (
        cohort.seats_taken,
        list(WaitlistEntry.objects.order_by("pk").values_list("learner", "status")),
        Enrollment.objects.count(),
    )


# Joining


def test_joining_a_full_cohort_puts_the_learner_in_line_with_a_position(api_client):
    cohort, _ = full_cohort()
    first, second = UserFactory(), UserFactory()

    one, two = join(api_client, first, cohort), join(api_client, second, cohort)

    assert one.status_code == two.status_code == 201
    assert one.json()["position"] == 1
    body = two.json()
    assert body == {
        "id": entry_of(second).pk,
        "cohort": cohort.pk,
        "status": "waiting",
        "position": 2,
        "created_at": body["created_at"],
        "offer_expires_at": None,
    }


def test_cohort_full_and_the_public_cohort_say_the_waitlist_is_open(api_client, learner):
    cohort, _ = full_cohort()
    api_client.force_authenticate(learner)
    body = assert_problem(
        api_client.post(f"/api/v1/cohorts/{cohort.pk}/enroll/"), 409, "cohort_full"
    )
    assert body["waitlist"] is True
    assert api_client.get(f"/api/v1/cohorts/{cohort.pk}/").json()["waitlist"] is True
    listed = api_client.get(f"/api/v1/courses/{cohort.course_id}/cohorts/").json()
    assert listed["results"][0]["waitlist"] is True


def test_a_cohort_with_seats_left_has_no_waitlist(api_client, learner):
    cohort = CohortFactory(capacity=2)
    assert api_client.get(f"/api/v1/cohorts/{cohort.pk}/").json()["waitlist"] is False
    before = snapshot(cohort)
    body = assert_problem(join(api_client, learner, cohort), 409, "seats_available")
    assert "2 seats" in body["detail"]
    assert snapshot(cohort) == before


def test_after_the_deadline_the_waitlist_is_closed(api_client, learner, clock):
    cohort, _ = full_cohort()
    clock(cohort.enrollment_deadline)
    before = snapshot(cohort)
    assert_problem(join(api_client, learner, cohort), 409, "waitlist_closed")
    assert snapshot(cohort) == before
    enroll = api_client.post(f"/api/v1/cohorts/{cohort.pk}/enroll/")
    assert_problem(enroll, 409, "enrollment_closed")


def test_the_waitlist_of_a_closed_full_cohort_is_closed_too(api_client, learner):
    cohort, _ = full_cohort(status=Cohort.Status.CLOSED)
    api_client.force_authenticate(cohort.course.owner)  # the teacher sees it
    assert api_client.get(f"/api/v1/cohorts/{cohort.pk}/").json()["waitlist"] is False
    assert_problem(join(api_client, cohort.course.owner, cohort), 409, "waitlist_closed")
    assert not WaitlistEntry.objects.exists()


@pytest.mark.parametrize("status", ["draft", "cancelled"])
def test_the_waitlist_of_a_draft_or_cancelled_cohort_is_not_found(api_client, learner, status):
    cohort, _ = full_cohort(status=status)
    assert_problem(join(api_client, learner, cohort), 404, "not_found")
    assert not WaitlistEntry.objects.exists()


def test_joining_twice_is_refused(api_client, learner):
    cohort, _ = full_cohort()
    join(api_client, learner, cohort)
    before = snapshot(cohort)
    assert_problem(join(api_client, learner, cohort), 409, "already_on_waitlist")
    assert snapshot(cohort) == before


def test_a_learner_enrolled_in_the_course_cannot_join(api_client):
    cohort, [holder] = full_cohort()
    other_batch, _ = full_cohort()
    Cohort.objects.filter(pk=other_batch.pk).update(course=cohort.course)
    before = snapshot(cohort)
    body = assert_problem(join(api_client, holder.learner, other_batch), 409, "already_enrolled")
    assert body["enrollment"] == holder.pk
    assert snapshot(cohort) == before


def test_the_waitlist_needs_a_signed_in_learner(api_client):
    cohort, _ = full_cohort()
    base = f"/api/v1/cohorts/{cohort.pk}/waitlist/"
    assert_problem(api_client.post(base), 401, "not_authenticated")
    assert_problem(api_client.delete(base), 401, "not_authenticated")
    assert_problem(api_client.post(base + "accept/"), 401, "not_authenticated")
    assert not WaitlistEntry.objects.exists()


# Offers


def test_a_refund_offers_the_seat_to_the_first_in_line_and_tells_them(api_client, settings, clock):
    settings.COHORT_WAITLIST_OFFER_HOURS = 24
    now = clock(timezone.now())
    cohort, [holder] = full_cohort()
    first, second = UserFactory(), UserFactory()
    join(api_client, first, cohort)
    join(api_client, second, cohort)

    free_a_seat(api_client, holder)

    offer = entry_of(first)
    assert (offer.status, offer.offer_expires_at) == ("offered", now + timedelta(hours=24))
    cohort.refresh_from_db()
    assert cohort.seats_taken == 1  # held for the offer, not free to grab
    assert_problem(api_client.post(f"/api/v1/cohorts/{cohort.pk}/enroll/"), 409, "cohort_full")
    [note] = Notification.objects.filter(user=first)
    assert note.kind == "waitlist_offer"
    assert "America/New_York" in note.body and "UTC" in note.body
    assert join(api_client, UserFactory(), cohort).status_code == 201  # still full: line open
    api_client.force_authenticate(second)
    assert leave(api_client, second, cohort).status_code == 204


def test_an_offer_never_runs_past_the_enrollment_deadline(api_client, clock):
    cohort, [holder] = full_cohort()
    clock(cohort.enrollment_deadline - timedelta(hours=3))
    first = UserFactory()
    join(api_client, first, cohort)
    free_a_seat(api_client, holder)
    assert entry_of(first).offer_expires_at == cohort.enrollment_deadline


def test_with_nobody_waiting_a_freed_seat_goes_back_to_the_cohort(api_client):
    cohort, [holder] = full_cohort()
    free_a_seat(api_client, holder)
    cohort.refresh_from_db()
    assert cohort.seats_taken == 0


# Accepting


@pytest.mark.parametrize(
    ("price", "status"), [(None, "active"), (Decimal("299.00"), "pending_payment")]
)
def test_accepting_an_offer_enrolls_on_the_held_seat(api_client, price, status):
    cohort, [holder] = full_cohort(price=price)
    first = UserFactory()
    join(api_client, first, cohort)
    free_a_seat(api_client, holder)

    response = accept(api_client, first, cohort)

    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["cohort"]) == (status, cohort.pk)
    enrollment = Enrollment.objects.get(pk=body["id"])
    assert (enrollment.hold_expires_at is not None) == (price is not None)
    assert entry_of(first).status == "accepted"
    cohort.refresh_from_db()
    assert cohort.seats_taken == 1
    if price:
        order = api_client.post(f"/api/v1/enrollments/{enrollment.pk}/payment/").json()
        Client().post(Order.objects.get(pk=order["id"]).checkout_url, {"action": "pay"})
        enrollment.refresh_from_db()
        assert enrollment.status == "active"


def test_the_offers_last_instant_is_accepted(api_client, clock):
    cohort, [holder] = full_cohort()
    first = UserFactory()
    join(api_client, first, cohort)
    free_a_seat(api_client, holder)
    clock(entry_of(first).offer_expires_at - timedelta(microseconds=1))
    assert accept(api_client, first, cohort).status_code == 201


@pytest.mark.parametrize("late", [timedelta(0), timedelta(seconds=1)], ids=["at_expiry", "1s"])
def test_an_expired_offer_is_refused_and_nothing_changes(api_client, clock, late):
    cohort, [holder] = full_cohort()
    first = UserFactory()
    join(api_client, first, cohort)
    free_a_seat(api_client, holder)
    expires_at = entry_of(first).offer_expires_at
    clock(expires_at + late)
    before = snapshot(cohort)

    body = assert_problem(accept(api_client, first, cohort), 409, "offer_expired")

    assert body["expired_at"] == api_instant(expires_at)
    assert snapshot(cohort) == before


def test_accepting_without_an_offer_is_refused(api_client):
    cohort, _ = full_cohort()
    waiting, stranger = UserFactory(), UserFactory()
    join(api_client, waiting, cohort)
    before = snapshot(cohort)
    assert_problem(accept(api_client, waiting, cohort), 409, "no_offer")
    assert_problem(accept(api_client, stranger, cohort), 404, "not_found")
    assert_problem(leave(api_client, stranger, cohort), 404, "not_found")
    assert snapshot(cohort) == before


def test_another_learner_cannot_take_someone_elses_offer(api_client):
    cohort, [holder] = full_cohort()
    first, second = UserFactory(), UserFactory()
    join(api_client, first, cohort)
    join(api_client, second, cohort)
    free_a_seat(api_client, holder)
    before = snapshot(cohort)
    assert_problem(accept(api_client, second, cohort), 409, "no_offer")
    assert snapshot(cohort) == before


def test_enrolling_elsewhere_in_the_course_ends_the_learners_places_in_line(api_client):
    cohort, [holder] = full_cohort()
    first, second = UserFactory(), UserFactory()
    join(api_client, first, cohort)
    join(api_client, second, cohort)
    free_a_seat(api_client, holder)  # offered to first
    assert entry_of(first).status == "offered"
    elsewhere = CohortFactory(course=cohort.course)

    api_client.force_authenticate(first)
    assert api_client.post(f"/api/v1/cohorts/{elsewhere.pk}/enroll/").status_code == 201

    assert entry_of(first).status == "withdrawn"
    assert entry_of(second).status == "offered"  # the held seat passed on, still counted
    cohort.refresh_from_db()
    assert cohort.seats_taken == 1
    before = snapshot(cohort)
    assert_problem(accept(api_client, first, cohort), 404, "not_on_waitlist")
    assert snapshot(cohort) == before


def test_enrolling_leaves_places_in_other_courses_lines_alone(api_client):
    cohort, _ = full_cohort()
    learner = UserFactory()
    join(api_client, learner, cohort)
    other_course_cohort = CohortFactory()

    api_client.force_authenticate(learner)
    assert api_client.post(f"/api/v1/cohorts/{other_course_cohort.pk}/enroll/").status_code == 201

    assert entry_of(learner).status == "waiting"


# Leaving


def test_leaving_with_an_open_offer_passes_the_seat_on(api_client):
    cohort, [holder] = full_cohort()
    first, second = UserFactory(), UserFactory()
    join(api_client, first, cohort)
    join(api_client, second, cohort)
    free_a_seat(api_client, holder)

    response = leave(api_client, first, cohort)

    assert response.status_code == 204
    assert entry_of(first).status == "left"
    assert entry_of(second).status == "offered"
    cohort.refresh_from_db()
    assert cohort.seats_taken == 1
    assert_problem(leave(api_client, first, cohort), 404, "not_on_waitlist")
    assert join(api_client, first, cohort).json()["position"] == 1  # back in line, at the end


# The sweep


def test_the_sweep_passes_an_expired_offer_to_the_next_then_releases_it(api_client, clock):
    cohort, [holder] = full_cohort()
    first, second = UserFactory(), UserFactory()
    join(api_client, first, cohort)
    join(api_client, second, cohort)
    free_a_seat(api_client, holder)
    clock(entry_of(first).offer_expires_at - timedelta(microseconds=1))
    assert expire_waitlist_offers.delay().get() == 0  # not yet
    clock(entry_of(first).offer_expires_at)

    assert expire_waitlist_offers.delay().get() == 1
    assert expire_waitlist_offers.delay().get() == 0  # a second run changes nothing

    assert (entry_of(first).status, entry_of(second).status) == ("expired", "offered")
    cohort.refresh_from_db()
    assert cohort.seats_taken == 1
    clock(entry_of(second).offer_expires_at)
    expire_waitlist_offers.delay()
    cohort.refresh_from_db()
    assert (entry_of(second).status, cohort.seats_taken) == ("expired", 0)


def test_the_sweep_offers_seats_freed_by_a_capacity_raise(api_client):
    cohort, _ = full_cohort()
    first = UserFactory()
    join(api_client, first, cohort)
    Cohort.objects.filter(pk=cohort.pk).update(capacity=2)

    expire_waitlist_offers.delay()

    cohort.refresh_from_db()
    assert (entry_of(first).status, cohort.seats_taken) == ("offered", 2)


def test_the_sweep_withdraws_the_line_after_the_deadline(api_client, clock):
    cohort, _ = full_cohort()
    first = UserFactory()
    join(api_client, first, cohort)
    clock(cohort.enrollment_deadline)
    expire_waitlist_offers.delay()
    assert entry_of(first).status == "withdrawn"
