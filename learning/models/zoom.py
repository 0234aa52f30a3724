"""What Zoom's webhooks told us, kept raw: the attendance mapping reads it later."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ZoomEvent(models.Model):
    """One verified delivery, stored before it is acknowledged; repeats hit the dedupe key."""

    event = models.CharField(max_length=100)
    event_ts = models.BigIntegerField(help_text=_("Zoom's event time, milliseconds since 1970."))
    # A hash of the event's natural keys (meeting instance, participant, time), because
    # Zoom delivers some events more than once with different envelopes.
    dedupe_key = models.CharField(max_length=64, unique=True)
    payload = models.JSONField()
    received_at = models.DateTimeField(default=timezone.now)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["event", "received_at"])]

    def __str__(self):
        return f"{self.event} at {self.event_ts}"


class ZoomParticipantEvent(models.Model):
    """A participant joining or leaving a meeting instance, as Zoom identified them."""

    class Kind(models.TextChoices):
        JOINED = "joined", _("Joined")
        LEFT = "left", _("Left")

    # The webhook delivery this came from; empty for a row of the participants report.
    zoom_event = models.OneToOneField(
        ZoomEvent,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="participant_event",
    )
    # A hash of a report row's instance, participant, time and kind: pulling the report
    # again adds nothing. Empty (null) for webhook rows, which the delivery dedupes.
    report_key = models.CharField(max_length=64, unique=True, null=True, blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # Zoom sends the meeting id as a string here and as a number elsewhere: kept as text.
    meeting_id = models.CharField(max_length=32)
    meeting_uuid = models.CharField(max_length=100)
    participant_uuid = models.CharField(max_length=100, blank=True)
    participant_user_id = models.CharField(
        max_length=100, blank=True, help_text=_("Zoom's per-meeting id, valid for one meeting.")
    )
    registrant_id = models.CharField(max_length=100, blank=True)
    email = models.CharField(max_length=254, blank=True)
    name = models.CharField(max_length=200, blank=True)
    occurred_at = models.DateTimeField(help_text=_("The join or leave time Zoom reported."))

    class Meta:
        indexes = [
            models.Index(fields=["meeting_uuid", "occurred_at"]),
            models.Index(fields=["registrant_id"]),
        ]

    def __str__(self):
        return f"{self.name or self.participant_uuid} {self.kind} {self.meeting_id}"


class ZoomMeeting(models.Model):
    """The recurring Zoom meeting (fixed-time, with registration) that holds a cohort's
    sessions, one occurrence each. Created by the Zoom provider."""

    cohort = models.OneToOneField(
        "learning.Cohort", on_delete=models.CASCADE, related_name="zoom_meeting"
    )
    meeting_id = models.CharField(max_length=32, unique=True)
    # The meeting's own link: the specialist (host) signs in to Zoom and starts it from here.
    join_url = models.URLField(max_length=1000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Zoom meeting {self.meeting_id}"


class ZoomRegistrant(models.Model):
    """A learner registered to a cohort's Zoom meeting: their personal join URL and the id
    Zoom reports back on their participant rows. Filled by the Zoom provider."""

    cohort = models.ForeignKey(
        "learning.Cohort", on_delete=models.CASCADE, related_name="zoom_registrants"
    )
    enrollment = models.ForeignKey(
        "learning.Enrollment", on_delete=models.CASCADE, related_name="zoom_registrants"
    )
    registrant_id = models.CharField(max_length=100, unique=True)
    join_url = models.URLField(max_length=1000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.enrollment} as {self.registrant_id}"


class UnmatchedParticipant(models.Model):
    """Someone Zoom saw in a session whom no registrant id or learner e-mail identifies: the
    specialist assigns them to an enrollment by hand (never matched by name), or dismisses
    them as no learner (a guest speaker); either closes the row, which stays as evidence."""

    session = models.ForeignKey(
        "learning.CohortSession", on_delete=models.CASCADE, related_name="unmatched_participants"
    )
    # What groups this person's connections: their e-mail, else one connection's ids.
    key = models.CharField(max_length=300)
    name = models.CharField(max_length=200, blank=True)
    email = models.CharField(max_length=254, blank=True)
    participant_ids = models.JSONField(
        default=list, help_text=_("Zoom's [meeting uuid, participant id] of each connection.")
    )
    minutes_attended = models.PositiveSmallIntegerField(default=0)
    first_joined_at = models.DateTimeField(null=True, blank=True)
    resolved_to = models.ForeignKey(
        "learning.Enrollment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    dismissed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session", "key"], name="one_unmatched_per_session_key"
            ),
            models.CheckConstraint(
                condition=models.Q(resolved_at__isnull=True) | models.Q(dismissed_at__isnull=True),
                name="unmatched_resolved_or_dismissed",
            ),
        ]
        ordering = ["session", "name", "pk"]

    def __str__(self):
        return f"{self.name or self.email or self.key} at {self.session_id}"

    @property
    def state(self) -> str:
        """open (waiting for the specialist), resolved (assigned to a learner) or dismissed."""
        if self.dismissed_at is not None:
            return "dismissed"
        return "open" if self.resolved_at is None else "resolved"
