"""Cohorts: dated batches of a cohort-type course, with an exact number of seats."""

import datetime
import functools
import zoneinfo

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone as django_timezone
from django.utils.translation import gettext_lazy as _


@functools.cache
def _known_zones():
    return frozenset(zoneinfo.available_timezones())  # reads the zone database: once


def validate_timezone(name):
    """An IANA zone name zoneinfo knows, e.g. "America/New_York"."""
    if name not in _known_zones():
        raise ValidationError(_("Unknown time zone %(name)s."), params={"name": name})


class MeetingProviderName(models.TextChoices):
    MANUAL = "manual", _("Manual link")
    ZOOM = "zoom", _("Zoom")
    GOOGLE_MEET = "google_meet", _("Google Meet")


class Cohort(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled")
        COMPLETED = "completed", _("Completed")

    course = models.ForeignKey(
        "coursepages.CoursePage", on_delete=models.PROTECT, related_name="cohorts"
    )
    name = models.CharField(max_length=120)
    starts_on = models.DateField()
    ends_on = models.DateField()
    timezone = models.CharField(
        max_length=64,
        validators=[validate_timezone],
        help_text=_("IANA time zone the sessions are scheduled in, e.g. America/New_York."),
    )
    capacity = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    # Kept exact by learning.services.cohorts: one conditional UPDATE per seat taken or freed.
    seats_taken = models.PositiveIntegerField(default=0, editable=False)
    enrollment_deadline = models.DateTimeField(
        help_text=_("The last instant at which a learner can still enroll (exclusive).")
    )
    price = models.DecimalField(
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Overrides the course's price for this cohort; empty uses the course's."),
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    meeting_provider = models.CharField(
        max_length=20,
        choices=MeetingProviderName.choices,
        default=MeetingProviderName.MANUAL,
        help_text=_("Where the cohort's live sessions are held; a session may choose another."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Set once, by learning.services.cohort_completion, when the last session has been held
    # and every learner's completion was checked; empty while that is still to do.
    completed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(seats_taken__lte=models.F("capacity")),
                name="cohort_seats_within_capacity",
            ),
            models.CheckConstraint(
                condition=models.Q(seats_taken__gte=0), name="cohort_seats_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__gt=0), name="cohort_capacity_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="cohort_ends_after_it_starts",
            ),
        ]
        ordering = ["starts_on", "pk"]

    def __str__(self):
        return f"{self.course} – {self.name}"

    def clean(self):
        errors = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("A cohort cannot end before it starts.")
        if (
            self.enrollment_deadline
            and self.ends_on
            and self._local_date(self.enrollment_deadline) > self.ends_on
        ):
            errors["enrollment_deadline"] = _("The enrollment deadline cannot be after the end.")
        if errors:
            raise ValidationError(errors)

    @property
    def zone(self):
        """The cohort's ZoneInfo (UTC while the name is unknown, before validation)."""
        try:
            return zoneinfo.ZoneInfo(self.timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
            return datetime.UTC

    def _local_date(self, instant):
        """The date of an instant in the cohort's zone (UTC while the zone is unknown)."""
        return instant.astimezone(self.zone).date()

    @property
    def seats_left(self):
        return self.capacity - self.seats_taken

    @property
    def effective_price(self):
        """What enrolling costs: the cohort's own price when set, else the course's."""
        return self.course.price if self.price is None else self.price

    @property
    def takes_enrollments(self):
        return self.status == self.Status.OPEN and django_timezone.now() < self.enrollment_deadline

    @property
    def waitlist_open(self):
        """Whether a learner can join the waitlist now: open, before the deadline, and full."""
        return self.takes_enrollments and self.seats_taken >= self.capacity

    @property
    def refund_deadline(self):
        """The last instant (inclusive) at which a learner's refund is granted at once.

        The cohort runs from midnight starting `starts_on` to midnight ending `ends_on`
        (the next day's 00:00), both in the cohort's zone; the deadline lies the course's
        `cohort_refund_until_percent` of the way through that span, measured in real
        elapsed time (UTC), so a DST change inside the cohort does not move it."""
        zone = self.zone
        starts = datetime.datetime.combine(self.starts_on, datetime.time(), tzinfo=zone)
        ends = datetime.datetime.combine(
            self.ends_on + datetime.timedelta(days=1), datetime.time(), tzinfo=zone
        )
        starts, ends = starts.astimezone(datetime.UTC), ends.astimezone(datetime.UTC)
        return starts + (ends - starts) * self.course.cohort_refund_until_percent / 100
