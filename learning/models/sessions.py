"""Live sessions of a cohort: scheduled instants with a meeting link and a calendar identity."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from learning.models.cohorts import MeetingProviderName


class MeetingSyncState(models.TextChoices):
    NOT_NEEDED = "not_needed", _("Not needed (manual link)")
    PENDING = "pending", _("Pending")
    SYNCED = "synced", _("Synced")
    FAILED = "failed", _("Failed")


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
    meeting_provider = models.CharField(
        max_length=20,
        choices=MeetingProviderName.choices,
        blank=True,
        help_text=_("Empty: the cohort's provider. Another one moves this session only."),
    )
    # Whether the provider holds what this session needs; `failed` keeps the manual link.
    meeting_sync_state = models.CharField(
        max_length=20, choices=MeetingSyncState.choices, default=MeetingSyncState.NOT_NEEDED
    )
    meeting_sync_error = models.TextField(
        blank=True, help_text=_("The provider's last refusal, for the specialist to read.")
    )
    # Filled by the Zoom provider when it creates the meeting. Sessions of a recurring meeting
    # share it: participant events map to the session whose window (±30 minutes) holds them.
    zoom_meeting_id = models.CharField(
        max_length=32,
        blank=True,
        db_index=True,
        help_text=_("The Zoom meeting this session is held in; set by the Zoom provider."),
    )
    # Filled by the Google Meet provider: the Calendar event it created on the specialist's
    # primary calendar, and the Meet link Google attached to it (one per session).
    google_event_id = models.CharField(
        max_length=1024,
        blank=True,
        help_text=_("The Google Calendar event of this session; set by the Google Meet provider."),
    )
    google_calendar_owner = models.EmailField(
        blank=True,
        help_text=_("The Workspace account whose primary calendar holds the event."),
    )
    google_conference_request_id = models.CharField(
        max_length=64,
        blank=True,
        help_text=_("The id of the last request for a Meet link; a new one after a refusal."),
    )
    google_meet_url = models.URLField(max_length=500, blank=True)
    google_meet_code = models.CharField(max_length=32, blank=True)
    # Zoom's id for this session's occurrence of the cohort's recurring meeting.
    zoom_occurrence_id = models.CharField(max_length=32, blank=True)
    # When the provider's participant report was last read into attendance; empty until then.
    attendance_pulled_at = models.DateTimeField(null=True, blank=True)
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
    def provider_name(self) -> str:
        """The provider this session is held on: its own choice, else its cohort's."""
        return self.meeting_provider or self.cohort.meeting_provider

    @property
    def ends_at(self):
        return self.starts_at + timedelta(minutes=self.duration_minutes)


class SessionJoin(models.Model):
    """One click through our join URL: who entered which session when. Evidence for attendance,
    so rows are only ever added."""

    session = models.ForeignKey(CohortSession, on_delete=models.CASCADE, related_name="joins")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_joins"
    )
    # The learner's enrollment in the cohort; empty when the specialist teaching it joined.
    enrollment = models.ForeignKey(
        "learning.Enrollment",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="session_joins",
    )
    joined_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["session", "user", "joined_at"], name="session_join_who_when"),
            models.Index(fields=["enrollment", "joined_at"], name="session_join_enrollment"),
        ]
        ordering = ["joined_at", "pk"]

    def __str__(self):
        return f"{self.user} joined {self.session} at {self.joined_at:%Y-%m-%d %H:%M}"
