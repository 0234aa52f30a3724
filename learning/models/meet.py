"""What Google Meet reported about a session, kept raw: the attendance mapping reads it."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MeetParticipantSession(models.Model):
    """One connection of one participant to a Meet conference held for a session, as the Meet
    REST API listed it, with the e-mail of the Google account when one signed in."""

    class Kind(models.TextChoices):
        SIGNED_IN = "signed_in", _("Signed-in Google account")
        ANONYMOUS = "anonymous", _("Anonymous")
        PHONE = "phone", _("Phone")

    session = models.ForeignKey(
        "learning.CohortSession", on_delete=models.CASCADE, related_name="meet_connections"
    )
    # Google's resource names: conferenceRecords/{c}, …/participants/{p}, …/participantSessions/{s}.
    conference_record = models.CharField(max_length=300)
    participant = models.CharField(max_length=400)
    name = models.CharField(max_length=600, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    user = models.CharField(
        max_length=100, blank=True, help_text=_('The Google account, "users/{id}", if signed in.')
    )
    email = models.CharField(
        max_length=254, blank=True, help_text=_("The account's e-mail, as the People API gave it.")
    )
    display_name = models.CharField(max_length=200, blank=True)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(
        null=True, blank=True, help_text=_("Empty while the connection was still open.")
    )

    class Meta:
        indexes = [models.Index(fields=["session", "participant"], name="meet_connection_session")]
        ordering = ["started_at", "pk"]

    def __str__(self):
        return f"{self.display_name or self.participant} at {self.session_id}"
