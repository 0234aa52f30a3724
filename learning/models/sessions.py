"""Live sessions of a cohort: scheduled instants with a meeting link and a calendar identity."""

import uuid
from datetime import timedelta

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class CohortSession(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")

    cohort = models.ForeignKey("learning.Cohort", on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(5), MaxValueValidator(600)]
    )
    meeting_url = models.URLField(
        max_length=500, blank=True, help_text=_("The meeting link learners are sent to.")
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SCHEDULED)
    # The iCalendar SEQUENCE: raised whenever the time or the status changes.
    revision = models.PositiveIntegerField(default=0, editable=False)
    # The iCalendar UID: opaque and stable for the session's whole life.
    ical_uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(duration_minutes__gte=5, duration_minutes__lte=600),
                name="cohort_session_duration_in_range",
            )
        ]
        indexes = [models.Index(fields=["cohort", "starts_at"], name="cohort_session_start")]
        ordering = ["starts_at", "pk"]

    def __str__(self):
        return f"{self.cohort.name}: {self.title}"

    @property
    def ends_at(self):
        return self.starts_at + timedelta(minutes=self.duration_minutes)
