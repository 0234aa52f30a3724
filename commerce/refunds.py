"""Refunds: asked for by the learner under the course's policy, or issued and decided by
staff; sent to the provider by a task; recorded once, whatever confirms them first."""

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from commerce.events import order_refunded
from commerce.exceptions import InvalidTransition, NotRefundable, RefundAlreadyOpen
from commerce.ledger import ledger_record_refund
from commerce.models import Order, Refund
from commerce.money import from_minor_units
from learning.events import announce
from learning.models import Enrollment, Notification
from learning.services import enrollment_refund, notify

PAID_STATUSES = (Order.Status.PAID, Order.Status.PARTIALLY_REFUNDED)


def refund_window_open(order, now=None) -> bool:
    """Whether the course's refund policy still covers this order: for a cohort, until the
    cohort's refund deadline (its midpoint unless the course says otherwise, inclusive);
    otherwise for the course's refund window after paying."""
    now = now or timezone.now()
    if cohort := order.enrollment.cohort:
        return now <= cohort.refund_deadline
    return now <= order.paid_at + timezone.timedelta(days=order.course.refund_window_days)


def _paid_order_of(enrollment):
    order = (
        Order.objects.select_for_update(of=("self",))
        .select_related("course", "enrollment__cohort__course")
        .filter(enrollment=enrollment, status__in=PAID_STATUSES)
        .order_by("-paid_at")
        .first()
    )
    if order is None:
        raise NotRefundable("There is no payment for this enrollment to refund.")
    return order


def _open_refund_check(order):
    if open_refund := order.refunds.filter(status__in=Refund.OPEN_STATUSES).first():
        raise RefundAlreadyOpen(open_refund)


def _send(refund):
    from commerce.tasks import refund_send  # the task module imports these services

    # Robust: the refund is committed and pending either way, so a send that fails here
    # (run eagerly, or the broker down) is logged, not the requester's error.
    transaction.on_commit(lambda: refund_send.delay(refund.pk), robust=True)


@transaction.atomic
def refund_request(*, enrollment: Enrollment, reason: str = "") -> Refund:
    """The learner's refund: sent at once inside the course's refund window, otherwise
    waiting for staff to approve or decline."""
    order = _paid_order_of(enrollment)
    _open_refund_check(order)
    if order.refundable_amount == 0:
        raise NotRefundable("This payment has already been refunded in full.")
    in_policy = refund_window_open(order)
    refund = Refund.objects.create(
        order=order,
        amount=order.refundable_amount,
        reason=reason,
        requested_by=enrollment.learner,
        status=Refund.Status.PENDING if in_policy else Refund.Status.REQUESTED,
    )
    if in_policy:
        _send(refund)
    return refund


@transaction.atomic
def refund_seat_lost(*, order: Order) -> Refund:
    """Give back a payment that landed after its cohort seat hold had ended, when no seat
    was left to take again: refunded in full at once, and the learner told why."""
    _open_refund_check(order)
    refund = Refund.objects.create(
        order=order,
        amount=order.refundable_amount,
        reason="Paid after the held seat was released, with no seat left.",
        status=Refund.Status.PENDING,
    )
    enrollment = order.enrollment
    notify(
        user=enrollment.learner,
        kind=Notification.Kind.SEAT_LOST,
        title=f"Your payment for {order.course.title} is being refunded",
        body=(
            "Your payment came in after the seat we held for you had been released, and the "
            "cohort has no seat left. The full amount is on its way back to you; you can join "
            "the waitlist or choose another cohort."
        ),
        enrollment=enrollment,
    )
    _send(refund)
    return refund


@transaction.atomic
def refund_issue(*, order: Order, amount: int, staff, note: str = "") -> Refund:
    """Staff refund part or all of a paid order, whatever the policy."""
    order = Order.objects.select_for_update().get(pk=order.pk)
    if order.status not in PAID_STATUSES:
        raise NotRefundable(f"An order that is {order.status} cannot be refunded.")
    _open_refund_check(order)
    if not 0 < amount <= order.refundable_amount:
        raise NotRefundable(
            f"Refund between 0.01 and {from_minor_units(order.refundable_amount, order.currency)}"
            f" {order.currency}."
        )
    refund = Refund.objects.create(
        order=order,
        amount=amount,
        requested_by=staff,
        decided_by=staff,
        decided_at=timezone.now(),
        decision_note=note,
        status=Refund.Status.PENDING,
    )
    _log_refund(refund, "issue", user=staff)
    _send(refund)
    return refund


def _log_refund(refund, decision, *, user):
    """The staff decision in Wagtail's audit log, on the refund and on its order (as two
    actions: Wagtail's history shows one entry per user action and action name)."""
    order = refund.order
    data = {
        "refund_id": refund.pk,
        "amount": str(from_minor_units(refund.amount, order.currency)),
        "currency": order.currency,
        "note": refund.decision_note,
    }
    log(instance=refund, action=f"commerce.refund.{decision}", user=user, data=data)
    log(instance=order, action=f"commerce.order.refund_{decision}", user=user, data=data)


