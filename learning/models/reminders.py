"""Session reminders already sent: one row per session, learner, kind and start instant."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SessionReminder(models.Model):
    """A reminder claimed for one learner before one session at one start instant.

    The unique key includes `starts_at`, so a rescheduled session gets reminders for its
    new time, while a second run (or a second worker) finds the row there and sends nothing."""

    class Kind(models.TextChoices):
        DAY_BEFORE = "day_before", _("24 hours before")
        HOUR_BEFORE = "hour_before", _("1 hour before")

    session = models.ForeignKey(
        "learning.CohortSession", on_delete=models.CASCADE, related_name="reminders"
    )
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_reminders"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    starts_at = models.DateTimeField(help_text=_("The session's start the reminder was for."))
    # The run that inserted the row: after an INSERT … ON CONFLICT DO NOTHING, a run
    # notifies exactly the rows carrying its own id.
    claimed_by = models.UUIDField(editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session", "learner", "kind", "starts_at"],
                name="one_reminder_per_session_learner_kind_start",
            )
        ]
        indexes = [models.Index(fields=["claimed_by"], name="session_reminder_claim")]

    def __str__(self):
        return f"{self.get_kind_display()} reminder of {self.session_id} for {self.learner_id}"
