"""Who is enrolled in what: an enrollment's states, and the access they give."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Enrollment(models.Model):
    class Status(models.TextChoices):
        PENDING_PAYMENT = "pending_payment", _("Pending payment")
        ACTIVE = "active", _("Active")
        COMPLETED = "completed", _("Completed")
        REFUNDED = "refunded", _("Refunded")
        CANCELLED = "cancelled", _("Cancelled")
        EXPIRED = "expired", _("Expired")

    # At most one of these per learner and course (a database constraint).
    LIVE_STATUSES = (Status.PENDING_PAYMENT, Status.ACTIVE, Status.COMPLETED)
    # These grant access to the course's lessons.
    ACCESS_STATUSES = (Status.ACTIVE, Status.COMPLETED)
    # An unpaid enrollment ends in one of these when its seat hold is released.
    HOLD_ENDED_STATUSES = (Status.CANCELLED, Status.EXPIRED)

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrollments"
    )
    course = models.ForeignKey(
        "coursepages.CoursePage", on_delete=models.PROTECT, related_name="enrollments"
    )
    cohort = models.ForeignKey(
        "learning.Cohort",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enrollments",
        help_text=_("The batch of a cohort-type course; empty for self-paced courses."),
    )
    status = models.CharField(max_length=20, choices=Status.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    activated_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    suspended_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("Access is paused while the payment is disputed."),
    )
    hold_expires_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_(
            "A paid cohort seat is held for the learner until this instant while they pay."
        ),
    )
    last_lesson = models.ForeignKey(
        "coursepages.LessonPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The lesson the learner touched last, for “resume”."),
    )
    last_active_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "The learner's last lesson completion, quiz attempt or submission: kept by the "
            "services that record them, for analytics."
        ),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "course"],
                condition=models.Q(status__in=["pending_payment", "active", "completed"]),
                name="one_live_enrollment_per_learner_and_course",
            )
        ]
        indexes = [
            models.Index(fields=["learner", "-created_at"], name="enrollment_learner_recent"),
            # Analytics count activations and completions by day.
            models.Index(fields=["activated_at"], name="enrollment_activated"),
            models.Index(fields=["completed_at"], name="enrollment_completed"),
        ]
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.learner} in {self.course} ({self.status})"

    @property
    def price(self):
        """What this enrollment costs: its cohort's price when it has one, else the course's."""
        return self.cohort.effective_price if self.cohort_id else self.course.price

    @property
    def grants_access(self):
        return self.status in self.ACCESS_STATUSES and self.suspended_at is None
