"""How far a learner has got: one row per lesson completed."""

from django.db import models
from django.utils import timezone

from learning.models.enrollments import Enrollment


class LessonCompletion(models.Model):
    # Indexed first in `lesson_completion_last`, which serves every lookup by enrollment.
    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.CASCADE, related_name="completions", db_index=False
    )
    lesson = models.ForeignKey("coursepages.LessonPage", on_delete=models.CASCADE, related_name="+")
    # Given by the service, which records the same instant as the enrollment's last action.
    completed_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "lesson"], name="one_completion_per_enrollment_and_lesson"
            )
        ]
        indexes = [
            models.Index(fields=["completed_at"], name="lesson_completion_day"),
            # An enrollment's last completion, read from the index alone (analytics).
            models.Index(fields=["enrollment", "completed_at"], name="lesson_completion_last"),
        ]

    def __str__(self):
        return f"{self.enrollment_id}: lesson {self.lesson_id}"
