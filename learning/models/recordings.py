"""The recording of a live session: a file in our media storage or a link elsewhere.

One per session: attaching another replaces it. A file comes from the specialist's upload or
from Zoom's `recording.completed` (downloaded by a task, so access never depends on Zoom); a
link is a page the specialist names (an https address we only redirect to).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SessionRecording(models.Model):
    class Source(models.TextChoices):
        UPLOAD = "upload", _("Uploaded by the specialist")
        URL = "url", _("Link given by the specialist")
        ZOOM = "zoom", _("Zoom cloud recording")

    class Status(models.TextChoices):
        DOWNLOADING = "downloading", _("Downloading from Zoom")
        AVAILABLE = "available", _("Available")
        FAILED = "failed", _("Failed")

    session = models.OneToOneField(
        "learning.CohortSession", on_delete=models.CASCADE, related_name="recording"
    )
    source = models.CharField(max_length=10, choices=Source.choices)
    status = models.CharField(max_length=12, choices=Status.choices)
    error = models.TextField(blank=True, help_text=_("Why the download failed, if it did."))
    file = models.FileField(upload_to="recordings/%Y/%m/", max_length=300, blank=True)
    url = models.URLField(max_length=1000, blank=True, help_text=_("An https page (source url)."))
    duration_seconds = models.PositiveIntegerField(null=True, blank=True)
    size_bytes = models.BigIntegerField(null=True, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    # The recording.completed event a Zoom recording comes from: its download token and file.
    zoom_event = models.ForeignKey(
        "learning.ZoomEvent", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    attached_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Empty when Zoom's recording was downloaded automatically."),
    )
    attached_at = models.DateTimeField(default=timezone.now)
    available_at = models.DateTimeField(null=True, blank=True)
    # The cohort's learners are told once, when the session first has a recording to watch.
    learners_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(source="zoom")
                | models.Q(source="upload", status="available", url="") & ~models.Q(file="")
                | models.Q(source="url", status="available", file="") & ~models.Q(url=""),
                name="session_recording_holds_its_source",
            ),
        ]

    def __str__(self):
        return f"Recording of {self.session_id} ({self.source}, {self.status})"
