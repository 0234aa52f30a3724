"""Moving a learner to another cohort of the same course, keeping everything they have."""

from django.db import transaction

from learning.exceptions import (
    ContentNotFound,
    EnrollmentClosed,
    EnrollmentStateConflict,
    InvalidInput,
)
from learning.models import Cohort, Enrollment, Notification
from learning.selectors import cohorts_managed_by
from learning.services.cohorts import RUNNING_STATUSES, cohort_seat_take_admitted
from learning.services.meetings import enrollment_meetings_sync_request
from learning.services.notifications import notify
from learning.services.waitlist import cohort_seat_free

TRANSFERABLE_STATUSES = (*Enrollment.LIVE_STATUSES,)


@transaction.atomic
def enrollment_transfer(*, enrollment: Enrollment, to_cohort: Cohort, by) -> Enrollment:
    """Move an enrollment to another cohort of its course, for whoever manages its cohort
    (the course's teacher, superusers): the seat there is taken first (full → CohortFull,
    nothing changes), then the seat here is freed and offered to the waitlist. The same
    enrollment row changes cohort, so its orders, payment and progress stay with it.

    The target must be running (open or closed); its enrollment deadline does not bind a
    transfer, which is staff's decision, but its capacity does. An unpaid enrollment's
    seat hold moves along with it."""
    enrollment = (
        Enrollment.objects.select_for_update(of=("self",))
        .select_related("cohort", "course", "learner")
        .get(pk=enrollment.pk)
    )
    source = enrollment.cohort
    if source is None or not cohorts_managed_by(by).filter(pk=source.pk).exists():
        raise ContentNotFound("No such enrollment in a cohort you manage.")
    if enrollment.status not in TRANSFERABLE_STATUSES:
        raise EnrollmentStateConflict(f"An enrollment that is {enrollment.status} has no seat.")
    if to_cohort.course_id != enrollment.course_id:
        raise InvalidInput({"to_cohort": ["This cohort belongs to another course."]})
    if to_cohort.pk == source.pk:
        raise InvalidInput({"to_cohort": ["The learner is in this cohort already."]})
    # Both rows locked in one order, so two opposite transfers wait instead of deadlocking.
    locked = {c.pk: c for c in Cohort.objects.select_for_update().filter(
        pk__in=[source.pk, to_cohort.pk]).order_by("pk")}  # fmt: skip
    target = locked[to_cohort.pk]
    if target.status not in RUNNING_STATUSES:
        raise EnrollmentClosed(f"The cohort {target.name} is {target.status}: it takes no one.")
    cohort_seat_take_admitted(target)
    enrollment.cohort = target
    enrollment.save(update_fields=["cohort"])
    cohort_seat_free(source)
    enrollment_meetings_sync_request(enrollment=enrollment, cohort_ids=[source.pk, target.pk])
    notify(
        user=enrollment.learner,
        kind=Notification.Kind.COHORT_TRANSFERRED,
        title=f"You are now in {target.name}",
        body=(
            f"Your place in {enrollment.course.title} moved from {source.name} to {target.name} "
            f"({target.starts_on:%Y-%m-%d} to {target.ends_on:%Y-%m-%d}, {target.timezone}). "
            "Your payment and progress come with you."
        ),
        enrollment=enrollment,
    )
    return enrollment
