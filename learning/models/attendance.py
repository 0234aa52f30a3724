"""Attendance at live sessions: one record per learner and session, and every change to it.

A record is evidence an employer may verify, so each change (who, when, from what to what)
is kept as an `AttendanceChange` row that is only ever added.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    LATE = "late", _("Late")
    EXCUSED = "excused", _("Excused")
    ABSENT = "absent", _("Absent")


class AttendanceSource(models.TextChoices):
    ZOOM = "zoom", _("Zoom")
    MEET = "meet", _("Google Meet")
    JOIN_CLICK = "join_click", _("Join click")
    MANUAL = "manual", _("Recorded by the specialist")


class AttendanceRecord(models.Model):
    Status = AttendanceStatus
    Source = AttendanceSource

    session = models.ForeignKey(
        "learning.CohortSession", on_delete=models.CASCADE, related_name="attendance"
    )
    enrollment = models.ForeignKey(
        "learning.Enrollment", on_delete=models.CASCADE, related_name="attendance"
    )
    status = models.CharField(max_length=10, choices=AttendanceStatus.choices)
    minutes_attended = models.PositiveSmallIntegerField(
        default=0, validators=[MaxValueValidator(600)]
    )
    first_joined_at = models.DateTimeField(null=True, blank=True)
    source = models.CharField(max_length=12, choices=AttendanceSource.choices)
    note = models.TextField(blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Who set the current values; empty when a meeting provider did."),
    )
    changed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session", "enrollment"], name="one_attendance_per_session_and_enrollment"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=AttendanceStatus.values),
                name="attendance_status_known",
            ),
        ]
        indexes = [models.Index(fields=["enrollment", "session"], name="attendance_enrollment")]
        ordering = ["session", "enrollment"]

    def __str__(self):
        return f"{self.enrollment} at {self.session}: {self.status}"


class AttendanceChange(models.Model):
    """One change of an attendance record, kept for good: the audit trail."""

    record = models.ForeignKey(AttendanceRecord, on_delete=models.CASCADE, related_name="changes")
    # Empty when the change created the record.
    old_status = models.CharField(max_length=10, choices=AttendanceStatus.choices, blank=True)
    new_status = models.CharField(max_length=10, choices=AttendanceStatus.choices)
    old_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    new_minutes = models.PositiveSmallIntegerField()
    source = models.CharField(max_length=12, choices=AttendanceSource.choices)
    note = models.TextField(blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["changed_at", "pk"]

    def __str__(self):
        return f"{self.record}: {self.old_status or '–'} → {self.new_status}"
