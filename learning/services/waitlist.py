"""The waitlist of a full cohort: joining and leaving the line, and each freed seat offered
to the first learner in it, held for them until they accept or the offer ends.

An offered seat stays counted in the cohort's `seats_taken`: it is never free for someone
else to grab between the release and the offer. Offers are picked with `SKIP LOCKED`, so
seats freed at the same moment go to different learners, each once."""

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from learning.exceptions import (
    AlreadyEnrolled,
    AlreadyOnWaitlist,
    CohortFull,
    EnrollmentClosed,
    NotOnWaitlist,
    SeatsAvailable,
    WaitlistClosed,
)
from learning.links import absolute
from learning.models import Cohort, Enrollment, Notification, WaitlistEntry
from learning.services.cohorts import cohort_seat_release, cohort_seat_take
from learning.services.notifications import notify, notify_many
from learning.services.sessions import session_time_text


def _offer_expiry(cohort, now):
    offer_hours = timezone.timedelta(hours=settings.COHORT_WAITLIST_OFFER_HOURS)
    return min(now + offer_hours, cohort.enrollment_deadline)


def _first_waiting(cohort):
    return (
        WaitlistEntry.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("learner")
        .filter(cohort=cohort, status=WaitlistEntry.Status.WAITING)
        .order_by("created_at", "pk")
        .first()
    )


def _offer(entry, cohort, now):
    entry.status = WaitlistEntry.Status.OFFERED
    entry.offered_at = now
    entry.offer_expires_at = _offer_expiry(cohort, now)
    entry.save(update_fields=["status", "offered_at", "offer_expires_at"])
    local = entry.offer_expires_at.astimezone(cohort.zone)
    notify(
        user=entry.learner,
        kind=Notification.Kind.WAITLIST_OFFER,
        title=f"A seat in {cohort.name} is yours to take",
        body=(
            f"A seat in {cohort.course.title} – {cohort.name} came free and is held for you "
            f"until {local:%Y-%m-%d %H:%M} {cohort.timezone} "
            f"({entry.offer_expires_at.astimezone(datetime.UTC):%Y-%m-%d %H:%M} UTC). "
            "Accept it before then; after that it goes to the next learner in line."
        ),
    )


@transaction.atomic
def cohort_seat_free(cohort: Cohort) -> WaitlistEntry | None:
    """A seat comes free (a refund, an expired hold, a transfer out, an offer left or
    expired): it becomes an offer to the first learner waiting, or goes back to the cohort
    when nobody waits or the cohort takes no more learners. Returns the offer, if any.

    Runs inside the transaction that frees the seat, so both commit or neither does."""
    now = timezone.now()
    cohort = Cohort.objects.select_related("course").get(pk=cohort.pk)
    entry = _first_waiting(cohort) if cohort.takes_enrollments else None
    if entry is None:
        cohort_seat_release(cohort)
        return None
    _offer(entry, cohort, now)
    return entry


@transaction.atomic
def waitlist_join(*, cohort: Cohort, learner) -> WaitlistEntry:
    """Join the line of a full cohort that still takes learners; one place per learner."""
    cohort = Cohort.objects.select_related("course").get(pk=cohort.pk)
    if not cohort.takes_enrollments:
        raise WaitlistClosed("This cohort takes no more learners: its waitlist is closed.")
    if cohort.seats_left > 0:
        raise SeatsAvailable(f"{cohort.seats_left} seats are left: enroll instead.")
    enrolled = Enrollment.objects.filter(
        learner=learner, course=cohort.course_id, status__in=Enrollment.LIVE_STATUSES
    ).first()
    if enrolled:
        raise AlreadyEnrolled(enrolled)
    try:
        with transaction.atomic():
            return WaitlistEntry.objects.create(cohort=cohort, learner=learner)
    except IntegrityError:  # the partial unique constraint: already waiting or offered
        raise AlreadyOnWaitlist("You are on this cohort's waitlist already.") from None


def live_entry_locked(*, cohort: Cohort, learner) -> WaitlistEntry:
    """The learner's waiting or offered entry in this cohort, locked; else NotOnWaitlist."""
    entry = (
        WaitlistEntry.objects.select_for_update()
        .filter(cohort=cohort, learner=learner, status__in=WaitlistEntry.LIVE_STATUSES)
        .first()
    )
    if entry is None:
        raise NotOnWaitlist("You are not on this cohort's waitlist.")
    return entry


@transaction.atomic
def waitlist_leave(*, cohort: Cohort, learner) -> WaitlistEntry:
    """Leave the line; a seat offered to the learner passes to the next one."""
    entry = live_entry_locked(cohort=cohort, learner=learner)
    offered = entry.status == WaitlistEntry.Status.OFFERED
    entry.status, entry.ended_at = WaitlistEntry.Status.LEFT, timezone.now()
    entry.save(update_fields=["status", "ended_at"])
    if offered:
        cohort_seat_free(cohort)
    return entry


