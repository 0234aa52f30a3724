"""Moving a learner between cohorts of a course: the seat there first, then this one to the
waitlist, the same enrollment kept; and every refusal changing nothing."""

from decimal import Decimal

import pytest
from django.utils import timezone

from commerce.models import Order
from learning.exceptions import ContentNotFound
from learning.models import Cohort, Enrollment, Notification, WaitlistEntry
from learning.services import (
    enrollment_activate_paid,
    enrollment_create,
    enrollment_refund,
    enrollment_transfer,
)
from tests.api_helpers import assert_problem
from tests.factories import CohortFactory, SpecialistFactory, UserFactory, build_cohort_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(specialist):
    return build_cohort_course(owner=specialist, instructor=specialist)


@pytest.fixture
def source(course):
    return CohortFactory(course=course, capacity=1)


@pytest.fixture
def target(course):
    return CohortFactory(course=course, capacity=2)


@pytest.fixture
def enrollment(source, learner):
    return enrollment_create(learner=learner, course=source.course, cohort=source)


def transfer(api_client, user, cohort, **payload):
    if user is not None:
        api_client.force_authenticate(user)
    return api_client.post(f"/api/v1/cohorts/{cohort.pk}/transfer/", payload)


def snapshot():
    return (
        sorted(Cohort.objects.values_list("pk", "seats_taken")),
        sorted(Enrollment.objects.values_list("pk", "cohort", "status")),
        Notification.objects.count(),
    )


def test_the_teacher_moves_a_learner_keeping_the_enrollment_and_its_order(
    api_client, specialist, source, target, learner
):
    source.course.price = Decimal("99.00")
    source.course.save()
    paid = enrollment_create(learner=learner, course=source.course, cohort=source)
    Order.objects.create(
        enrollment=paid, course=source.course, specialist=specialist, amount=9900,
        currency="USD", commission_percent=30, platform_fee=2970, specialist_share=6930,
        provider="development", status="paid", paid_at=timezone.now(),
    )  # fmt: skip
    enrollment_activate_paid(paid)

    response = transfer(api_client, specialist, source, enrollment=paid.pk, to_cohort=target.pk)

    assert response.status_code == 200
    assert response.json() == {
        "enrollment": paid.pk,
        "status": "active",
        "from_cohort": source.pk,
        "to_cohort": target.pk,
    }
    paid.refresh_from_db()
    assert (paid.cohort_id, paid.status) == (target.pk, "active")
    assert Order.objects.get().enrollment_id == paid.pk
    source.refresh_from_db(), target.refresh_from_db()
    assert (source.seats_taken, target.seats_taken) == (0, 1)
    [note] = Notification.objects.filter(user=learner, kind="cohort_transferred")
    assert target.name in note.title


def test_the_freed_seat_goes_to_the_source_cohorts_waitlist(
    api_client, specialist, source, target, enrollment
):
    waiting = UserFactory()
    api_client.force_authenticate(waiting)
    assert api_client.post(f"/api/v1/cohorts/{source.pk}/waitlist/").status_code == 201

    transfer(api_client, specialist, source, enrollment=enrollment.pk, to_cohort=target.pk)

    assert WaitlistEntry.objects.get(learner=waiting).status == "offered"
    source.refresh_from_db()
    assert source.seats_taken == 1


def test_superusers_may_transfer(api_client, django_user_model, source, target, enrollment):
    root = django_user_model.objects.create_superuser("root", "root@example.com", "pw-123456")
    response = transfer(api_client, root, source, enrollment=enrollment.pk, to_cohort=target.pk)
    assert response.status_code == 200


def test_the_targets_deadline_does_not_bind_a_transfer_but_a_closed_cohort_takes_it(
    api_client, specialist, source, target, enrollment
):
    Cohort.objects.filter(pk=target.pk).update(
        status=Cohort.Status.CLOSED, enrollment_deadline=timezone.now()
    )
    response = transfer(
        api_client, specialist, source, enrollment=enrollment.pk, to_cohort=target.pk
    )
    assert response.status_code == 200


