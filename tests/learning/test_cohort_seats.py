"""Cohorts' rules below the API: validation, database constraints, seats and capacity."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F

from learning.exceptions import (
    CapacityBelowSeatsTaken,
    CohortFull,
    EnrollmentClosed,
    InvalidInput,
)
from learning.models import Cohort, Enrollment
from learning.services import (
    cohort_capacity_set,
    cohort_seat_release,
    cohort_seat_take,
    enrollment_create,
    enrollment_refund,
)
from tests.factories import CohortFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_valid_cohort_passes_full_clean():
    CohortFactory().full_clean()


def test_an_unknown_timezone_is_refused_by_full_clean():
    cohort = CohortFactory.build(course=CohortFactory().course, timezone="Mars/Olympus_Mons")
    with pytest.raises(ValidationError) as refused:
        cohort.full_clean()
    assert "timezone" in refused.value.message_dict


def test_a_deadline_after_the_end_is_refused_by_full_clean():
    cohort = CohortFactory()
    cohort.enrollment_deadline = datetime.combine(
        cohort.ends_on + timedelta(days=1), datetime.min.time(), tzinfo=cohort_zone(cohort)
    )
    with pytest.raises(ValidationError) as refused:
        cohort.full_clean()
    assert "enrollment_deadline" in refused.value.message_dict


def test_a_deadline_late_on_the_last_day_local_time_is_accepted():
    cohort = CohortFactory()
    cohort.enrollment_deadline = datetime.combine(
        cohort.ends_on, datetime.max.time(), tzinfo=cohort_zone(cohort)
    )  # the next day in UTC
    cohort.full_clean()


def test_an_end_before_the_start_is_refused_by_full_clean_and_the_database():
    cohort = CohortFactory()
    cohort.ends_on = cohort.starts_on - timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        cohort.full_clean()
    assert "ends_on" in refused.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        cohort.save()


@pytest.mark.parametrize("capacity", [0, -1])
def test_a_capacity_below_one_is_refused(capacity):
    cohort = CohortFactory()
    cohort.capacity = capacity
    with pytest.raises(ValidationError):
        cohort.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        Cohort.objects.filter(pk=cohort.pk).update(capacity=capacity)


def test_the_database_refuses_more_seats_than_capacity_or_fewer_than_none():
    cohort = CohortFactory(capacity=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Cohort.objects.filter(pk=cohort.pk).update(seats_taken=F("capacity") + 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Cohort.objects.filter(pk=cohort.pk).update(seats_taken=-1)


def test_seats_are_taken_up_to_capacity_and_released_never_below_zero():
    cohort = CohortFactory(capacity=2)
    cohort_seat_take(cohort)
    cohort_seat_take(cohort)
    with pytest.raises(CohortFull):
        cohort_seat_take(cohort)
    cohort.refresh_from_db()
    assert cohort.seats_taken == 2
    for _ in range(3):
        cohort_seat_release(cohort)
    cohort.refresh_from_db()
    assert cohort.seats_taken == 0


@pytest.mark.parametrize(
    "closing",
    [{"status": "closed"}, {"enrollment_deadline": datetime(2020, 1, 1, tzinfo=UTC)}],
    ids=["closed", "deadline_passed"],
)
def test_a_cohort_closed_after_the_check_takes_no_seat(closing):
    cohort = CohortFactory(capacity=5)
    Cohort.objects.filter(pk=cohort.pk).update(**closing)  # closed since `cohort` was read

    with pytest.raises(EnrollmentClosed):
        cohort_seat_take(cohort)

    cohort.refresh_from_db()
    assert cohort.seats_taken == 0


def test_capacity_is_raised_freely_and_lowered_to_the_seats_taken_but_not_below():
    cohort = CohortFactory(capacity=3)
    cohort_seat_take(cohort)
    cohort_seat_take(cohort)

    assert cohort_capacity_set(cohort=cohort, capacity=10).capacity == 10
    assert cohort_capacity_set(cohort=cohort, capacity=2).capacity == 2
    with pytest.raises(CapacityBelowSeatsTaken):
        cohort_capacity_set(cohort=cohort, capacity=1)
    with pytest.raises(InvalidInput):
        cohort_capacity_set(cohort=cohort, capacity=0)
    cohort.refresh_from_db()
    assert (cohort.capacity, cohort.seats_taken) == (2, 2)


@pytest.mark.parametrize("status", ["draft", "closed", "cancelled", "completed"])
def test_only_an_open_cohort_takes_enrollments(status):
    cohort = CohortFactory(status=status)
    with pytest.raises(EnrollmentClosed):
        enrollment_create(learner=UserFactory(), course=cohort.course, cohort=cohort)
    cohort.refresh_from_db()
    assert cohort.seats_taken == 0
    assert not Enrollment.objects.exists()


def test_a_cohort_of_another_course_is_refused():
    cohort, other = CohortFactory(), CohortFactory()
    with pytest.raises(InvalidInput) as refused:
        enrollment_create(learner=UserFactory(), course=cohort.course, cohort=other)
    assert "cohort" in refused.value.errors
    other.refresh_from_db()
    assert other.seats_taken == 0


def test_a_refund_frees_the_seat():
    cohort = CohortFactory(capacity=1)
    enrollment = enrollment_create(learner=UserFactory(), course=cohort.course, cohort=cohort)
    with pytest.raises(CohortFull):
        enrollment_create(learner=UserFactory(), course=cohort.course, cohort=cohort)

    enrollment_refund(enrollment)
    enrollment_refund(enrollment)  # a second refund changes nothing

    cohort.refresh_from_db()
    assert cohort.seats_taken == 0
    enrollment_create(learner=UserFactory(), course=cohort.course, cohort=cohort)
    cohort.refresh_from_db()
    assert cohort.seats_taken == 1


def test_a_priced_cohort_overrides_the_course_price():
    cohort = CohortFactory(price=Decimal("299.00"))
    enrollment = enrollment_create(learner=UserFactory(), course=cohort.course, cohort=cohort)
    assert enrollment.status == Enrollment.Status.PENDING_PAYMENT  # the course itself is free
    assert enrollment.price == Decimal("299.00")


def cohort_zone(cohort):
    from zoneinfo import ZoneInfo

    return ZoneInfo(cohort.timezone)
