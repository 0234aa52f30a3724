"""The waitlist of a full cohort: learners in line, and the seat offered to the first."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class WaitlistEntry(models.Model):
    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        OFFERED = "offered", _("Seat offered")
        ACCEPTED = "accepted", _("Accepted")
        EXPIRED = "expired", _("Offer expired")
        LEFT = "left", _("Left")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    # At most one of these per learner and cohort (a database constraint). An offered
    # entry holds one of the cohort's seats (counted in seats_taken) until it ends.
    LIVE_STATUSES = (Status.WAITING, Status.OFFERED)

    cohort = models.ForeignKey("learning.Cohort", on_delete=models.CASCADE, related_name="waitlist")
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="waitlist_entries"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.WAITING)
    created_at = models.DateTimeField(auto_now_add=True)
    offered_at = models.DateTimeField(null=True, blank=True)
    offer_expires_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("The offered seat can be taken until this instant (exclusive)."),
    )
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "learner"],
                condition=models.Q(status__in=["waiting", "offered"]),
                name="one_live_waitlist_entry_per_learner_and_cohort",
            )
        ]
        indexes = [
            models.Index(fields=["cohort", "status", "created_at"], name="waitlist_line"),
            models.Index(fields=["status", "offer_expires_at"], name="waitlist_offer_expiry"),
        ]
        ordering = ["created_at", "pk"]
        verbose_name_plural = _("waitlist entries")

    def __str__(self):
        return f"{self.learner} waiting for {self.cohort} ({self.status})"
