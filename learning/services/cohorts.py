"""Cohorts: exact seats, taken and freed by one conditional UPDATE each, on every database.

Not built yet from issue 11 (later sessions):
- paid seat holds: a pending_payment cohort enrollment keeps its seat until refunded;
  commerce's order_close/orders_expire_stale close the order but leave the enrollment
  pending, so an expired or cancelled checkout does not free the seat yet (needs an
  enrollment cancel/expire transition that learning owns, called from commerce)
- the cohort refund rule (refundable until the midpoint, configurable per course)
- waitlist (join/leave, offers holding a freed seat for 48 h, expiry to the next);
  `CohortFull` says `waitlist: false` until then
- transfer between cohorts of a course
- sessions (schedule, reschedule, cancel, revision numbers) and cohort-relative drip
- calendars (iCalendar feeds per cohort and per learner, token URLs, ETag)
- join URL with its window and join records
- reminders 24 h and 1 h before each session (Celery beat, exactly once)
- the specialist's side: Wagtail admin viewset, `cohorts/` create/list, PATCH detail
  (capacity through `cohort_capacity_set`), roster, a nightly recount of seats_taken
- demo data in seed_demo, `make bench` entries, OpenAPI examples
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
