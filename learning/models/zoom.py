"""What Zoom's webhooks told us, kept raw: the attendance mapping reads it later."""

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

    zoom_event = models.OneToOneField(
        ZoomEvent, on_delete=models.CASCADE, related_name="participant_event"
    )
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
