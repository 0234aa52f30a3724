"""Paying for enrollments: orders, their guarded transitions, and what each one moves."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from commerce.events import order_paid
from commerce.exceptions import InvalidTransition, NotPayable
from commerce.ledger import ledger_record_sale
from commerce.models import CommerceSettings, Order, PayoutAccount
from commerce.money import split, to_minor_units
from commerce.providers import payment_provider
from commerce.refunds import refund_seat_lost
from coursepages.selectors import course_teacher
from learning.events import announce
from learning.models import Enrollment
from learning.services import (
    enrollment_activate_paid,
    enrollment_hold_extend,
    enrollment_reinstate,
    enrollment_release_hold,
    enrollment_suspend,
)

# Stripe takes a checkout expiry between 30 minutes and 24 hours from when it gets the
# request: a minute spare at the short end for the time the request takes, five at the long.
CHECKOUT_SHORTEST = timezone.timedelta(minutes=31)
CHECKOUT_LONGEST = timezone.timedelta(hours=23, minutes=55)

# Where each status may go; anything else is refused.
TRANSITIONS = {
    Order.Status.PENDING: {
        Order.Status.PAID,
        Order.Status.FAILED,
        Order.Status.EXPIRED,
        Order.Status.CANCELLED,
    },
    # The provider has the last word on money: a payment confirmed after the order
    # timed out on our side still counts.
    Order.Status.EXPIRED: {Order.Status.PAID},
    Order.Status.CANCELLED: {Order.Status.PAID},
    Order.Status.FAILED: {Order.Status.PAID},
    Order.Status.PAID: {Order.Status.PARTIALLY_REFUNDED, Order.Status.REFUNDED},
    Order.Status.PARTIALLY_REFUNDED: {Order.Status.PARTIALLY_REFUNDED, Order.Status.REFUNDED},
}


def _move(order, status):
    if status not in TRANSITIONS.get(order.status, ()):
        raise InvalidTransition(f"An order that is {order.status} cannot become {status}.")
    order.status = status


def _checkout_urls(enrollment):
    return (
        settings.CHECKOUT_SUCCESS_URL.format(enrollment=enrollment.pk),
        settings.CHECKOUT_CANCEL_URL.format(enrollment=enrollment.pk),
    )


def order_create(*, enrollment: Enrollment) -> Order:
    """Price an order from the course as it is now, with the commission as it is now."""
    course = enrollment.course
    amount = to_minor_units(enrollment.price, course.currency)  # a cohort may set its own
    commission = CommerceSettings.load().commission_percent
    fee, share = split(amount, commission)
    specialist = course_teacher(course)
    account = PayoutAccount.objects.filter(specialist=specialist).first()
    return Order.objects.create(
        enrollment=enrollment,
        course=course,
        specialist=specialist,
        amount=amount,
        currency=course.currency,
        commission_percent=commission,
        platform_fee=fee,
        specialist_share=share,
        provider=payment_provider().name,
        destination_account=account.stripe_account_id if account and account.ready else "",
    )


def checkout_start(*, enrollment: Enrollment) -> Order:
    """The pending order of an enrollment awaiting payment, with a checkout to pay it at.

    Starting again while a checkout is open returns the same one. The provider is asked
    outside any transaction, with no row locked: the order is committed first, and of two
    starts racing, the checkout saved first is the one both answer (the provider's
    idempotency key makes it the same checkout anyway)."""
    enrollment, order, expires_at = _pending_order(enrollment)
    if order.checkout_url:
        return order
    success_url, cancel_url = _checkout_urls(enrollment)
    checkout = payment_provider().checkout_create(
        order, success_url=success_url, cancel_url=cancel_url, expires_at=expires_at
    )
    saved = Order.objects.filter(pk=order.pk, checkout_url="").update(
        checkout_reference=checkout.reference, checkout_url=checkout.url
    )
    if saved:
        order.checkout_reference, order.checkout_url = checkout.reference, checkout.url
    else:
        order.refresh_from_db()
    return order


@transaction.atomic
def _pending_order(enrollment):
    """(the enrollment, its pending order, when a new checkout should expire): the order made
    if there is none, the seat hold extended for the checkout."""
    enrollment = (
        Enrollment.objects.select_for_update()
        .select_related("course", "learner")
        .get(pk=enrollment.pk)
    )
    if enrollment.status != Enrollment.Status.PENDING_PAYMENT:
        raise NotPayable(f"This enrollment is {enrollment.status}: there is nothing to pay.")
    order = enrollment.orders.filter(status=Order.Status.PENDING).first()
    if order is None:
        order = order_create(enrollment=enrollment)
    expires_at = None if order.checkout_url else _checkout_expiry(enrollment)
    return enrollment, order, expires_at


def _checkout_expiry(enrollment):
    """When the checkout stops taking payment: with a cohort seat held, when the hold ends
    (extended to the shortest checkout the provider allows); else on the platform's
    schedule. Both within the provider's limits."""
    now = timezone.now()
    if held_until := enrollment_hold_extend(enrollment=enrollment, at_least=CHECKOUT_SHORTEST):
        return min(held_until, now + CHECKOUT_LONGEST)
    hours = timezone.timedelta(hours=CommerceSettings.load().checkout_expiry_hours)
    return now + min(hours, CHECKOUT_LONGEST)


