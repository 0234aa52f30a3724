"""Public verification, as JSON and as the page a QR code opens: valid, revoked or unknown."""

import pytest
from rest_framework.throttling import SimpleRateThrottle

from certification.services import certificate_issue
from learning.services import enrollment_refund
from tests.api_helpers import assert_problem
from tests.factories import CompletedEnrollmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(settings):
    settings.WAGTAILADMIN_BASE_URL = "https://courses.example.com"
    enrollment = CompletedEnrollmentFactory(
        learner__first_name="Ada", learner__last_name="Lovelace", learner__email="ada@example.com"
    )
    return certificate_issue(enrollment=enrollment)


def test_a_valid_certificate_shows_only_holder_course_issuer_and_dates(
    api_client, certificate, django_assert_max_num_queries
):
    with django_assert_max_num_queries(1):
        response = api_client.get(f"/api/v1/public/certificates/{certificate.code}/verify/")

    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "valid" and body["revoked_on"] is None
    assert body["holder"] == "Ada Lovelace"
    assert body["course"] == certificate.snapshot["course_title"]
    assert body["issuer"]["name"] == "Courses"
    assert body["issuer"]["instructor"] == certificate.snapshot["specialist_name"]
    assert body["completed_on"] == certificate.snapshot["completed_at"][:10]
    assert body["verify_url"] == f"https://courses.example.com/c/{certificate.code}/"
    assert body["revokedCredentials"] == []
    assert "ada@example.com" not in response.content.decode()
    assert "criteria" not in body and "learner" not in body


def test_after_a_refund_verification_says_revoked_with_the_date(
    api_client, client, certificate, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        enrollment_refund(certificate.enrollment)

    body = api_client.get(f"/api/v1/public/certificates/{certificate.code}/verify/").json()
    page = client.get(f"/c/{certificate.code}/")

    certificate.refresh_from_db()
    assert body["status"] == "revoked"
    assert body["revoked_on"] == certificate.revoked_at.date().isoformat()
    assert body["revokedCredentials"] == [{"id": body["verify_url"], "revoked": True}]
    assert page.status_code == 200
    assert "Revoked certificate" in page.content.decode()
    assert f"{certificate.revoked_at:%-d %B %Y}" in page.content.decode()


@pytest.mark.parametrize(
    "code", ["CERT-2026-ABCDEFGH", "cert-1999-zzzzzzzz", "nonsense", "CERT-2026-" + "9" * 500]
)
def test_unknown_and_malformed_codes_say_unknown_and_nothing_else(api_client, client, code):
    body = assert_problem(
        api_client.get(f"/api/v1/public/certificates/{code}/verify/"), 404, "certificate_unknown"
    )
    page = client.get(f"/c/{code}/")

    assert body["detail"] == "No certificate has this code."
    assert page.status_code == 404
    assert "Unknown certificate" in page.content.decode()


def test_the_verification_page_says_valid(client, certificate, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        response = client.get(f"/c/{certificate.code}/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Valid certificate" in html and "Ada Lovelace" in html and certificate.code in html
    assert "ada@example.com" not in html
    assert response["Cache-Control"].startswith("max-age=0")


def test_verification_is_rate_limited_with_retry_after(
    api_client, client, certificate, monkeypatch
):
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"certificate_verify": "3/min"})
    address = {"REMOTE_ADDR": "203.0.113.9"}
    path = f"/api/v1/public/certificates/{certificate.code}/verify/"

    statuses = [api_client.get(path, **address).status_code for _ in range(3)]
    throttled = api_client.get(path, **address)
    page = client.get(f"/c/{certificate.code}/", **address)

    assert statuses == [200, 200, 200]
    assert_problem(throttled, 429, "throttled")
    assert 0 < int(throttled["Retry-After"]) <= 60
    assert page.status_code == 429 and 0 < int(page["Retry-After"]) <= 60
    other_client = api_client.get(path, REMOTE_ADDR="203.0.113.10")
    assert other_client.status_code == 200


def test_the_page_answers_only_safe_methods(client, certificate):
    assert client.post(f"/c/{certificate.code}/").status_code == 405
