"""What a lost task leaves undone is found by beat: a completion that committed while the
broker was down gets its certificate, and a certificate never e-mailed gets its e-mail, from
10 minutes after the fact until 7 days after it."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from certification.models import Certificate
from certification.tasks import deliver_undelivered_certificates, issue_missing_certificates
from learning.models import Enrollment
from tests.certification.helpers import complete_course_through_the_api, easy_course
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def at(monkeypatch, instant):
    monkeypatch.setattr(timezone, "now", lambda: instant)


@pytest.fixture
def completed_while_the_broker_was_down(api_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):  # the task never reached a worker
        enrollment_id = complete_course_through_the_api(api_client, UserFactory(), easy_course())
    enrollment = Enrollment.objects.get(pk=enrollment_id)
    assert enrollment.status == "completed" and not enrollment.certificates.exists()
    return enrollment


def test_a_completion_whose_task_was_lost_gets_its_certificate_after_10_minutes(
    monkeypatch, completed_while_the_broker_was_down, django_capture_on_commit_callbacks
):
    completed_at = completed_while_the_broker_was_down.completed_at
    at(monkeypatch, completed_at + timedelta(minutes=10, microseconds=-1))
    issue_missing_certificates.delay()
    assert not Certificate.objects.exists()  # its own task may still be on its way

    at(monkeypatch, completed_at + timedelta(minutes=10))
    with django_capture_on_commit_callbacks(execute=True):
        issue_missing_certificates.delay()
        issue_missing_certificates.delay()  # found issued: nothing more
    [certificate] = Certificate.objects.all()
    assert certificate.enrollment == completed_while_the_broker_was_down
    assert certificate.emailed_at is not None and len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("days", "issued"), [(timedelta(days=7), False), (timedelta(days=7, microseconds=-1), True)]
)
def test_the_certificate_sweep_looks_back_7_days(
    monkeypatch, completed_while_the_broker_was_down, days, issued
):
    at(monkeypatch, completed_while_the_broker_was_down.completed_at + days)
    issue_missing_certificates.delay()
    assert Certificate.objects.exists() is issued


def test_a_certificate_never_e_mailed_is_e_mailed_after_10_minutes_once(
    monkeypatch, completed_while_the_broker_was_down
):
    at(monkeypatch, completed_while_the_broker_was_down.completed_at + timedelta(minutes=10))
    issue_missing_certificates.delay()  # its e-mail task is lost in turn
    certificate = Certificate.objects.get()
    assert certificate.emailed_at is None and mail.outbox == []

    at(monkeypatch, certificate.issued_at + timedelta(minutes=10, microseconds=-1))
    deliver_undelivered_certificates.delay()
    assert mail.outbox == []

    at(monkeypatch, certificate.issued_at + timedelta(minutes=10))
    deliver_undelivered_certificates.delay()
    deliver_undelivered_certificates.delay()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [certificate.learner.email]
    certificate.refresh_from_db()
    assert certificate.emailed_at is not None and certificate.pdf
