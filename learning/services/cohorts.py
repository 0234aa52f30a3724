"""Cohorts: exact seats, taken and freed by one conditional UPDATE each, on every database.

Where a seat is taken: `cohort_seat_take` (enrolling), `cohort_seat_take_admitted` (a late
payment, a transfer). Where it is freed: `learning.services.waitlist.cohort_seat_free`,
which offers it to the first in line or gives it back (`cohort_seat_release`); called by
refunds, released seat holds (`learning.services.seat_holds`), transfers out, and offers
left or expired.

Left for later (noted in issue 11's closing note):
- offering the next cohort of the course to those still waiting when a cohort's line closes
- closing the pending order when the beat sweep (rather than the provider) ends a hold: the
  order stays pending until the provider's expiry or `orders_expire_stale`, and a payment
  meanwhile takes a free seat again or is refunded
- a periodic recount of seats_taken against live enrollments and open offers
"""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from learning.exceptions import CapacityBelowSeatsTaken, CohortFull, EnrollmentClosed, InvalidInput
from learning.models import Cohort


def cohort_require_enrollable(cohort: Cohort) -> None:
    """Refuse enrolling into a cohort that is not open or whose deadline has come."""
    if cohort.status != Cohort.Status.OPEN:
        raise EnrollmentClosed(f"This cohort is {cohort.status}: it takes no enrollments.")
    if timezone.now() >= cohort.enrollment_deadline:
        raise EnrollmentClosed("The enrollment deadline of this cohort has passed.")


def cohort_seat_take(cohort: Cohort) -> None:
    """Take one seat, or refuse when none is left or the cohort stopped taking enrollments:
    one statement, atomic on every database, so a cohort closed a moment ago takes none."""
    taken = Cohort.objects.filter(
        pk=cohort.pk,
        status=Cohort.Status.OPEN,
        enrollment_deadline__gt=timezone.now(),
        seats_taken__lt=F("capacity"),
    ).update(seats_taken=F("seats_taken") + 1)
    if not taken:
        cohort.refresh_from_db(fields=["status", "enrollment_deadline", "seats_taken", "capacity"])
        cohort_require_enrollable(cohort)
        raise CohortFull(waitlist=cohort.waitlist_open)


# Cohorts that are running: a learner already admitted may still get one of their seats.
RUNNING_STATUSES = (Cohort.Status.OPEN, Cohort.Status.CLOSED)


def cohort_seat_take_admitted(cohort: Cohort) -> None:
    """Take a seat for a learner admitted before (a payment that landed after its hold
    ended, a transfer by staff): capacity binds, the enrollment deadline does not; a cohort
    that is draft, cancelled or completed has no seat to give."""
    taken = Cohort.objects.filter(
        pk=cohort.pk, status__in=RUNNING_STATUSES, seats_taken__lt=F("capacity")
    ).update(seats_taken=F("seats_taken") + 1)
    if not taken:
        cohort.refresh_from_db(fields=["status", "enrollment_deadline", "seats_taken", "capacity"])
        if cohort.status not in RUNNING_STATUSES:
            raise EnrollmentClosed(f"This cohort is {cohort.status}: it takes no learners.")
        raise CohortFull(waitlist=cohort.waitlist_open)


def cohort_seat_release(cohort: Cohort) -> None:
    """Give one seat back (a refund, a cancelled enrollment); never below zero."""
    Cohort.objects.filter(pk=cohort.pk, seats_taken__gt=0).update(seats_taken=F("seats_taken") - 1)


@transaction.atomic
def cohort_capacity_set(*, cohort: Cohort, capacity: int) -> Cohort:
    """Change a cohort's capacity: raised freely, never lowered below the seats taken."""
    if capacity < 1:
        raise InvalidInput({"capacity": ["A cohort has at least one seat."]})
    changed = Cohort.objects.filter(pk=cohort.pk, seats_taken__lte=capacity).update(
        capacity=capacity
    )
    cohort.refresh_from_db(fields=["capacity", "seats_taken"])
    if not changed:
        raise CapacityBelowSeatsTaken(
            f"{cohort.seats_taken} seats are taken: the capacity cannot be lower."
        )
    return cohort
