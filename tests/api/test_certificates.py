"""The owner's certificate endpoints: list, detail with share links, PDF, signed e-mail link."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import signing

from certification.downloads import SALT, pdf_link
from certification.services import certificate_issue, certificate_revoke
from tests.api_helpers import assert_problem
from tests.factories import CompletedEnrollmentFactory, UserFactory

pytestmark = pytest.mark.django_db


def issued(**enrollment_fields):
    return certificate_issue(enrollment=CompletedEnrollmentFactory(**enrollment_fields))


def test_my_certificates_are_listed_newest_first_in_bounded_queries(
    api_client, learner, django_assert_max_num_queries
):
    mine = [issued(learner=learner) for _ in range(12)]
    issued()  # someone else's
    api_client.force_authenticate(learner)

    with django_assert_max_num_queries(2):
        body = api_client.get("/api/v1/certificates/?page_size=50").json()

    assert body["count"] == 12
    assert [c["code"] for c in body["results"]] == [c.code for c in reversed(mine)]


def test_detail_has_links_to_share_the_certificate(
    api_client, learner, settings, django_assert_max_num_queries
):
    settings.WAGTAILADMIN_BASE_URL = "https://courses.example.com"
    settings.WAGTAIL_SITE_NAME = "Courses"
    certificate = issued(learner=learner)
    api_client.force_authenticate(learner)

    with django_assert_max_num_queries(1):
        body = api_client.get(f"/api/v1/certificates/{certificate.code}/").json()

    public_url = f"https://courses.example.com/c/{certificate.code}/"
    assert body["status"] == "valid" and body["verify_url"] == public_url
    assert body["course"]["title"] == certificate.snapshot["course_title"]
    assert body["pdf_url"].endswith(f"/api/v1/certificates/{certificate.code}/pdf/")
    assert body["credential_url"].endswith(f"/api/v1/certificates/{certificate.code}/credential/")
    linkedin = urlsplit(body["share"]["linkedin"])
    assert (linkedin.netloc, linkedin.path) == ("www.linkedin.com", "/profile/add")
    assert parse_qs(linkedin.query) == {
        "startTask": ["CERTIFICATION_NAME"],
        "name": [certificate.snapshot["course_title"]],
        "organizationName": ["Courses"],
        "issueYear": [str(certificate.issued_at.year)],
        "issueMonth": [str(certificate.issued_at.month)],
        "certUrl": [public_url],
        "certId": [certificate.code],
    }
    email = urlsplit(body["share"]["email"])
    assert email.scheme == "mailto" and public_url in parse_qs(email.query)["body"][0]
    assert body["share"]["public_url"] == public_url


def test_codes_are_found_in_any_letter_case(api_client, learner):
    certificate = issued(learner=learner)
    api_client.force_authenticate(learner)

    response = api_client.get(f"/api/v1/certificates/{certificate.code.lower()}/")

    assert response.json()["code"] == certificate.code


def test_the_owner_downloads_the_pdf_and_it_is_stored_once(api_client, learner):
    certificate = issued(learner=learner)
    api_client.force_authenticate(learner)

    first = api_client.get(f"/api/v1/certificates/{certificate.code}/pdf/")
    certificate.refresh_from_db()
    stored = certificate.pdf.name
    second = api_client.get(f"/api/v1/certificates/{certificate.code}/pdf/")

    assert first.status_code == 200 and first["Content-Type"] == "application/pdf"
    assert f'filename="{certificate.code}.pdf"' in first["Content-Disposition"]
    body = b"".join(first.streaming_content)
    assert body.startswith(b"%PDF-")
    assert b"".join(second.streaming_content) == body
    certificate.refresh_from_db()
    assert certificate.pdf.name == stored


@pytest.mark.parametrize(
    ("accept", "served"),
    [
        ("application/pdf", True),
        ("application/octet-stream, application/pdf", True),
        ("*/*", True),
        ("", True),
        ("application/json", False),
        ("text/html", False),
    ],
)
def test_the_pdf_is_served_to_any_accept_that_allows_a_pdf(api_client, learner, accept, served):
    certificate = issued(learner=learner)
    api_client.force_authenticate(learner)
    headers = {"HTTP_ACCEPT": accept} if accept else {}
    link = urlsplit(pdf_link(certificate))
    for url in (f"/api/v1/certificates/{certificate.code}/pdf/", f"{link.path}?{link.query}"):
        response = api_client.get(url, **headers)
        if served:
            assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
            assert b"".join(response.streaming_content).startswith(b"%PDF-")
        else:
            assert_problem(response, 406, "not_acceptable")


def test_pdf_files_are_not_public_media(client, learner):
    certificate = issued(learner=learner)
    pdf_path = f"/api/v1/certificates/{certificate.code}/pdf/"
    client.force_login(learner)
    client.get(pdf_path)
    certificate.refresh_from_db()

    client.logout()
    assert client.get(f"/media/{certificate.pdf.name}").status_code == 404


@pytest.mark.parametrize("suffix", ["", "pdf/", "credential/"])
def test_someone_elses_certificate_is_not_found(api_client, suffix):
    certificate = issued()
    api_client.force_authenticate(UserFactory())

    assert_problem(
        api_client.get(f"/api/v1/certificates/{certificate.code}/{suffix}"), 404, "not_found"
    )


@pytest.mark.parametrize("path", ["", "CERT-2026-ABCDEFGH/", "CERT-2026-ABCDEFGH/pdf/"])
def test_owner_endpoints_need_a_signed_in_user(api_client, path):
    assert_problem(api_client.get(f"/api/v1/certificates/{path}"), 401, "not_authenticated")


@pytest.mark.parametrize("code", ["nope", "CERT-2026-0000000O", "CERT-2026-" + "X" * 300, "%00"])
def test_malformed_codes_are_not_found(api_client, learner, code):
    api_client.force_authenticate(learner)
    assert_problem(api_client.get(f"/api/v1/certificates/{code}/"), 404, "not_found")


def test_a_revoked_certificate_is_listed_but_not_downloadable(api_client, learner):
    certificate = certificate_revoke(certificate=issued(learner=learner), reason="refunded")
    api_client.force_authenticate(learner)

    assert api_client.get("/api/v1/certificates/").json()["results"][0]["status"] == "revoked"
    for suffix in ("pdf/", "credential/"):
        response = api_client.get(f"/api/v1/certificates/{certificate.code}/{suffix}")
        assert_problem(response, 409, "certificate_revoked")


def test_the_signed_email_link_downloads_the_pdf_without_signing_in(client):
    certificate = issued()

    response = client.get(urlsplit(pdf_link(certificate)).path)

    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_email_links_stop_working_when_forged_expired_or_revoked(client, settings):
    certificate = issued()
    link = urlsplit(pdf_link(certificate)).path
    forged = "/api/v1/certificates/download/" + signing.dumps("CERT-2026-ABCDEFGH", salt="x") + "/"

    assert_problem(client.get(forged), 404, "not_found")
    settings.CERTIFICATE_LINK_MAX_AGE = -1
    assert_problem(client.get(link), 410, "link_expired")
    settings.CERTIFICATE_LINK_MAX_AGE = 3600
    certificate_revoke(certificate=certificate, reason="a mistake")
    assert_problem(client.get(link), 404, "not_found")
    assert signing.loads(link.split("/")[-2], salt=SALT) == certificate.code
