"""Cohorts through the API: the public list and detail, enrolling into a batch, and every
refusal as a problem that changes nothing."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from commerce.models import Order
from learning.models import Cohort, Enrollment
from tests.api_helpers import assert_problem
from tests.factories import CohortFactory, UserFactory, build_cohort_course, build_course

pytestmark = pytest.mark.django_db


def enroll(api_client, learner, cohort, **headers):
    api_client.force_authenticate(learner)
    return api_client.post(f"/api/v1/cohorts/{cohort.pk}/enroll/", headers=headers)


def seats_taken(cohort):
    cohort.refresh_from_db()
    return cohort.seats_taken


# Reading


def test_the_public_list_shows_open_cohorts_with_seats_left_and_price(
    api_client, django_assert_max_num_queries
):
    course = build_cohort_course(price=Decimal("199.00"))
    batch = CohortFactory(course=course, capacity=30, seats_taken=5, price=Decimal("299.00"))
    for n in range(6):  # enough rows for an N+1 to show
        CohortFactory(course=course, starts_on=batch.starts_on + timedelta(days=n + 1))
    CohortFactory(course=course, status=Cohort.Status.DRAFT)
    CohortFactory(course=course, status=Cohort.Status.CANCELLED)

    with django_assert_max_num_queries(3):
        response = api_client.get(f"/api/v1/courses/{course.pk}/cohorts/")

    assert response.status_code == 200
    results = response.json()["results"]
    assert len(results) == 7
    first = results[0]
    assert first["id"] == batch.pk
    assert first["seats_left"] == 25
    assert first["status"] == "open"
    assert first["timezone"] == "America/New_York"
    assert first["price"] == {"amount": "299.00", "currency": "USD"}
    assert first["starts_on"] == batch.starts_on.isoformat()
    assert first["enrollment_deadline"]
    assert results[1]["price"] == {"amount": "199.00", "currency": "USD"}  # the course's


def test_the_list_of_an_unpublished_course_is_404(api_client):
    cohort = CohortFactory(course=build_cohort_course(published=False))
    assert_problem(api_client.get(f"/api/v1/courses/{cohort.course_id}/cohorts/"), 404, "not_found")


def test_an_open_cohort_is_public(api_client, django_assert_max_num_queries):
    cohort = CohortFactory()
    with django_assert_max_num_queries(1):
        response = api_client.get(f"/api/v1/cohorts/{cohort.pk}/")
    assert response.status_code == 200
    assert response.json()["course"]["id"] == cohort.course_id


@pytest.mark.parametrize("status", ["draft", "cancelled"])
def test_a_cohort_that_is_not_open_is_404_except_to_its_teacher(api_client, learner, status):
    cohort = CohortFactory(status=status)
    assert_problem(api_client.get(f"/api/v1/cohorts/{cohort.pk}/"), 404, "not_found")
    api_client.force_authenticate(learner)
    assert_problem(api_client.get(f"/api/v1/cohorts/{cohort.pk}/"), 404, "not_found")
    api_client.force_authenticate(cohort.course.owner)
    assert api_client.get(f"/api/v1/cohorts/{cohort.pk}/").json()["status"] == status


# Enrolling


def test_enrolling_in_a_free_cohort_takes_a_seat_and_gives_access(api_client, learner):
    cohort = CohortFactory()
    response = enroll(api_client, learner, cohort)
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "active"
    assert body["cohort"] == cohort.pk
    assert body["course"]["id"] == cohort.course_id
    assert seats_taken(cohort) == 1


def test_post_enrollments_with_a_cohort_answers_the_same(api_client, learner):
    cohort = CohortFactory()
    api_client.force_authenticate(learner)
    response = api_client.post(
        "/api/v1/enrollments/", {"course": cohort.course_id, "cohort": cohort.pk}
    )
    assert response.status_code == 201
    assert response.json()["cohort"] == cohort.pk
    assert seats_taken(cohort) == 1


def test_the_same_idempotency_key_enrolls_once(api_client, learner):
    cohort = CohortFactory()
    first = enroll(api_client, learner, cohort, **{"Idempotency-Key": "k-1"})
    again = enroll(api_client, learner, cohort, **{"Idempotency-Key": "k-1"})
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert seats_taken(cohort) == 1


def test_a_paid_cohort_awaits_payment_and_the_order_charges_the_cohort_price(api_client, learner):
    cohort = CohortFactory(
        course=build_cohort_course(price=Decimal("199.00")), price=Decimal("299.00")
    )
    enrollment = enroll(api_client, learner, cohort).json()
    assert enrollment["status"] == "pending_payment"
    order = api_client.post(f"/api/v1/enrollments/{enrollment['id']}/payment/")
    assert order.status_code in (200, 201)
    assert Order.objects.get(pk=order.json()["id"]).amount == 29900
    assert seats_taken(cohort) == 1  # held while unpaid


def test_the_last_seat_goes_to_the_nth_learner_and_the_next_is_told_it_is_full(api_client):
    cohort = CohortFactory(capacity=3)
    for _ in range(3):
        assert enroll(api_client, UserFactory(), cohort).status_code == 201
    late = UserFactory()

    body = assert_problem(enroll(api_client, late, cohort), 409, "cohort_full")

    assert body["waitlist"] is True  # open and before its deadline: the line is open
    assert seats_taken(cohort) == 3
    assert not Enrollment.objects.filter(learner=late).exists()


@pytest.mark.parametrize(
    ("offset", "expected"), [(timedelta(0), 409), (-timedelta(microseconds=1), 201)]
)
def test_the_deadline_instant_closes_enrollment(api_client, learner, monkeypatch, offset, expected):
    cohort = CohortFactory()
    now = cohort.enrollment_deadline + offset
    monkeypatch.setattr(timezone, "now", lambda: now)

    response = enroll(api_client, learner, cohort)

    if expected == 409:
        assert_problem(response, 409, "enrollment_closed")
        assert seats_taken(cohort) == 0
        assert not Enrollment.objects.exists()
    else:
        assert response.status_code == 201
        assert seats_taken(cohort) == 1


@pytest.mark.parametrize("status", ["draft", "cancelled"])
def test_a_cohort_that_is_not_open_cannot_be_enrolled(api_client, learner, status):
    cohort = CohortFactory(status=status)
    assert_problem(enroll(api_client, learner, cohort), 404, "not_found")
    body = assert_problem(
        api_client.post("/api/v1/enrollments/", {"course": cohort.course_id, "cohort": cohort.pk}),
        400,
        "invalid",
    )
    assert "cohort" in body["errors"]
    assert seats_taken(cohort) == 0
    assert not Enrollment.objects.exists()


def test_a_closed_cohort_is_refused_to_its_own_teacher_too(api_client):
    cohort = CohortFactory(status=Cohort.Status.DRAFT)
    assert_problem(enroll(api_client, cohort.course.owner, cohort), 409, "enrollment_closed")
    assert seats_taken(cohort) == 0


def test_a_learner_in_one_cohort_cannot_enroll_in_another_of_the_same_course(api_client, learner):
    first = CohortFactory()
    second = CohortFactory(course=first.course)
    enroll(api_client, learner, first)

    body = assert_problem(enroll(api_client, learner, second), 409, "already_enrolled")

    assert body["enrollment"] == Enrollment.objects.get(learner=learner).pk
    assert (seats_taken(first), seats_taken(second)) == (1, 0)


def test_a_cohort_course_without_a_cohort_is_refused(api_client, learner):
    course = build_cohort_course()
    api_client.force_authenticate(learner)
    body = assert_problem(
        api_client.post("/api/v1/enrollments/", {"course": course.pk}), 400, "invalid"
    )
    assert "cohort" in body["errors"]
    assert not Enrollment.objects.exists()


def test_a_self_paced_course_with_a_cohort_is_refused(api_client, learner):
    course = build_course(modules=1, lessons_per_module=1, price=Decimal("0"))
    cohort = CohortFactory()
    api_client.force_authenticate(learner)
    body = assert_problem(
        api_client.post("/api/v1/enrollments/", {"course": course.pk, "cohort": cohort.pk}),
        400,
        "invalid",
    )
    assert "cohort" in body["errors"]
    assert seats_taken(cohort) == 0
    assert not Enrollment.objects.exists()


def test_a_cohort_of_another_course_is_refused(api_client, learner):
    cohort, other = CohortFactory(), CohortFactory()
    api_client.force_authenticate(learner)
    body = assert_problem(
        api_client.post("/api/v1/enrollments/", {"course": cohort.course_id, "cohort": other.pk}),
        400,
        "invalid",
    )
    assert "cohort" in body["errors"]
    assert (seats_taken(cohort), seats_taken(other)) == (0, 0)


def test_enrolling_needs_a_signed_in_learner(api_client):
    cohort = CohortFactory()
    assert api_client.post(f"/api/v1/cohorts/{cohort.pk}/enroll/").status_code == 401
    assert seats_taken(cohort) == 0


def test_a_refund_through_the_api_frees_the_seat(
    api_client, learner, django_capture_on_commit_callbacks
):
    cohort = CohortFactory(capacity=1, price=Decimal("299.00"))
    enrollment = enroll(api_client, learner, cohort).json()
    order = Order.objects.get(
        pk=api_client.post(f"/api/v1/enrollments/{enrollment['id']}/payment/").json()["id"]
    )
    Client().post(order.checkout_url, {"action": "pay"})
    assert_problem(enroll(api_client, UserFactory(), cohort), 409, "cohort_full")

    api_client.force_authenticate(learner)
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(
            f"/api/v1/enrollments/{enrollment['id']}/refund/", {"reason": "Cannot attend."}
        )

    assert response.status_code in (200, 201, 202)
    assert Enrollment.objects.get(pk=enrollment["id"]).status == "refunded"
    assert seats_taken(cohort) == 0
    assert enroll(api_client, UserFactory(), cohort).status_code == 201
