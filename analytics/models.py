"""Daily snapshots: per course and UTC day, the counts behind every additive figure, and the
ledger's sums per currency. Numerators and denominators only, never a ratio; every row is
recomputed from the raw rows by `analytics.snapshots.snapshot_day`, so any day can be rebuilt."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CourseDailyStats(models.Model):
    """What learners did in a course on one UTC day. A course with nothing that day has no row."""

    course = models.ForeignKey("coursepages.CoursePage", on_delete=models.CASCADE, related_name="+")
    day = models.DateField(help_text=_("A UTC day."))
    new_enrollments = models.PositiveIntegerField(default=0)
    completions = models.PositiveIntegerField(default=0)
    lesson_completions = models.PositiveIntegerField(default=0)
    quiz_attempts = models.PositiveIntegerField(default=0)
    quiz_passes = models.PositiveIntegerField(default=0)
    assignment_submissions = models.PositiveIntegerField(default=0)
    assignment_gradings = models.PositiveIntegerField(default=0)
    active_learners = models.PositiveIntegerField(
        default=0, help_text=_("Distinct that day; never added up across days.")
    )
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["course", "day"], name="one_stats_row_per_course_day")
        ]
        indexes = [models.Index(fields=["day"], name="course_stats_day")]
        verbose_name_plural = _("course daily stats")

    def __str__(self):
        return f"{self.course_id} on {self.day}"


class CourseDailyRevenue(models.Model):
    """The ledger's movements for a course on one UTC day, in one currency and for the
    specialist they were booked to: minor units, every amount positive."""

    course = models.ForeignKey("coursepages.CoursePage", on_delete=models.CASCADE, related_name="+")
    specialist = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField(help_text=_("A UTC day."))
    currency = models.CharField(max_length=3)
    gross = models.BigIntegerField(default=0)
    platform_fee = models.BigIntegerField(default=0)
    specialist_share = models.BigIntegerField(default=0)
    refunds = models.BigIntegerField(default=0)
    fee_reversals = models.BigIntegerField(default=0)
    share_reversals = models.BigIntegerField(default=0)
    sales = models.PositiveIntegerField(default=0)
    refund_count = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["course", "day", "currency", "specialist"],
                name="one_revenue_row_per_course_day_currency",
            )
        ]
        indexes = [models.Index(fields=["day"], name="course_revenue_day")]
        verbose_name_plural = _("course daily revenue")

    def __str__(self):
        return f"{self.course_id} on {self.day} in {self.currency}"


class CourseDailyLearner(models.Model):
    """A learner who acted in a course on one UTC day (a lesson completion, a quiz attempt or a
    submission): the rows any window's distinct active learners are counted from, far fewer
    than the actions they stand for."""

    course = models.ForeignKey(
        "coursepages.CoursePage", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    day = models.DateField(help_text=_("A UTC day."))
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    quiz_attempted = models.BooleanField(default=False)
    quiz_passed = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["course", "day", "learner"], name="one_learner_row_per_course_day"
            )
        ]
        indexes = [models.Index(fields=["day"], name="course_learner_day")]

    def __str__(self):
        return f"{self.learner_id} in {self.course_id} on {self.day}"


class SnapshottedDay(models.Model):
    """How far a day's snapshot rows count the raw rows: everything stamped before `through`.
    The day is complete once `through` is the next midnight."""

    day = models.DateField(primary_key=True, help_text=_("A UTC day."))
    through = models.DateTimeField()

    def __str__(self):
        return f"{self.day} through {self.through.isoformat()}"


class SnapshotCoverage(models.Model):
    """Where the snapshots stop being complete; one row. Every day before `through`'s UTC day is
    complete, and that day is counted up to `through`. A report reads the stored rows up to it
    and the raw rows from it on in one statement, so nothing is counted twice or missed, and
    the raw rows it reads are the few since the last run (an hour, or the night's settling)."""

    through = models.DateTimeField()

    def __str__(self):
        return f"snapshots complete through {self.through.isoformat()}"