def test_a_transfer_into_a_full_cohort_is_refused_and_changes_nothing(
    api_client, specialist, source, target, enrollment
):
    Cohort.objects.filter(pk=target.pk).update(seats_taken=2)
    before = snapshot()
    body = assert_problem(
        transfer(api_client, specialist, source, enrollment=enrollment.pk, to_cohort=target.pk),
        409,
        "cohort_full",
    )
    assert body["waitlist"] is True
    assert snapshot() == before


@pytest.mark.parametrize("status", ["draft", "cancelled", "completed"])
def test_a_cohort_that_is_not_running_takes_no_transfer(
    api_client, specialist, source, target, enrollment, status
):
    Cohort.objects.filter(pk=target.pk).update(status=status)
    before = snapshot()
    assert_problem(
        transfer(api_client, specialist, source, enrollment=enrollment.pk, to_cohort=target.pk),
        409,
        "enrollment_closed",
    )
    assert snapshot() == before


def test_a_cohort_of_another_course_is_refused(api_client, specialist, source, enrollment):
    elsewhere = CohortFactory(course=build_cohort_course(owner=specialist, instructor=specialist))
    before = snapshot()
    body = assert_problem(
        transfer(api_client, specialist, source, enrollment=enrollment.pk, to_cohort=elsewhere.pk),
        400,
        "invalid",
    )
    assert "to_cohort" in body["errors"]
    assert snapshot() == before


def test_the_same_cohort_is_refused(api_client, specialist, source, enrollment):
    before = snapshot()
    body = assert_problem(
        transfer(api_client, specialist, source, enrollment=enrollment.pk, to_cohort=source.pk),
        400,
        "invalid",
    )
    assert "to_cohort" in body["errors"]
    assert snapshot() == before


def test_an_enrollment_not_in_this_cohort_is_refused(api_client, specialist, source, target):
    theirs = enrollment_create(learner=UserFactory(), course=target.course, cohort=target)
    before = snapshot()
    body = assert_problem(
        transfer(api_client, specialist, source, enrollment=theirs.pk, to_cohort=target.pk),
        400,
        "invalid",
    )
    assert "enrollment" in body["errors"]
    assert snapshot() == before


def test_a_refunded_enrollment_is_refused(api_client, specialist, source, target, enrollment):
    enrollment_refund(enrollment)
    before = snapshot()
    assert_problem(
        transfer(api_client, specialist, source, enrollment=enrollment.pk, to_cohort=target.pk),
        409,
        "invalid_transition",
    )
    assert snapshot() == before


def test_bad_input_is_refused(api_client, specialist, source):
    body = assert_problem(transfer(api_client, specialist, source, enrollment="x"), 400, "invalid")
    assert set(body["errors"]) == {"enrollment", "to_cohort"}


@pytest.mark.parametrize("who", ["learner", "other_specialist", "enrolled"])
def test_only_who_manages_the_cohort_may_transfer(
    api_client, source, target, enrollment, who, other_specialist, learner
):
    user = {"learner": UserFactory(), "other_specialist": other_specialist, "enrolled": learner}
    before = snapshot()
    assert_problem(
        transfer(api_client, user[who], source, enrollment=enrollment.pk, to_cohort=target.pk),
        404,
        "not_found",
    )
    assert snapshot() == before


def test_anonymous_is_refused(api_client, source, target, enrollment):
    before = snapshot()
    assert_problem(
        transfer(api_client, None, source, enrollment=enrollment.pk, to_cohort=target.pk),
        401,
        "not_authenticated",
    )
    assert snapshot() == before


def test_the_service_refuses_a_teacher_of_another_course(source, target, enrollment):
    with pytest.raises(ContentNotFound):
        enrollment_transfer(enrollment=enrollment, to_cohort=target, by=SpecialistFactory())
