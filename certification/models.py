"""Certificates: what a completed enrollment earned, frozen at the moment it was issued."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def pdf_path(certificate, filename):
    return f"certificates/{certificate.issued_at:%Y}/{certificate.code}.pdf"


class Certificate(models.Model):
    class Status(models.TextChoices):
        VALID = "valid", _("Valid")
        REVOKED = "revoked", _("Revoked")

    code = models.CharField(max_length=24, unique=True, editable=False)
    enrollment = models.ForeignKey(
        "learning.Enrollment", on_delete=models.PROTECT, related_name="certificates"
    )
    # Copies of the enrollment's learner and course, for owner lists and admin search
    # without a join through enrollments.
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="certificates"
    )
    course = models.ForeignKey(
        "coursepages.CoursePage", on_delete=models.PROTECT, related_name="certificates"
    )
    replaces = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
        help_text=_("The revoked certificate this one was reissued for."),
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.VALID)
    issued_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoke_reason = models.CharField(max_length=300, blank=True)
    snapshot = models.JSONField(
        help_text=_(
            "What the certificate attests, as it was when issued: learner, course, "
            "specialist, completion date and criteria; for a cohort course also the cohort "
            "and the learner's attendance."
        )
    )
    pdf = models.FileField(upload_to=pdf_path, blank=True, max_length=200)
    emailed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        constraints = [
            # The automatic issue makes one certificate per enrollment, however often
            # or concurrently it runs; reissues chain from it through `replaces`.
            models.UniqueConstraint(
                fields=["enrollment"],
                condition=models.Q(replaces__isnull=True),
                name="one_issued_certificate_per_enrollment",
            ),
            models.UniqueConstraint(
                fields=["enrollment"],
                condition=models.Q(status="valid"),
                name="one_valid_certificate_per_enrollment",
            ),
            models.CheckConstraint(
                condition=models.Q(status="valid", revoked_at__isnull=True)
                | models.Q(status="revoked", revoked_at__isnull=False),
                name="revoked_certificate_has_revoked_at",
            ),
        ]
        indexes = [
            models.Index(fields=["learner", "-issued_at"], name="certificate_learner_recent")
        ]
        ordering = ["-issued_at", "-pk"]
        permissions = [("manage_certificate", "Can revoke, reissue and re-render certificates")]

    def __str__(self):
        return self.code

    @property
    def learner_name(self):
        return self.snapshot["learner_name"]

    @property
    def course_title(self):
        return self.snapshot["course_title"]

    @property
    def is_valid(self):
        return self.status == self.Status.VALID
