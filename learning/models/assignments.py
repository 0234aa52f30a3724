"""Work handed in for assignments, and its grade."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from learning.models.enrollments import Enrollment


class AssignmentSubmission(models.Model):
    """Work handed in for an assignment, graded by the course's specialist against its rubric."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Waiting for grading")
        PASSED = "passed", _("Passed")
        FAILED = "failed", _("Failed")

    # Indexed first in `submission_last`, which serves every lookup by enrollment.
    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.CASCADE, related_name="submissions", db_index=False
    )
    lesson = models.ForeignKey("coursepages.LessonPage", on_delete=models.PROTECT, related_name="+")
    assignment_id = models.CharField(
        max_length=64, help_text=_("The assignment block's stable id.")
    )
    assignment_title = models.CharField(max_length=200)
    kind = models.CharField(max_length=10)
    text = models.TextField(blank=True)
    url = models.URLField(blank=True, max_length=2000)
    file = models.FileField(upload_to="submissions/%Y/%m/", blank=True)
    rubric = models.JSONField(help_text=_("The rubric as it was when the work was handed in."))
    pass_mark = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    scores = models.JSONField(null=True, blank=True, help_text=_("{criterion id: points}"))
    points = models.PositiveIntegerField(null=True, blank=True)
    max_points = models.PositiveIntegerField()
    score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    feedback = models.TextField(blank=True)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Given by the service, which records the same instant as the enrollment's last action.
    submitted_at = models.DateTimeField(default=timezone.now, editable=False)
    graded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            # Hand in again only after a fail: never while waiting, never after a pass.
            models.UniqueConstraint(
                fields=["enrollment", "assignment_id"],
                condition=models.Q(status__in=["submitted", "passed"]),
                name="one_pending_or_passed_submission",
            )
        ]
        indexes = [
            models.Index(fields=["status", "submitted_at"], name="submission_queue"),
            models.Index(fields=["submitted_at"], name="submission_day"),
            models.Index(fields=["enrollment", "submitted_at"], name="submission_last"),
            models.Index(fields=["graded_at"], name="submission_graded_day"),
        ]
        ordering = ["submitted_at", "pk"]

    def __str__(self):
        return f"{self.assignment_title} by {self.enrollment.learner} ({self.status})"
