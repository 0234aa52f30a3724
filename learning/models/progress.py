"""How far a learner has got: one row per lesson completed."""

from django.db import models

from learning.models.enrollments import Enrollment


class LessonCompletion(models.Model):
    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="completions")
    lesson = models.ForeignKey("coursepages.LessonPage", on_delete=models.CASCADE, related_name="+")
    completed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "lesson"], name="one_completion_per_enrollment_and_lesson"
            )
        ]
        indexes = [models.Index(fields=["completed_at"], name="lesson_completion_day")]

    def __str__(self):
        return f"{self.enrollment_id}: lesson {self.lesson_id}"
