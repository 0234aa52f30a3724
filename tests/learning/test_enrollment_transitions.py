"""Enrollment transitions called directly, in the states they must refuse or leave alone."""

from decimal import Decimal

import pytest
from django.utils import timezone

from learning.exceptions import EnrollmentInactive, EnrollmentStateConflict
from learning.models import Enrollment
from learning.services import (
    enrollment_activate_paid,
    enrollment_refund,
    enrollment_reinstate,
    enrollment_suspend,
)
from tests.factories import UserFactory, build_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def enrollment_in(specialist):
    course = build_course(owner=specialist, modules=1, lessons_per_module=1, price=Decimal("9"))

    def make(status, **fields):
        return Enrollment.objects.create(
            learner=UserFactory(), course=course, status=status, **fields
        )

    return make


@pytest.mark.parametrize("status", ["active", "completed"])
def test_suspending_pauses_access_once(enrollment_in, status):
    enrollment = enrollment_in(status)

    first = enrollment_suspend(enrollment).suspended_at
    again = enrollment_suspend(enrollment).suspended_at  # a repeated dispute event

    assert first is not None and again == first
    enrollment.refresh_from_db()
    assert enrollment.status == status and not enrollment.grants_access


@pytest.mark.parametrize("status", ["pending_payment", "refunded", "cancelled", "expired"])
def test_an_enrollment_without_access_cannot_be_suspended(enrollment_in, status):
    enrollment = enrollment_in(status)

    with pytest.raises(EnrollmentStateConflict):
        enrollment_suspend(enrollment)

    enrollment.refresh_from_db()
    assert enrollment.suspended_at is None


def test_reinstating_gives_access_back_and_again_changes_nothing(enrollment_in):
    enrollment = enrollment_in("active", suspended_at=timezone.now())

    enrollment_reinstate(enrollment)
    enrollment_reinstate(enrollment)  # a repeated "dispute won" event

    enrollment.refresh_from_db()
    assert enrollment.suspended_at is None and enrollment.grants_access


@pytest.mark.parametrize("status", ["pending_payment", "refunded", "cancelled", "expired"])
def test_access_cannot_come_back_to_an_enrollment_that_has_none(enrollment_in, status):
    suspended_at = timezone.now()
    enrollment = enrollment_in(status, suspended_at=suspended_at)

    with pytest.raises(EnrollmentStateConflict):
        enrollment_reinstate(enrollment)

    enrollment.refresh_from_db()
    assert (enrollment.status, enrollment.suspended_at) == (status, suspended_at)


@pytest.mark.parametrize("status", ["pending_payment", "cancelled", "expired"])
def test_only_an_enrollment_with_access_can_be_refunded(enrollment_in, status):
    enrollment = enrollment_in(status)

    with pytest.raises(EnrollmentInactive):
        enrollment_refund(enrollment)

    enrollment.refresh_from_db()
    assert enrollment.status == status


def test_a_payment_confirmed_for_a_closed_enrollment_opens_nothing(enrollment_in):
    enrollment = enrollment_in("cancelled")

    assert enrollment_activate_paid(enrollment).status == "cancelled"
