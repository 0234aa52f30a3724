"""Integrations listen to the domain apps: each announcement becomes an event in the outbox,
written inside the sender's transaction (a rolled-back change sends nothing)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import page_published

from certification.events import certificate_issued, certificate_revoked
from commerce.events import order_paid, order_refunded
from coursepages.events import course_archived
from coursepages.models import CoursePage
from integrations import payloads
from integrations.models import Endpoint
from integrations.outbox import event_emit
from integrations.subscriptions import subscriptions_changed
from learning.events import (
    attendance_recorded,
    enrollment_activated,
    enrollment_completed,
    enrollment_created,
    enrollment_refunded,
    session_cancelled,
    session_rescheduled,
    session_scheduled,
    submission_graded,
)

ENROLLMENT_EVENTS = {
    enrollment_created: "enrollment.created",
    enrollment_activated: "enrollment.activated",
    enrollment_completed: "enrollment.completed",
    enrollment_refunded: "enrollment.refunded",
}


def _emit_enrollment(signal, sender, enrollment, **kwargs):
    event_emit(
        event_type=ENROLLMENT_EVENTS[signal],
        data=payloads.enrollment_data(enrollment),
        course=enrollment.course,
    )


for _signal in ENROLLMENT_EVENTS:
    _signal.connect(_emit_enrollment)


@receiver(order_paid)
def emit_order_paid(sender, order, **kwargs):
    event_emit(event_type="order.paid", data=payloads.order_data(order), course=order.course)


@receiver(order_refunded)
def emit_order_refunded(sender, order, **kwargs):
    event_emit(event_type="order.refunded", data=payloads.order_data(order), course=order.course)


@receiver(certificate_issued)
def emit_certificate_issued(sender, certificate, **kwargs):
    event_emit(
        event_type="certificate.issued",
        data=payloads.certificate_data(certificate),
        course=certificate.course,
    )


@receiver(certificate_revoked)
def emit_certificate_revoked(sender, certificate, **kwargs):
    event_emit(
        event_type="certificate.revoked",
        data=payloads.certificate_data(certificate),
        course=certificate.course,
    )


@receiver(submission_graded)
def emit_submission_graded(sender, submission, **kwargs):
    course = submission.enrollment.course
    event_emit(
        event_type="submission.graded", data=payloads.submission_data(submission), course=course
    )


@receiver(page_published, sender=CoursePage)
def emit_course_published(sender, instance, **kwargs):
    event_emit(event_type="course.published", data=payloads.course_data(instance), course=instance)


@receiver(course_archived)
def emit_course_archived(sender, course, **kwargs):
    event_emit(event_type="course.archived", data=payloads.course_data(course), course=course)


SESSION_EVENTS = {
    session_scheduled: "cohort.session.scheduled",
    session_rescheduled: "cohort.session.rescheduled",
    session_cancelled: "cohort.session.cancelled",
}


def _emit_session(signal, sender, session, **kwargs):
    event_emit(
        event_type=SESSION_EVENTS[signal],
        data=payloads.session_data(session),
        course=session.cohort.course,
    )


for _signal in SESSION_EVENTS:
    _signal.connect(_emit_session)


@receiver(attendance_recorded)
def emit_attendance_recorded(sender, record, **kwargs):
    event_emit(
        event_type="attendance.recorded",
        data=payloads.attendance_data(record),
        course=record.session.cohort.course,
    )


@receiver(post_save, sender=Endpoint)
@receiver(post_delete, sender=Endpoint)
def endpoint_changed(sender, **kwargs):
    subscriptions_changed()
