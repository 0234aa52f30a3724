"""Issuing, revoking, reissuing and rendering certificates: the rules, for every caller."""

from dataclasses import asdict
from datetime import datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateformat import format as format_date
from wagtail.log_actions import log

from accounts.names import display_name
from certification.codes import new_code
from certification.events import certificate_issued, certificate_revoked
from certification.exceptions import CertificateRevoked, NotEligible
from certification.links import verification_page_url
from certification.models import Certificate
from certification.pdf import render_certificate_pdf
from certification.verification import attendance_of, attendance_text, cohort_of, cohort_text
from coursepages.selectors import course_teacher
from learning.attendance import attendance_standing
from learning.events import announce
from learning.models import Enrollment, Notification
from learning.selectors import eligibility
from learning.services import notify

REASON_REFUNDED = "refunded"


def _cohort_snapshot(enrollment) -> dict | None:
    """The cohort the learner took the course in, as the certificate states it."""
    cohort = enrollment.cohort
    if cohort is None:
        return None
    return {
        "id": cohort.pk,
        "name": cohort.name,
        "starts_on": cohort.starts_on.isoformat(),
        "ends_on": cohort.ends_on.isoformat(),
    }


def _attendance_snapshot(enrollment) -> dict | None:
    """The learner's live-session attendance, counted as `learning.attendance` counts it:
    attended of counted (held less excused), and the percent as shown (one decimal)."""
    if enrollment.cohort_id is None:
        return None
    standing = attendance_standing(enrollment)
    return {
        "held": standing.held,
        "excused": standing.excused,
        "counted": standing.held - standing.excused,
        "attended": standing.attended,
        "percent": None if standing.percent is None else float(standing.percent),
    }


def _snapshot(enrollment) -> dict:
    course = enrollment.course
    specialist = course_teacher(course)
    _, criteria = eligibility(enrollment)
    return {
        "learner_name": display_name(enrollment.learner),
        "course_id": course.pk,
        "course_title": course.title,
        "course_language": course.language,
        "specialist_name": display_name(specialist) if specialist else "",
        "issuer_name": settings.WAGTAIL_SITE_NAME,
        "completed_at": (enrollment.completed_at or timezone.now()).isoformat(),
        "criteria": [asdict(criterion) for criterion in criteria],
        "cohort": _cohort_snapshot(enrollment),
        "attendance": _attendance_snapshot(enrollment),
    }


def _create(*, enrollment, snapshot, replaces=None) -> Certificate:
    now = timezone.now()
    while True:
        certificate = Certificate(
            code=new_code(year=now.year),
            enrollment=enrollment,
            learner_id=enrollment.learner_id,
            course_id=enrollment.course_id,
            replaces=replaces,
            issued_at=now,
            snapshot=snapshot,
        )
        certificate.full_clean(exclude=["enrollment", "learner", "course", "replaces"])
        try:
            with transaction.atomic():
                certificate.save()
            return certificate
        except IntegrityError:
            if not Certificate.objects.filter(code=certificate.code).exists():
                raise  # not a code collision: one certificate per enrollment said no


@transaction.atomic
def certificate_issue(*, enrollment: Enrollment) -> Certificate:
    """Issue a completed enrollment's certificate, once: a repeat or a racing call gets the first."""
    enrollment = (
        Enrollment.objects.select_for_update(of=("self",))
        .select_related("learner", "course__instructor", "course__owner", "cohort")
        .get(pk=enrollment.pk)
    )
    if existing := Certificate.objects.filter(enrollment=enrollment, replaces=None).first():
        return existing
    if enrollment.status != Enrollment.Status.COMPLETED:
        raise NotEligible("Only a completed enrollment earns a certificate.")
    try:
        with transaction.atomic():
            certificate = _create(enrollment=enrollment, snapshot=_snapshot(enrollment))
    except IntegrityError:  # a concurrent issue committed first
        return Certificate.objects.get(enrollment=enrollment, replaces=None)
    _announce_issued(certificate)
    return certificate


