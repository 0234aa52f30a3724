"""`me/export/`: what we hold about a person, as one JSON document. A fixed number of queries
(one per kind of record), whatever they did."""

from decimal import Decimal

from django.db.models import F
from django.utils import timezone

from accounts.services import email_is_verified
from certification.links import verification_page_url
from certification.models import Certificate
from commerce.models import Order
from learning.models import (
    AssignmentSubmission,
    AttendanceRecord,
    CourseReview,
    Enrollment,
    LessonCompletion,
    Notification,
    QuizAttempt,
    WaitlistEntry,
)


def _rows(queryset, *fields, **renamed):
    """The rows' `fields`, and each of `renamed` ({name: field path}) under its new name;
    decimals as strings, as the API's serializers give them."""
    columns = {name: F(path) for name, path in renamed.items()}
    return [
        {name: str(value) if isinstance(value, Decimal) else value for name, value in row.items()}
        for row in queryset.order_by("pk").values(*fields, **columns)
    ]


def account_export(user) -> dict:
    enrollments = Enrollment.objects.filter(learner=user)
    of_enrollments = {"enrollment__learner": user}
    certificates = _rows(
        Certificate.objects.filter(learner=user),
        "code",
        "course_id",
        "status",
        "issued_at",
        "revoked_at",
        "snapshot",
    )
    for certificate in certificates:
        certificate["verification_url"] = verification_page_url(certificate["code"])
    return {
        "exported_at": timezone.now(),
        "account": {
            "id": user.pk,
            "email": user.email,
            "email_verified": email_is_verified(user),
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
        },
        "enrollments": _rows(
            enrollments,
            "id",
            "course_id",
            "cohort_id",
            "status",
            "created_at",
            "activated_at",
            "completed_at",
            "last_active_at",
            course_title="course__title",
        ),
        "lesson_completions": _rows(
            LessonCompletion.objects.filter(**of_enrollments),
            "enrollment_id",
            "lesson_id",
            "completed_at",
        ),
        "quiz_attempts": _rows(
            QuizAttempt.objects.filter(**of_enrollments),
            "enrollment_id",
            "lesson_id",
            "quiz_id",
            "number",
            "answers",
            "score",
            "passed",
            "submitted_at",
        ),
        "assignment_submissions": _rows(
            AssignmentSubmission.objects.filter(**of_enrollments),
            "enrollment_id",
            "lesson_id",
            "assignment_title",
            "kind",
            "text",
            "url",
            "file",
            "status",
            "score",
            "feedback",
            "submitted_at",
            "graded_at",
        ),
        "attendance": _rows(
            AttendanceRecord.objects.filter(**of_enrollments),
            "enrollment_id",
            "session_id",
            "status",
            "minutes_attended",
            "first_joined_at",
        ),
        "reviews": _rows(
            CourseReview.objects.filter(learner=user),
            "course_id",
            "rating",
            "comment",
            "created_at",
            "updated_at",
        ),
        "orders": _rows(
            Order.objects.filter(enrollment__learner=user),
            "id",
            "enrollment_id",
            "course_id",
            "status",
            "currency",
            "created_at",
            "paid_at",
            amount_minor_units="amount",
            refunded_minor_units="refunded_amount",
        ),
        "certificates": certificates,
        "notifications": _rows(
            Notification.objects.filter(user=user),
            "kind",
            "title",
            "body",
            "link",
            "created_at",
            "read_at",
        ),
        "waitlist": _rows(
            WaitlistEntry.objects.filter(learner=user), "cohort_id", "status", "created_at"
        ),
    }