def _locked(order_id):
    return Order.objects.select_for_update().select_related("enrollment").get(pk=order_id)


@transaction.atomic
def order_mark_paid(*, order_id: int, payment_reference: str) -> Order:
    """Record the payment, write the sale to the ledger and open the course, all at once.

    Confirmations after the first change nothing."""
    order = _locked(order_id)
    if order.paid_at is not None:
        return order
    _move(order, Order.Status.PAID)
    order.paid_at = timezone.now()
    order.payment_reference = payment_reference
    order.save(update_fields=["status", "paid_at", "payment_reference"])
    try:
        with transaction.atomic():
            ledger_record_sale(order)
    except IntegrityError:  # the same payment recorded for another order: never twice
        raise InvalidTransition("This payment is already recorded.") from None
    announce(order_paid, sender=Order, order=order)
    if enrollment_activate_paid(order.enrollment).status not in Enrollment.ACCESS_STATUSES:
        refund_seat_lost(order=order)  # the seat was released before the money came
    return order


@transaction.atomic
def order_close(*, order_id: int, status: str) -> Order:
    """Fail, expire or cancel a pending order; an order already settled stays as it is.

    A cohort seat held for it is released with it (to the waitlist, or the cohort)."""
    order = _locked(order_id)
    if order.status != Order.Status.PENDING:
        return order
    _move(order, status)
    order.closed_at = timezone.now()
    order.save(update_fields=["status", "closed_at"])
    enrollment_release_hold(
        enrollment=order.enrollment,
        status=(
            Enrollment.Status.CANCELLED
            if status == Order.Status.CANCELLED
            else Enrollment.Status.EXPIRED
        ),
    )
    return order


def orders_expire_stale() -> int:
    """Expire pending orders older than the platform's checkout expiry; returns how many."""
    hours = CommerceSettings.load().checkout_expiry_hours
    cutoff = timezone.now() - timezone.timedelta(hours=hours)
    stale = Order.objects.filter(status=Order.Status.PENDING, created_at__lt=cutoff)
    expired = 0
    for order_id in stale.values_list("pk", flat=True):
        order = order_close(order_id=order_id, status=Order.Status.EXPIRED)
        expired += order.status == Order.Status.EXPIRED
    return expired


@transaction.atomic
def order_dispute_open(*, order_id: int) -> Order:
    """The learner's bank disputes the payment: flag the order and pause access."""
    order = _locked(order_id)
    if order.disputed_at is None:
        order.disputed_at = timezone.now()
        order.save(update_fields=["disputed_at"])
    if order.status in (Order.Status.PAID, Order.Status.PARTIALLY_REFUNDED):  # access to pause
        enrollment_suspend(order.enrollment)
    return order


@transaction.atomic
def order_dispute_won(*, order_id: int) -> Order:
    """The dispute went our way: the payment stands and access comes back."""
    order = _locked(order_id)
    if order.status in (Order.Status.PAID, Order.Status.PARTIALLY_REFUNDED):
        enrollment_reinstate(order.enrollment)
    return order
