"""Completing a course issues its certificate once, by a Celery task, with nobody acting."""

import threading

import pytest
from django.core import mail
from django.db import IntegrityError, connection, transaction

from certification.models import Certificate
from certification.services import certificate_issue, certificate_reissue
from certification.tasks import issue_certificate
from learning.models import Notification
from learning.services import enrollment_refund
from tests.certification.helpers import complete_course_through_the_api, easy_course
from tests.factories import CompletedEnrollmentFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_completing_a_course_issues_a_certificate_with_its_pdf_notification_and_email(
    api_client, django_capture_on_commit_callbacks
):
    learner = UserFactory(first_name="Ada", last_name="Lovelace")
    course = easy_course(title="Charts That Tell the Truth")

    with django_capture_on_commit_callbacks(execute=True):
        enrollment = complete_course_through_the_api(api_client, learner, course)

    certificate = Certificate.objects.get(enrollment=enrollment)
    assert certificate.status == "valid" and certificate.learner == learner
    assert certificate.code.startswith(f"CERT-{certificate.issued_at.year}-")
    assert certificate.snapshot["learner_name"] == "Ada Lovelace"
    assert certificate.snapshot["course_title"] == "Charts That Tell the Truth"
    assert certificate.snapshot["specialist_name"] == course.owner.get_full_name()
    assert {c["name"]: c["met"] for c in certificate.snapshot["criteria"]} == {
        "lessons": True,
        "quizzes": True,
    }
    assert certificate.pdf.name.endswith(f"{certificate.code}.pdf")
    assert certificate.pdf.read().startswith(b"%PDF-")
    assert certificate.emailed_at is not None

    notification = Notification.objects.get(user=learner, kind="certificate_issued")
    assert notification.link.endswith(f"/c/{certificate.code}/")
    [email] = [m for m in mail.outbox if certificate.code in m.subject + m.body]
    assert email.to == [learner.email]
    assert "/api/v1/certificates/download/" in email.body
    assert f"/c/{certificate.code}/" in email.body
    html = email.alternatives[0][0]
    assert "Download your certificate" in html and certificate.code in html


def test_issuing_twice_makes_one_certificate():
    enrollment = CompletedEnrollmentFactory()

    issue_certificate.delay(enrollment.pk)
    issue_certificate.delay(enrollment.pk)
    first = Certificate.objects.get(enrollment=enrollment)

    assert certificate_issue(enrollment=enrollment) == first
    assert Certificate.objects.filter(enrollment=enrollment).count() == 1


def test_the_database_refuses_a_second_certificate_for_an_enrollment():
    enrollment = CompletedEnrollmentFactory()
    first = certificate_issue(enrollment=enrollment)

    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.create(
            code="CERT-2026-ABCDEFGH",
            enrollment=enrollment,
            learner=enrollment.learner,
            course=enrollment.course,
            issued_at=first.issued_at,
            snapshot=first.snapshot,
        )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_issues_make_one_certificate():
    if connection.vendor != "postgresql":
        pytest.skip("needs a database server: SQLite serialises every writer anyway")
    enrollment = CompletedEnrollmentFactory()
    barrier = threading.Barrier(4)
    errors = []

    def issue():
        try:
            barrier.wait()
            issue_certificate.delay(enrollment.pk)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert Certificate.objects.filter(enrollment=enrollment).count() == 1


def test_an_enrollment_that_is_not_completed_gets_no_certificate():
    enrollment = CompletedEnrollmentFactory(status="active", completed_at=None)

    issue_certificate.delay(enrollment.pk)

    assert not Certificate.objects.exists()


def test_later_edits_to_the_course_and_the_learner_do_not_change_an_issued_certificate():
    enrollment = CompletedEnrollmentFactory(learner__first_name="Grace")
    certificate = certificate_issue(enrollment=enrollment)
    course = enrollment.course
    course.title = "A Retitled Course"
    course.save_revision().publish()
    enrollment.learner.first_name = "Someone"
    enrollment.learner.save()

    certificate.refresh_from_db()

    assert certificate.snapshot["learner_name"].startswith("Grace ")
    assert certificate.snapshot["course_title"] != "A Retitled Course"


def test_a_refund_revokes_the_certificate_and_tells_the_learner(
    django_capture_on_commit_callbacks,
):
    enrollment = CompletedEnrollmentFactory()
    certificate = certificate_issue(enrollment=enrollment)

    with django_capture_on_commit_callbacks(execute=True):
        enrollment_refund(enrollment)

    certificate.refresh_from_db()
    assert certificate.status == "revoked" and certificate.revoke_reason == "refunded"
    assert certificate.revoked_at is not None
    assert Notification.objects.filter(user=enrollment.learner, kind="certificate_revoked").exists()


def test_reissue_gives_a_new_code_with_current_names_and_revokes_the_old_one():
    enrollment = CompletedEnrollmentFactory(learner__first_name="Grce")
    old = certificate_issue(enrollment=enrollment)
    enrollment.learner.first_name = "Grace"
    enrollment.learner.save()

    new = certificate_reissue(certificate=old)

    old.refresh_from_db()
    assert (old.status, old.revoke_reason) == ("revoked", "reissued")
    assert new.code != old.code and new.replaces == old and new.status == "valid"
    assert new.snapshot["learner_name"].startswith("Grace ")
    assert new.snapshot["completed_at"] == old.snapshot["completed_at"]
    # The automatic issue still finds the enrollment's certificate and makes no other.
    assert certificate_issue(enrollment=enrollment) == old
    assert Certificate.objects.filter(enrollment=enrollment, status="valid").get() == new
