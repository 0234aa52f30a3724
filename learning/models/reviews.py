"""Learners' ratings of courses."""

from django.conf import settings
from django.db import models


class CourseReview(models.Model):
    """A learner's rating of a course (1–5) with an optional comment: one each, editable."""

    course = models.ForeignKey(
        "coursepages.CoursePage", on_delete=models.CASCADE, related_name="reviews"
    )
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviews"
    )
    rating = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True, max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["course", "learner"], name="one_review_per_learner"),
            models.CheckConstraint(
                condition=models.Q(rating__gte=1, rating__lte=5), name="rating_from_1_to_5"
            ),
        ]
        indexes = [models.Index(fields=["course", "-updated_at"], name="review_course_recent")]
        ordering = ["-updated_at", "-pk"]

    def __str__(self):
        return f"{self.rating}★ for {self.course} by {self.learner}"
