"""Quiz attempts, each keeping the quiz as it was asked."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from learning.models.enrollments import Enrollment


class QuizAttempt(models.Model):
    """One graded submission of a quiz, with the quiz as it was asked, so later edits change nothing."""

    # Indexed first in `quiz_attempt_last`, which serves every lookup by enrollment.
    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.CASCADE, related_name="quiz_attempts", db_index=False
    )
    lesson = models.ForeignKey("coursepages.LessonPage", on_delete=models.PROTECT, related_name="+")
    quiz_id = models.CharField(max_length=64, help_text=_("The quiz block's stable id."))
    number = models.PositiveSmallIntegerField()
    questions = models.JSONField(
        help_text=_("The questions, choices, answers and points as asked.")
    )
    answers = models.JSONField(help_text=_("{question id: [choice id, …]} as submitted."))
    points = models.PositiveIntegerField()
    max_points = models.PositiveIntegerField()
    score = models.DecimalField(max_digits=5, decimal_places=2, help_text=_("Percent of points."))
    pass_mark = models.PositiveSmallIntegerField()
    passed = models.BooleanField()
    # Given by the service, which records the same instant as the enrollment's last action.
    submitted_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "quiz_id", "number"], name="one_attempt_per_number"
            )
        ]
        indexes = [
            models.Index(fields=["submitted_at"], name="quiz_attempt_day"),
            models.Index(fields=["enrollment", "submitted_at"], name="quiz_attempt_last"),
        ]
        ordering = ["enrollment", "quiz_id", "number"]

    def __str__(self):
        return f"{self.enrollment_id} quiz {self.quiz_id} #{self.number}: {self.score}%"