def _announce_issued(certificate):
    """In the issuing transaction: the dashboard notification; after commit: PDF and e-mail."""
    from certification.tasks import deliver_certificate  # the tasks module imports this one

    # Not notify(): the certificate e-mail (with its download link) replaces the
    # notification's generic one.
    Notification.objects.create(
        user_id=certificate.learner_id,
        kind=Notification.Kind.CERTIFICATE_ISSUED,
        title=f"Your certificate for {certificate.snapshot['course_title']}",
        body="Congratulations! Download it, add it to your profile or share its public link.",
        enrollment_id=certificate.enrollment_id,
        link=verification_page_url(certificate.code),
    )
    transaction.on_commit(lambda: deliver_certificate.delay(certificate.pk))
    announce(certificate_issued, sender=Certificate, certificate=certificate)


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, reason: str, by=None) -> Certificate:
    """Revoke a certificate: verification answers "revoked" from now on. Again is harmless.

    `by` is the staff member, for the audit log; None when the system revokes (a refund)."""
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if not certificate.is_valid:
        return certificate
    certificate.status = Certificate.Status.REVOKED
    certificate.revoked_at = timezone.now()
    certificate.revoke_reason = reason[:300]
    certificate.full_clean(exclude=["enrollment", "learner", "course", "replaces"])
    certificate.save(update_fields=["status", "revoked_at", "revoke_reason"])
    log(
        instance=certificate,
        action="certification.certificate.revoke",
        user=by,
        data={"reason": certificate.revoke_reason},
    )
    _announce_revoked(certificate)
    return certificate


def _announce_revoked(certificate):
    announce(certificate_revoked, sender=Certificate, certificate=certificate)
    notify(
        user=certificate.learner,
        kind=Notification.Kind.CERTIFICATE_REVOKED,
        title=f"Your certificate for {certificate.snapshot['course_title']} was revoked",
        body=f"Certificate {certificate.code} is no longer valid ({certificate.revoke_reason}).",
        enrollment=certificate.enrollment,
        link=verification_page_url(certificate.code),
    )


@transaction.atomic
def certificate_reissue(*, certificate: Certificate, by=None) -> Certificate:
    """Replace a valid certificate with a new code and a fresh snapshot; the old one is revoked.

    For corrections (a misspelt name, a retitled course) made by staff.
    """
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if not certificate.is_valid:
        raise CertificateRevoked("Only a valid certificate can be reissued.")
    enrollment = Enrollment.objects.select_related(
        "learner", "course__instructor", "course__owner", "cohort"
    ).get(pk=certificate.enrollment_id)
    certificate.status = Certificate.Status.REVOKED
    certificate.revoked_at = timezone.now()
    certificate.revoke_reason = "reissued"
    certificate.save(update_fields=["status", "revoked_at", "revoke_reason"])
    announce(certificate_revoked, sender=Certificate, certificate=certificate)
    snapshot = {**_snapshot(enrollment), "completed_at": certificate.snapshot["completed_at"]}
    replacement = _create(enrollment=enrollment, snapshot=snapshot, replaces=certificate)
    log(
        instance=certificate,
        action="certification.certificate.reissue",
        user=by,
        data={"replacement": replacement.code},
    )
    log(
        instance=replacement,
        action="certification.certificate.replace",
        user=by,
        data={"replaces": certificate.code},
    )
    _announce_issued(replacement)
    return replacement


def certificate_render_pdf(*, certificate: Certificate, by=None) -> Certificate:
    """Render the certificate's PDF from its snapshot and store it, replacing any earlier one.

    `by` is the staff member who asked for it again, for the audit log; None for the task."""
    snapshot = certificate.snapshot
    pdf = render_certificate_pdf(
        {
            "code": certificate.code,
            "learner_name": snapshot["learner_name"],
            "course_title": snapshot["course_title"],
            "specialist_name": snapshot["specialist_name"],
            "issuer_name": snapshot["issuer_name"],
            "completed_on": format_date(datetime.fromisoformat(snapshot["completed_at"]), "j F Y"),
            "verify_url": verification_page_url(certificate.code),
            "cohort_text": cohort_text(cohort_of(snapshot)),
            "attendance_text": attendance_text(attendance_of(snapshot)),
        }
    )
    old_name = certificate.pdf.name
    certificate.pdf.save(f"{certificate.code}.pdf", ContentFile(pdf), save=False)
    with transaction.atomic():
        Certificate.objects.filter(pk=certificate.pk).update(pdf=certificate.pdf.name)
        log(instance=certificate, action="certification.certificate.render_pdf", user=by)
    if old_name and old_name != certificate.pdf.name:
        certificate.pdf.storage.delete(old_name)
    return certificate
