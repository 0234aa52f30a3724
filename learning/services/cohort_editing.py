"""A specialist's cohorts: creating a batch of a course they teach, and editing it.

Seats are learning.services.cohorts' business: a capacity change goes through
`cohort_capacity_set`, which never lowers it below the seats taken. Statuses move
draft → open ⇄ closed → completed, and to cancelled from any but completed; a
cancelled or completed cohort is final and takes no more changes. A cohort with live
enrollments is not cancelled: its learners are transferred or refunded first, so the
cancellation never leaves anyone paid up for a batch that will not run.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from coursepages.models import CourseType
from coursepages.selectors import teaches
from learning.exceptions import (
    CohortHasLearners,
    CohortStatusConflict,
    InvalidInput,
    NotTeaching,
)
from learning.models import Cohort, CohortSession, Enrollment, MeetingProviderName
from learning.services.cohorts import cohort_capacity_set
from learning.services.meetings import (
    cohort_sessions_meeting_sync_request,
    meeting_provider_require_offered,
)
from learning.services.waitlist import cohort_offer_free_seats, waitlist_close

Status = Cohort.Status

NEXT_STATUSES = {
    Status.DRAFT: {Status.OPEN, Status.CANCELLED},
    Status.OPEN: {Status.CLOSED, Status.COMPLETED, Status.CANCELLED},
    Status.CLOSED: {Status.OPEN, Status.COMPLETED, Status.CANCELLED},
    Status.CANCELLED: set(),
    Status.COMPLETED: set(),
}
STARTING_STATUSES = (Status.DRAFT, Status.OPEN)
EDITABLE_FIELDS = frozenset(
    {"name", "starts_on", "ends_on", "timezone", "capacity", "enrollment_deadline", "price"}
    | {"status", "meeting_provider"}
)


def _require_teaching(by, course):
    if not (by.is_superuser or teaches(by, course)):
        raise NotTeaching("Only the specialist who teaches this course manages its cohorts.")


def _field_errors(cohort, *, deadline_changed):
    """Messages per field for the rules a form or a request can break, in the specialist's
    words; the model's own validation catches the rest (blank name, lengths)."""
    errors = {}
    if deadline_changed and cohort.enrollment_deadline <= timezone.now():
        errors["enrollment_deadline"] = [
            "The enrollment deadline has to be in the future (to stop enrollments now, "
            "close the cohort)."
        ]
    if cohort.capacity is None or cohort.capacity < 1:
        errors["capacity"] = ["A cohort has at least one seat."]
    if cohort.price is not None and cohort.price < Decimal(0):
        errors["price"] = ["A price cannot be negative (leave it empty to use the course's)."]
    try:
        cohort.full_clean(exclude=[*errors, "course", "capacity", "seats_taken"])
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, messages)
    return errors


@transaction.atomic
def cohort_create(
    *,
    course,
    by,
    name,
    starts_on,
    ends_on,
    timezone,
    capacity,
    enrollment_deadline,
    price=None,
    status=Status.DRAFT,
    meeting_provider=MeetingProviderName.MANUAL,
) -> Cohort:
    """Add a batch to a cohort-type course the user teaches, as a draft unless opened."""
    _require_teaching(by, course)
    if course.course_type != CourseType.COHORT:
        raise InvalidInput({"course": ["This course is self-paced: it has no cohorts."]})
    cohort = Cohort(
        course=course,
        name=name,
        starts_on=starts_on,
        ends_on=ends_on,
        timezone=timezone,
        capacity=capacity,
        enrollment_deadline=enrollment_deadline,
        price=price,
        status=status,
        meeting_provider=meeting_provider,
    )
    errors = _field_errors(cohort, deadline_changed=True)
    try:
        meeting_provider_require_offered(meeting_provider)
    except InvalidInput as refused:
        errors.update(refused.errors)
    if status not in STARTING_STATUSES:
        errors["status"] = ["A new cohort starts as a draft or open."]
    if errors:
        raise InvalidInput(errors)
    cohort.save()
    return cohort


def _sessions_outside(cohort):
    """New dates (or a new zone) must still hold every scheduled session."""
    outside = [
        session.title
        for session in cohort.sessions.filter(status=CohortSession.Status.SCHEDULED)
        if not cohort.starts_on
        <= session.starts_at.astimezone(cohort.zone).date()
        <= cohort.ends_on
    ]
    if not outside:
        return {}
    return {
        "starts_on": [
            f"Scheduled sessions would fall outside the cohort's dates: {', '.join(outside)}. "
            "Reschedule or cancel them first."
        ]
    }


def _require_transition(cohort, status):
    if status not in NEXT_STATUSES[cohort.status]:
        raise CohortStatusConflict(f"A {cohort.status} cohort cannot become {status}.")
    if status == Status.CANCELLED:
        live = cohort.enrollments.filter(status__in=Enrollment.LIVE_STATUSES).count()
        if live:
            raise CohortHasLearners(live)


@transaction.atomic
def cohort_update(*, cohort: Cohort, by, **changes) -> Cohort:
    """Change a cohort's details, capacity or status under the rules above; changing
    nothing is harmless, even on a final cohort."""
    if unknown := changes.keys() - EDITABLE_FIELDS:
        raise TypeError(f"cohort_update cannot change {', '.join(sorted(unknown))}")
    cohort = Cohort.objects.select_for_update().select_related("course").get(pk=cohort.pk)
    _require_teaching(by, cohort.course)
    changes = {field: value for field, value in changes.items() if getattr(cohort, field) != value}
    if not changes:
        return cohort
    if cohort.status in (Status.CANCELLED, Status.COMPLETED):
        raise CohortStatusConflict(f"This cohort is {cohort.status}: it can no longer change.")
    if "meeting_provider" in changes:
        meeting_provider_require_offered(changes["meeting_provider"])
    capacity = changes.pop("capacity", None)
    status = changes.pop("status", None)
    for field, value in changes.items():
        setattr(cohort, field, value)
    errors = _field_errors(cohort, deadline_changed="enrollment_deadline" in changes)
    if changes.keys() & {"starts_on", "ends_on", "timezone"}:
        errors.update(_sessions_outside(cohort))
    if capacity is not None and capacity < 1:
        errors["capacity"] = ["A cohort has at least one seat."]
    if errors:
        raise InvalidInput(errors)
    if status is not None:
        _require_transition(cohort, status)
        cohort.status = status
        changes["status"] = status
    if changes:
        cohort.save(update_fields=list(changes))  # never seats_taken: seats move on their own
    if capacity is not None:
        cohort_capacity_set(cohort=cohort, capacity=capacity)  # refreshes capacity, seats_taken
        cohort_offer_free_seats(cohort)  # new seats go to those waiting first
    if status == Status.CANCELLED:
        waitlist_close(cohort)
    if "meeting_provider" in changes:
        cohort_sessions_meeting_sync_request(cohort)
    return cohort
