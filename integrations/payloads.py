"""The `data` of each event: the object as the API shows it, thin (ids, public URLs, the few
fields integrators always need). Never a quiz answer, a secret, or any learner's personal
data beyond the id of the learner concerned."""

from datetime import UTC

from django.urls import reverse

from certification.links import verification_page_url
from learning.links import absolute, session_join_url


def _time(value):
    """An instant as the API writes it (DRF's DateTimeField): ISO 8601 in UTC, "Z"."""
    return instant(value) if value else None


def instant(value) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def course_ref(course) -> dict:
    return {
        "id": course.pk,
        "title": course.title,
        "url": absolute(reverse("api:course-detail", args=[course.pk])),
    }


def enrollment_data(enrollment) -> dict:
    return {
        "id": enrollment.pk,
        "url": absolute(reverse("api:enrollment-detail", args=[enrollment.pk])),
        "status": enrollment.status,
        "course": course_ref(enrollment.course),
        "learner": {"id": enrollment.learner_id},
        "cohort": enrollment.cohort_id,
        "created_at": _time(enrollment.created_at),
        "activated_at": _time(enrollment.activated_at),
        "completed_at": _time(enrollment.completed_at),
    }


def order_data(order) -> dict:
    return {
        "id": order.pk,
        "enrollment": order.enrollment_id,
        "status": order.status,
        "course": course_ref(order.course),
        "learner": {"id": order.enrollment.learner_id},
        "amount": order.amount,
        "refunded_amount": order.refunded_amount,
        "currency": order.currency,
        "paid_at": _time(order.paid_at),
    }


def certificate_data(certificate) -> dict:
    return {
        "code": certificate.code,
        "enrollment": certificate.enrollment_id,
        "status": certificate.status,
        "course": course_ref(certificate.course),
        "learner": {"id": certificate.learner_id},
        "issued_at": _time(certificate.issued_at),
        "revoked_at": _time(certificate.revoked_at),
        "verification_url": verification_page_url(certificate.code),
    }


def submission_data(submission) -> dict:
    enrollment = submission.enrollment
    return {
        "id": submission.pk,
        "enrollment": enrollment.pk,
        "assignment_title": submission.assignment_title,
        "status": submission.status,
        "score": None if submission.score is None else str(submission.score),
        "course": course_ref(enrollment.course),
        "learner": {"id": enrollment.learner_id},
        "graded_at": _time(submission.graded_at),
    }


def course_data(course) -> dict:
    return {**course_ref(course), "live": course.live, "archived_at": _time(course.archived_at)}


def session_data(session) -> dict:
    """Our join URL, never the meeting link itself (it stays ours to change)."""
    return {
        "id": session.pk,
        "cohort": session.cohort_id,
        "course": course_ref(session.cohort.course),
        "title": session.title,
        "status": session.status,
        "starts_at": _time(session.starts_at),
        "ends_at": _time(session.ends_at),
        "duration_minutes": session.duration_minutes,
        "revision": session.revision,
        "join_url": session_join_url(session),
    }


def attendance_data(record) -> dict:
    """Without the specialist's note (it may say why a learner was excused)."""
    session = record.session
    return {
        "id": record.pk,
        "session": session.pk,
        "cohort": session.cohort_id,
        "course": course_ref(session.cohort.course),
        "enrollment": record.enrollment_id,
        "learner": {"id": record.enrollment.learner_id},
        "status": record.status,
        "minutes_attended": record.minutes_attended,
        "source": record.source,
    }
