"""A cohort course's certificate states the cohort and the holder's attendance, the record an
employer verifies: in the snapshot, the PDF, the verification page and JSON, and the owner's
API. Self-paced certificates, and those issued before cohorts were stated, say null."""

import io
from datetime import timedelta

import pytest
from pypdf import PdfReader

from certification.models import Certificate
from certification.services import certificate_issue, certificate_render_pdf
from learning.tasks import complete_ended_cohorts
from tests.completion_helpers import do_the_coursework, take_attendance, weekly_batch
from tests.factories import CompletedEnrollmentFactory, UserFactory
from tests.session_helpers import freeze, member_of

pytestmark = pytest.mark.django_db

ATTENDANCE = {"held": 8, "excused": 1, "counted": 7, "attended": 6, "percent": 85.7}
ATTENDANCE_TEXT = "Attended 6 of 7 live sessions (85.7 %), 1 excused absence not counted"
COHORT = {"name": "Batch 3", "starts_on": "2024-03-01", "ends_on": "2024-04-30"}
COHORT_TEXT = "Batch 3, 1 March 2024 – 30 April 2024"


@pytest.fixture
def certificate(api_client, monkeypatch, settings, django_capture_on_commit_callbacks):
    """Ada's certificate for Batch 3: 8 sessions held, excused from one, absent from one."""
    settings.WAGTAILADMIN_BASE_URL = "https://courses.example.com"
    cohort = weekly_batch(monkeypatch)
    sessions = list(cohort.sessions.order_by("starts_at"))
    ada = member_of(cohort, learner=UserFactory(first_name="Ada", last_name="Lovelace"))
    freeze(monkeypatch, sessions[-1].starts_at)
    do_the_coursework(ada)
    statuses = ["present"] * 8
    statuses[2], statuses[5] = "excused", "absent"
    for session, status in zip(sessions, statuses, strict=True):
        take_attendance(api_client, session, {ada: status})
    freeze(monkeypatch, sessions[-1].ends_at + timedelta(minutes=5))
    with django_capture_on_commit_callbacks(execute=True):
        complete_ended_cohorts.delay()
    return Certificate.objects.get(enrollment=ada)


def verify(api_client, certificate):
    response = api_client.get(f"/api/v1/public/certificates/{certificate.code}/verify/")
    assert response.status_code == 200
    return response.json()


def pdf_text(certificate):
    certificate_render_pdf(certificate=certificate)
    with certificate.pdf.open("rb") as pdf:
        [page] = PdfReader(io.BytesIO(pdf.read())).pages
    return " ".join(page.extract_text().split())


def test_the_snapshot_freezes_the_cohort_and_the_attendance(certificate):
    assert certificate.snapshot["cohort"] == {"id": certificate.enrollment.cohort_id, **COHORT}
    assert certificate.snapshot["attendance"] == ATTENDANCE


def test_verification_json_states_the_cohort_and_the_attendance(
    api_client, certificate, django_assert_max_num_queries
):
    with django_assert_max_num_queries(1):
        body = verify(api_client, certificate)
    assert body["holder"] == "Ada Lovelace"
    assert body["cohort"] == COHORT
    assert body["attendance"] == ATTENDANCE


def test_the_verification_page_states_them_too(client, certificate):
    page = client.get(f"/c/{certificate.code}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Valid certificate" in html
    assert f"<dt>Cohort</dt><dd>{COHORT_TEXT}</dd>" in html
    assert f"<dt>Attendance</dt><dd>{ATTENDANCE_TEXT}</dd>" in html


def test_the_pdf_states_them_on_its_one_page(certificate):
    text = pdf_text(certificate)
    assert "Ada Lovelace" in text and certificate.code in text
    assert f"in the cohort {COHORT_TEXT}" in text
    assert ATTENDANCE_TEXT in text


def test_the_owner_sees_them_in_their_certificate(api_client, certificate):
    api_client.force_authenticate(certificate.learner)
    response = api_client.get(f"/api/v1/certificates/{certificate.code}/")
    assert response.status_code == 200
    assert response.json()["cohort"] == COHORT
    assert response.json()["attendance"] == ATTENDANCE


def test_later_attendance_changes_do_not_rewrite_an_issued_certificate(api_client, certificate):
    session = certificate.enrollment.cohort.sessions.order_by("starts_at").last()
    take_attendance(api_client, session, {certificate.enrollment: "absent"})
    assert verify(api_client, certificate)["attendance"] == ATTENDANCE


def test_attendance_without_excused_sessions_says_nothing_of_them(api_client, certificate):
    snapshot = certificate.snapshot
    snapshot["attendance"] = {
        "held": 8,
        "excused": 0,
        "counted": 8,
        "attended": 8,
        "percent": 100.0,
    }
    Certificate.objects.filter(pk=certificate.pk).update(snapshot=snapshot)
    certificate.refresh_from_db()
    assert "Attended 8 of 8 live sessions (100.0 %)" in pdf_text(certificate)
    assert "excused" not in pdf_text(certificate)


def test_a_self_paced_certificate_states_no_cohort_and_no_attendance(api_client, client):
    certificate = certificate_issue(enrollment=CompletedEnrollmentFactory())
    assert (certificate.snapshot["cohort"], certificate.snapshot["attendance"]) == (None, None)
    body = verify(api_client, certificate)
    assert (body["cohort"], body["attendance"]) == (None, None)
    html = client.get(f"/c/{certificate.code}/").content.decode()
    assert "Cohort" not in html and "Attendance" not in html
    text = pdf_text(certificate)
    assert "cohort" not in text and "live sessions" not in text


def test_a_certificate_issued_before_cohorts_were_stated_says_null(api_client, client):
    certificate = certificate_issue(enrollment=CompletedEnrollmentFactory())
    snapshot = {k: v for k, v in certificate.snapshot.items() if k not in ("cohort", "attendance")}
    Certificate.objects.filter(pk=certificate.pk).update(snapshot=snapshot)
    body = verify(api_client, certificate)
    assert (body["cohort"], body["attendance"]) == (None, None)
    assert client.get(f"/c/{certificate.code}/").status_code == 200
    api_client.force_authenticate(certificate.learner)
    mine = api_client.get(f"/api/v1/certificates/{certificate.code}/")
    assert mine.status_code == 200
    assert (mine.json()["cohort"], mine.json()["attendance"]) == (None, None)


def test_the_schema_documents_both_as_nullable(api_client):
    response = api_client.get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    schemas = response.json()["components"]["schemas"]
    for shape in ("Verification", "Certificate"):
        properties = schemas[shape]["properties"]
        assert properties["cohort"]["nullable"] and properties["attendance"]["nullable"]
        assert {"cohort", "attendance"} <= set(schemas[shape]["required"])
    assert set(schemas["CertificateAttendance"]["properties"]) == set(ATTENDANCE)
    assert set(schemas["CertificateCohort"]["properties"]) == set(COHORT)