def _decide(refund_id, *, staff, note, status):
    refund = Refund.objects.select_for_update().select_related("order").get(pk=refund_id)
    if refund.status != Refund.Status.REQUESTED:
        raise InvalidTransition(f"This refund is {refund.get_status_display().lower()} already.")
    refund.status = status
    refund.decided_by, refund.decided_at, refund.decision_note = staff, timezone.now(), note
    refund.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    return refund


@transaction.atomic
def refund_approve(*, refund_id: int, staff, note: str = "") -> Refund:
    """Staff grant a refund the learner asked for after the window: it is sent at once."""
    refund = _decide(refund_id, staff=staff, note=note, status=Refund.Status.PENDING)
    _log_refund(refund, "approve", user=staff)
    _send(refund)
    return refund


@transaction.atomic
def refund_decline(*, refund_id: int, staff, note: str) -> Refund:
    """Staff refuse a late refund request, saying why; the learner is told and keeps access."""
    if not note.strip():
        raise NotRefundable("Say why the refund is declined: the learner is told.")
    refund = _decide(refund_id, staff=staff, note=note, status=Refund.Status.DECLINED)
    _log_refund(refund, "decline", user=staff)
    enrollment = refund.order.enrollment
    notify(
        user=enrollment.learner,
        kind=Notification.Kind.REFUND_DECLINED,
        title=f"Your refund for {refund.order.course.title} was declined",
        body=note,
        enrollment=enrollment,
    )
    return refund


@transaction.atomic
def refund_record_succeeded(*, refund_id: int, provider_reference: str) -> Refund:
    """The money is back with the learner: ledger rows, order status, and, for a full
    refund, the end of access (learning announces it; certification revokes)."""
    refund = Refund.objects.select_for_update().get(pk=refund_id)
    if refund.status == Refund.Status.SUCCEEDED:
        return refund
    order = (
        Order.objects.select_for_update()
        .select_related("course", "enrollment")
        .get(pk=refund.order_id)
    )
    refund.status, refund.succeeded_at = Refund.Status.SUCCEEDED, timezone.now()
    refund.provider_reference = provider_reference
    refund.save(update_fields=["status", "succeeded_at", "provider_reference"])
    order.refunded_amount += refund.amount
    order.status = (
        Order.Status.REFUNDED
        if order.refunded_amount == order.amount
        else Order.Status.PARTIALLY_REFUNDED
    )
    order.save(update_fields=["refunded_amount", "status"])
    ledger_record_refund(order, refund)
    announce(order_refunded, sender=Order, order=order, refund=refund)
    # A payment refunded because its seat was gone (`refund_seat_lost`) has no access to end.
    if order.status == Order.Status.REFUNDED and order.enrollment.status not in (
        Enrollment.HOLD_ENDED_STATUSES
    ):
        enrollment_refund(order.enrollment)
    notify(
        user=order.enrollment.learner,
        kind=Notification.Kind.REFUNDED,
        title=f"Refunded: {from_minor_units(refund.amount, order.currency)} {order.currency}",
        body=f"Your payment for {order.course.title} is on its way back to you.",
        enrollment=order.enrollment,
    )
    return refund


@transaction.atomic
def refund_record_at_provider(*, order_id: int, refunded_total: int, reference: str, reason: str):
    """Catch up with money the provider gave back without us asking (a dashboard refund,
    a lost dispute): whatever the provider has refunded beyond what we recorded."""
    order = Order.objects.select_for_update().get(pk=order_id)
    in_flight = order.refunds.filter(status=Refund.Status.PENDING).first()
    missing = refunded_total - order.refunded_amount
    if missing <= 0:
        return None
    if in_flight and in_flight.amount == missing:  # ours, confirmed before its own event
        return refund_record_succeeded(
            refund_id=in_flight.pk, provider_reference=in_flight.provider_reference or reference
        )
    refund = Refund.objects.create(
        order=order, amount=missing, reason=reason, status=Refund.Status.PENDING
    )
    return refund_record_succeeded(refund_id=refund.pk, provider_reference=reference)


@transaction.atomic
def refund_record_failed(*, refund_id: int, reason: str = "") -> Refund:
    """The provider could not refund: the refund fails and the order stays paid, as it was; a
    new refund may be asked for."""
    refund = Refund.objects.select_for_update().get(pk=refund_id)
    if refund.status == Refund.Status.PENDING:
        refund.status, refund.failure_reason = Refund.Status.FAILED, reason
        refund.save(update_fields=["status", "failure_reason"])
    return refund
