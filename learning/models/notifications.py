"""Dashboard alerts for learners, also sent by e-mail."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from learning.models.enrollments import Enrollment


class Notification(models.Model):
    """A dashboard alert for a learner, also sent by e-mail."""

    class Kind(models.TextChoices):
        ENROLLED = "enrolled", _("Enrolled")
        SUBMISSION_GRADED = "submission_graded", _("Assignment graded")
        COURSE_COMPLETED = "course_completed", _("Course completed")
        CERTIFICATE_ISSUED = "certificate_issued", _("Certificate issued")
        CERTIFICATE_REVOKED = "certificate_revoked", _("Certificate revoked")
        REFUNDED = "refunded", _("Refunded")
        REFUND_DECLINED = "refund_declined", _("Refund declined")
        SESSION_SCHEDULED = "session_scheduled", _("Session scheduled")
        SESSION_RESCHEDULED = "session_rescheduled", _("Session rescheduled")
        SESSION_CANCELLED = "session_cancelled", _("Session cancelled")
        SEAT_HOLD_RELEASED = "seat_hold_released", _("Seat hold released")
        SEAT_LOST = "seat_lost", _("Paid after the seat was released")
        WAITLIST_OFFER = "waitlist_offer", _("Waitlist seat offered")
        WAITLIST_CLOSED = "waitlist_closed", _("Waitlist closed: cohort cancelled")
        COHORT_TRANSFERRED = "cohort_transferred", _("Moved to another cohort")
        SESSION_REMINDER = "session_reminder", _("Session reminder")
        RECORDING_AVAILABLE = "recording_available", _("Session recording available")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    title = models.CharField(max_length=200)
    body = models.TextField()
    link = models.URLField(
        max_length=500, blank=True, help_text=_("Where the learner acts on it, if anywhere.")
    )
    enrollment = models.ForeignKey(
        Enrollment, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "-created_at"], name="notification_user_recent")]
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.user}: {self.title}"
