"""Paid cohort seats held while the learner pays, and released, once, when they do not.

A pending_payment cohort enrollment holds its seat until `hold_expires_at`. The hold ends
with whichever comes first: the checkout expiring or being cancelled at the provider
(commerce calls `enrollment_release_hold` from `order_close`), or the beat sweep finding
the hold past its time. The seat then goes to the waitlist (or back to the cohort). A
payment that lands afterwards is handled by `enrollment_activate_paid`."""

from django.db import transaction
from django.utils import timezone

from learning.models import Enrollment, Notification
from learning.services.notifications import notify
from learning.services.waitlist import cohort_seat_free


def _locked(enrollment_id):
    return (
        Enrollment.objects.select_for_update(of=("self",))
        .select_related("cohort", "course", "learner")
        .get(pk=enrollment_id)
    )


def _release(enrollment, status):
    if enrollment.status != Enrollment.Status.PENDING_PAYMENT or enrollment.cohort_id is None:
        return False  # paid, released already, or a self-paced enrollment that holds no seat
    enrollment.status = status
    enrollment.save(update_fields=["status"])
    cohort_seat_free(enrollment.cohort)
    notify(
        user=enrollment.learner,
        kind=Notification.Kind.SEAT_HOLD_RELEASED,
        title=f"Your seat in {enrollment.cohort.name} was released",
        body=(
            f"We held a seat in {enrollment.course.title} – {enrollment.cohort.name} while you "
            "paid, but no payment came in time. You can enroll again while seats are left."
        ),
        enrollment=enrollment,
    )
    return True


@transaction.atomic
def enrollment_release_hold(
    *, enrollment: Enrollment, status: str = Enrollment.Status.EXPIRED
) -> Enrollment:
    """End an unpaid cohort enrollment's seat hold (→ `expired` or `cancelled`) and free
    the seat, once: a second call, or one for a paid or self-paced enrollment, changes
    nothing."""
    if status not in Enrollment.HOLD_ENDED_STATUSES:
        raise ValueError(f"A released hold ends as cancelled or expired, not {status}.")
    enrollment = _locked(enrollment.pk)
    _release(enrollment, status)
    return enrollment


@transaction.atomic
def enrollment_hold_extend(*, enrollment: Enrollment, at_least: timezone.timedelta):
    """Keep a held seat for at least this long from now (a checkout that cannot be shorter,
    such as Stripe's 30 minutes); returns the hold's end, None when nothing is held."""
    enrollment = _locked(enrollment.pk)
    if enrollment.status != Enrollment.Status.PENDING_PAYMENT or enrollment.cohort_id is None:
        return None
    until = timezone.now() + at_least
    if enrollment.hold_expires_at is None or enrollment.hold_expires_at < until:
        enrollment.hold_expires_at = until
        enrollment.save(update_fields=["hold_expires_at"])
    return enrollment.hold_expires_at


@transaction.atomic
def _expire_if_lapsed(enrollment_id, now):
    enrollment = _locked(enrollment_id)
    if enrollment.hold_expires_at is None or enrollment.hold_expires_at > now:
        return False  # extended by a checkout meanwhile
    return _release(enrollment, Enrollment.Status.EXPIRED)


def seat_holds_release_expired() -> int:
    """The beat sweep: release every seat hold past its time; returns how many. Safe to
    run twice at once, or alongside the provider's own expiry."""
    now = timezone.now()
    lapsed = list(
        Enrollment.objects.filter(
            status=Enrollment.Status.PENDING_PAYMENT,
            cohort__isnull=False,
            hold_expires_at__lte=now,
        ).values_list("pk", flat=True)
    )
    return sum(_expire_if_lapsed(enrollment_id, now) for enrollment_id in lapsed)
