"""Enrollments: joining a course, and the transitions that give, pause and end access."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from coursepages.models import CoursePage, CourseType
from learning.events import (
    announce,
    enrollment_activated,
    enrollment_created,
    enrollment_refunded,
)
from learning.exceptions import (
    AlreadyEnrolled,
    CohortFull,
    EnrollmentClosed,
    EnrollmentInactive,
    EnrollmentStateConflict,
    InvalidInput,
    NoOffer,
    OfferExpired,
)
from learning.models import Cohort, Enrollment, WaitlistEntry
from learning.services.cohorts import (
    cohort_require_enrollable,
    cohort_seat_take,
    cohort_seat_take_admitted,
)
from learning.services.waitlist import (
    cohort_seat_free,
    live_entry_locked,
    waitlist_withdraw_enrolled,
)


def _live_enrollment(learner, course):
    return Enrollment.objects.filter(
        learner=learner, course=course, status__in=Enrollment.LIVE_STATUSES
    ).first()


def _locked(enrollment):
    return Enrollment.objects.select_for_update().get(pk=enrollment.pk)


def _require_fitting_cohort(course, cohort):
    if course.course_type == CourseType.COHORT and cohort is None:
        raise InvalidInput({"cohort": ["This course is taught in cohorts: choose one."]})
    if course.course_type != CourseType.COHORT and cohort is not None:
        raise InvalidInput({"cohort": ["This course is self-paced: it has no cohorts."]})
    if cohort is not None and cohort.course_id != course.pk:
        raise InvalidInput({"cohort": ["This cohort belongs to another course."]})


def _require_open_course(course):
    if not course.listed or not course.enrollment_open:
        raise EnrollmentClosed("This course is not open for new enrollments.")


@transaction.atomic
def enrollment_create(*, learner, course: CoursePage, cohort: Cohort | None = None) -> Enrollment:
    """Enroll a learner: free courses give access at once, paid ones wait for payment.

    A cohort-type course needs one of its cohorts, open and before its deadline; the seat
    is taken in the transaction that writes the enrollment, so a refusal takes none. A
    paid cohort seat is held until `hold_expires_at` (COHORT_SEAT_HOLD_MINUTES)."""
    _require_open_course(course)
    _require_fitting_cohort(course, cohort)
    if existing := _live_enrollment(learner, course):
        raise AlreadyEnrolled(existing)
    if cohort is not None:
        cohort_require_enrollable(cohort)
    return _enroll(learner, course, cohort, take_seat=cohort is not None)


def _enroll(learner, course, cohort, *, take_seat):
    enrollment = Enrollment(learner=learner, course=course, cohort=cohort)
    free = enrollment.price == 0
    enrollment.status = Enrollment.Status.ACTIVE if free else Enrollment.Status.PENDING_PAYMENT
    if cohort is not None and not free:
        hold = timezone.timedelta(minutes=settings.COHORT_SEAT_HOLD_MINUTES)
        enrollment.hold_expires_at = timezone.now() + hold
    try:
        with transaction.atomic():
            if take_seat:
                cohort_seat_take(cohort)
            enrollment.save()
    except IntegrityError:  # a concurrent request enrolled first
        raise AlreadyEnrolled(_live_enrollment(learner, course)) from None
    announce(enrollment_created, sender=Enrollment, enrollment=enrollment)
    if cohort is not None:
        waitlist_withdraw_enrolled(learner=learner, course=course)
    if free:
        _activate(enrollment)
    return enrollment


@transaction.atomic
def waitlist_offer_accept(*, cohort: Cohort, learner) -> Enrollment:
    """Take the seat a waitlist offer holds: an enrollment on that seat (free → active;
    paid → pending_payment with its hold, then the usual checkout). Refused once the offer
    has expired (`offer_expires_at` is exclusive), and then nothing changes."""
    entry = live_entry_locked(cohort=cohort, learner=learner)
    if entry.status != WaitlistEntry.Status.OFFERED:
        raise NoOffer("You are still in line: no seat has been offered to you yet.")
    if timezone.now() >= entry.offer_expires_at:
        raise OfferExpired(entry.offer_expires_at)
    cohort = Cohort.objects.select_related("course").get(pk=cohort.pk)
    if cohort.status != Cohort.Status.OPEN:
        raise EnrollmentClosed(f"This cohort is {cohort.status}: it takes no enrollments.")
    _require_open_course(cohort.course)
    if existing := _live_enrollment(learner, cohort.course):
        raise AlreadyEnrolled(existing)
    entry.status, entry.ended_at = WaitlistEntry.Status.ACCEPTED, timezone.now()
    entry.save(update_fields=["status", "ended_at"])
    return _enroll(learner, cohort.course, cohort, take_seat=False)  # the offer holds it


def _activate(enrollment):
    enrollment.status = Enrollment.Status.ACTIVE
    enrollment.activated_at = timezone.now()
    enrollment.save(update_fields=["status", "activated_at"])
    CoursePage.objects.filter(pk=enrollment.course_id).update(
        enrollment_count=F("enrollment_count") + 1
    )
    announce(enrollment_activated, sender=Enrollment, enrollment=enrollment)


@transaction.atomic
def enrollment_activate_paid(enrollment: Enrollment) -> Enrollment:
    """Give access once the payment is in; a second confirmation changes nothing.

    A payment for a cohort seat whose hold has ended takes a seat again when one is free
    (the deadline does not bind: the learner began paying in time). When none is, or the
    learner has enrolled anew since, the enrollment stays closed: the caller refunds."""
    enrollment = _locked(enrollment)
    if enrollment.status == Enrollment.Status.PENDING_PAYMENT:
        _activate(enrollment)
    elif enrollment.status in Enrollment.HOLD_ENDED_STATUSES and enrollment.cohort_id:
        try:
            with transaction.atomic():
                cohort_seat_take_admitted(enrollment.cohort)
                _activate(enrollment)
        except (CohortFull, EnrollmentClosed, IntegrityError):
            enrollment.refresh_from_db(fields=["status", "activated_at"])
    return enrollment


@transaction.atomic
def enrollment_refund(enrollment: Enrollment) -> Enrollment:
    """End the access a refund takes back, once; listeners revoke what it earned."""
    enrollment = _locked(enrollment)
    if enrollment.status == Enrollment.Status.REFUNDED:
        return enrollment
    if enrollment.status not in Enrollment.ACCESS_STATUSES:
        raise EnrollmentInactive("Only an active or completed enrollment can be refunded.")
    enrollment.status = Enrollment.Status.REFUNDED
    enrollment.save(update_fields=["status"])
    if enrollment.cohort_id:
        cohort_seat_free(enrollment.cohort)  # to the first in line, if anyone waits
    CoursePage.objects.filter(pk=enrollment.course_id).update(
        enrollment_count=F("enrollment_count") - 1
    )
    announce(enrollment_refunded, sender=Enrollment, enrollment=enrollment)
    return enrollment


@transaction.atomic
def enrollment_suspend(enrollment: Enrollment) -> Enrollment:
    """Pause access while a payment is disputed; lessons answer 403 until reinstated.

    Suspending again changes nothing (a dispute event delivered twice); an enrollment
    that gives no access (unpaid, refunded, closed) has nothing to pause and is refused.
    """
    enrollment = _locked(enrollment)
    if enrollment.suspended_at is not None:
        return enrollment
    if enrollment.status not in Enrollment.ACCESS_STATUSES:
        raise EnrollmentStateConflict(
            f"An enrollment that is {enrollment.status} has no access to suspend."
        )
    enrollment.suspended_at = timezone.now()
    enrollment.save(update_fields=["suspended_at"])
    return enrollment


@transaction.atomic
def enrollment_reinstate(enrollment: Enrollment) -> Enrollment:
    """Give a suspended enrollment its access back once the dispute is settled for us.

    Reinstating one that is not suspended changes nothing (a repeated event); access
    cannot come back to an enrollment that no longer has any (refunded, closed).
    """
    enrollment = _locked(enrollment)
    if enrollment.status not in Enrollment.ACCESS_STATUSES:
        raise EnrollmentStateConflict(
            f"An enrollment that is {enrollment.status} cannot get its access back."
        )
    if enrollment.suspended_at is not None:
        enrollment.suspended_at = None
        enrollment.save(update_fields=["suspended_at"])
    return enrollment
