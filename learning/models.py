"""Who is enrolled in what, and how far they have got."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Enrollment(models.Model):
    class Status(models.TextChoices):
        PENDING_PAYMENT = "pending_payment", _("Pending payment")
        ACTIVE = "active", _("Active")
        COMPLETED = "completed", _("Completed")
        REFUNDED = "refunded", _("Refunded")
        CANCELLED = "cancelled", _("Cancelled")
        EXPIRED = "expired", _("Expired")

    # At most one of these per learner and course (a database constraint).
    LIVE_STATUSES = (Status.PENDING_PAYMENT, Status.ACTIVE, Status.COMPLETED)
    # These grant access to the course's lessons.
    ACCESS_STATUSES = (Status.ACTIVE, Status.COMPLETED)

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrollments"
    )
    course = models.ForeignKey(
        "coursepages.CoursePage", on_delete=models.PROTECT, related_name="enrollments"
    )
    status = models.CharField(max_length=20, choices=Status.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    activated_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    suspended_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("Access is paused while the payment is disputed."),
    )
    last_lesson = models.ForeignKey(
        "coursepages.LessonPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The lesson the learner touched last, for “resume”."),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "course"],
                condition=models.Q(status__in=["pending_payment", "active", "completed"]),
                name="one_live_enrollment_per_learner_and_course",
            )
        ]
        indexes = [
            models.Index(fields=["learner", "-created_at"], name="enrollment_learner_recent")
        ]
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.learner} in {self.course} ({self.status})"

    @property
    def grants_access(self):
        return self.status in self.ACCESS_STATUSES and self.suspended_at is None


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

    def __str__(self):
        return f"{self.enrollment_id}: lesson {self.lesson_id}"


class QuizAttempt(models.Model):
    """One graded submission of a quiz, with the quiz as it was asked, so later edits change nothing."""

    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.CASCADE, related_name="quiz_attempts"
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
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "quiz_id", "number"], name="one_attempt_per_number"
            )
        ]
        ordering = ["enrollment", "quiz_id", "number"]

    def __str__(self):
        return f"{self.enrollment_id} quiz {self.quiz_id} #{self.number}: {self.score}%"


class AssignmentSubmission(models.Model):
    """Work handed in for an assignment, graded by the course's specialist against its rubric."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Waiting for grading")
        PASSED = "passed", _("Passed")
        FAILED = "failed", _("Failed")

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="submissions")
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
    submitted_at = models.DateTimeField(auto_now_add=True)
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
        indexes = [models.Index(fields=["status", "submitted_at"], name="submission_queue")]
        ordering = ["submitted_at", "pk"]

    def __str__(self):
        return f"{self.assignment_title} by {self.enrollment.learner} ({self.status})"


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


class Notification(models.Model):
    """A dashboard alert for a learner, also sent by e-mail."""

    class Kind(models.TextChoices):
        ENROLLED = "enrolled", _("Enrolled")
        SUBMISSION_GRADED = "submission_graded", _("Assignment graded")
        COURSE_COMPLETED = "course_completed", _("Course completed")
        CERTIFICATE_ISSUED = "certificate_issued", _("Certificate issued")
        CERTIFICATE_REVOKED = "certificate_revoked", _("Certificate revoked")
        REFUNDED = "refunded", _("Refunded")
        REFUND_DECLINED = "refund_declined", _("Refund declined")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    title = models.CharField(max_length=200)
    body = models.TextField()
    link = models.URLField(
        max_length=500, blank=True, help_text=_("Where the learner acts on it, if anywhere.")
    )
    enrollment = models.ForeignKey(
        Enrollment, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "-created_at"], name="notification_user_recent")]
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.user}: {self.title}"
