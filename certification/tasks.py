from datetime import timedelta
from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import OperationalError, transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.utils import timezone

from certification.downloads import pdf_link
from certification.links import linkedin_add_to_profile_url, verification_page_url
from certification.models import Certificate
from certification.services import certificate_issue, certificate_render_pdf
from learning.models import Enrollment

# Failures worth another try: the database, the media storage or the mail server.
TRANSIENT = (OperationalError, OSError, SMTPException)


@shared_task(autoretry_for=TRANSIENT, retry_backoff=True, max_retries=5)
def issue_certificate(enrollment_id):
    """Issue the certificate a completed enrollment earned; a second run finds it issued."""
    enrollment = Enrollment.objects.filter(pk=enrollment_id).first()
    if enrollment is not None and enrollment.status == Enrollment.Status.COMPLETED:
        certificate_issue(enrollment=enrollment)


# The sweeps: what a lost task (the broker down when the completion committed, retries that
# ran out) left undone is found here. Older than the grace period, so the task queued on
# commit has had its chance; younger than the horizon, so a deployment does not act on years
# of history (`manage.py regenerate_certificates` is for that).
SWEEP_GRACE = timedelta(minutes=10)
SWEEP_HORIZON = timedelta(days=7)
SWEEP_BATCH = 500


@shared_task
def issue_missing_certificates():
    """Queue the certificate of every enrollment completed 10 minutes to 7 days ago that has
    none."""
    now = timezone.now()
    missing = (
        Enrollment.objects.filter(
            status=Enrollment.Status.COMPLETED,
            completed_at__lte=now - SWEEP_GRACE,
            completed_at__gt=now - SWEEP_HORIZON,
        )
        .filter(~Exists(Certificate.objects.filter(enrollment=OuterRef("pk"))))
        .order_by("completed_at")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    for enrollment_id in missing:
        issue_certificate.delay(enrollment_id)


@shared_task
def deliver_undelivered_certificates():
    """Queue the PDF and e-mail of every valid certificate issued 10 minutes to 7 days ago
    that was never e-mailed (and whose holder has an address)."""
    now = timezone.now()
    undelivered = (
        Certificate.objects.filter(
            status=Certificate.Status.VALID,
            emailed_at__isnull=True,
            issued_at__lte=now - SWEEP_GRACE,
            issued_at__gt=now - SWEEP_HORIZON,
        )
        .exclude(learner__email="")
        .order_by("issued_at")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    for certificate_id in undelivered:
        deliver_certificate.delay(certificate_id)


@shared_task(autoretry_for=TRANSIENT, retry_backoff=True, max_retries=5)
def deliver_certificate(certificate_id):
    """Render a new certificate's PDF and e-mail it to its holder, once."""
    certificate = Certificate.objects.filter(pk=certificate_id).first()
    if certificate is None:
        return
    if not certificate.pdf:
        certificate_render_pdf(certificate=certificate)
    with transaction.atomic():
        certificate = (
            Certificate.objects.select_for_update().select_related("learner").get(pk=certificate_id)
        )
        if certificate.emailed_at or not certificate.is_valid or not certificate.learner.email:
            return
        _send_certificate_email(certificate)
        certificate.emailed_at = timezone.now()
        certificate.save(update_fields=["emailed_at"])


def _send_certificate_email(certificate):
    context = {
        "certificate": certificate,
        "snapshot": certificate.snapshot,
        "download_url": pdf_link(certificate),
        "verify_url": verification_page_url(certificate.code),
        "linkedin_url": linkedin_add_to_profile_url(certificate),
        "link_days": settings.CERTIFICATE_LINK_MAX_AGE // 86400,
        "site_name": settings.WAGTAIL_SITE_NAME,
    }
    message = EmailMultiAlternatives(
        subject=f"Your certificate: {certificate.snapshot['course_title']}",
        body=render_to_string("certification/email/certificate_issued.txt", context),
        to=[certificate.learner.email],
    )
    message.attach_alternative(
        render_to_string("certification/email/certificate_issued.html", context), "text/html"
    )
    message.send()