def _next_cohort(cohort: Cohort, now):
    """The course's soonest other cohort that still takes enrollments, if any."""
    return (
        Cohort.objects.filter(
            course_id=cohort.course_id, status=Cohort.Status.OPEN, enrollment_deadline__gt=now
        )
        .exclude(pk=cohort.pk)
        .order_by("starts_on", "pk")
        .first()
    )


def waitlist_close(cohort: Cohort) -> int:
    """A cohort that was cancelled: everyone still in its line leaves it (an offer's seat is
    moot: the cohort runs for nobody) and is told, with the course's next cohort that takes
    enrollments if there is one. Returns how many places ended."""
    now = timezone.now()
    entries = list(
        WaitlistEntry.objects.select_related("learner").filter(
            cohort=cohort, status__in=WaitlistEntry.LIVE_STATUSES
        )
    )
    WaitlistEntry.objects.filter(pk__in=[entry.pk for entry in entries]).update(
        status=WaitlistEntry.Status.WITHDRAWN, ended_at=now
    )
    body = f"{cohort} is cancelled, so its waitlist has closed."
    link = ""
    if next_cohort := _next_cohort(cohort, now):
        body += (
            f" The next cohort, “{next_cohort.name}”, starts on "
            f"{next_cohort.starts_on:%a %-d %b %Y} and takes enrollments until "
            f"{session_time_text(next_cohort, next_cohort.enrollment_deadline)}."
        )
        link = absolute(reverse("api:cohort-detail", kwargs={"pk": next_cohort.pk}))
    notify_many(
        [
            Notification(
                user=entry.learner,
                kind=Notification.Kind.WAITLIST_CLOSED,
                title=f"Cohort cancelled: {cohort.name}",
                body=body,
                link=link,
            )
            for entry in entries
        ]
    )
    return len(entries)


def waitlist_withdraw_enrolled(*, learner, course) -> int:
    """The learner has enrolled in the course: their places in its cohorts' lines end, and
    a seat offered to them there passes to the next in line. Returns how many ended."""
    now = timezone.now()
    entries = list(
        WaitlistEntry.objects.select_for_update()
        .select_related("cohort")
        .filter(learner=learner, cohort__course=course, status__in=WaitlistEntry.LIVE_STATUSES)
    )
    for entry in entries:
        offered = entry.status == WaitlistEntry.Status.OFFERED
        entry.status, entry.ended_at = WaitlistEntry.Status.WITHDRAWN, now
        entry.save(update_fields=["status", "ended_at"])
        if offered:
            cohort_seat_free(entry.cohort)
    return len(entries)


@transaction.atomic
def _offer_expire(entry_id, now):
    entry = WaitlistEntry.objects.select_for_update().get(pk=entry_id)
    if entry.status != WaitlistEntry.Status.OFFERED or entry.offer_expires_at > now:
        return False  # accepted, left or expired by another run meanwhile
    entry.status, entry.ended_at = WaitlistEntry.Status.EXPIRED, now
    entry.save(update_fields=["status", "ended_at"])
    cohort_seat_free(entry.cohort)
    return True


@transaction.atomic
def _offer_free_seat(cohort):
    try:
        cohort_seat_take(cohort)
    except (CohortFull, EnrollmentClosed):
        return False
    return cohort_seat_free(cohort) is not None


def cohort_offer_free_seats(cohort: Cohort) -> int:
    """Offer the cohort's free seats to those waiting (after a capacity raise, or a seat
    released while someone was joining the line); returns how many offers went out."""
    offered = 0
    while _offer_free_seat(cohort):
        offered += 1
    return offered


def waitlist_offers_expire() -> int:
    """The beat sweep: end offers past their time, each passing its seat to the next in
    line (or back to the cohort); close the lines of cohorts that take no more learners;
    offer seats that are free while someone waits. Safe to run twice at once."""
    now = timezone.now()
    lapsed = list(
        WaitlistEntry.objects.filter(
            status=WaitlistEntry.Status.OFFERED, offer_expires_at__lte=now
        ).values_list("pk", flat=True)
    )
    expired = sum(_offer_expire(entry_id, now) for entry_id in lapsed)
    WaitlistEntry.objects.filter(status=WaitlistEntry.Status.WAITING).exclude(
        cohort__status=Cohort.Status.OPEN, cohort__enrollment_deadline__gt=now
    ).update(status=WaitlistEntry.Status.WITHDRAWN, ended_at=now)
    waited_for = Cohort.objects.filter(
        status=Cohort.Status.OPEN,
        enrollment_deadline__gt=now,
        waitlist__status=WaitlistEntry.Status.WAITING,
    ).distinct()
    for cohort in waited_for:
        if cohort.seats_left > 0:
            cohort_offer_free_seats(cohort)
    return expired
