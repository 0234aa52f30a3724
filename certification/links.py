"""Absolute public URLs of a certificate, built from the site's base URL (`SITE_URL`)."""

from urllib.parse import quote, urlencode

from django.urls import reverse

from learning.links import absolute


def verification_page_url(code: str) -> str:
    """The short page a QR code leads to; also the credential's id."""
    return absolute(reverse("certificate-page", args=[code]))


def verification_api_url(code: str) -> str:
    return absolute(reverse("api:certificate-verify", args=[code]))


def linkedin_add_to_profile_url(certificate) -> str:
    snapshot = certificate.snapshot
    params = {
        "startTask": "CERTIFICATION_NAME",
        "name": snapshot["course_title"],
        "organizationName": snapshot["issuer_name"],
        "issueYear": certificate.issued_at.year,
        "issueMonth": certificate.issued_at.month,
        "certUrl": verification_page_url(certificate.code),
        "certId": certificate.code,
    }
    return "https://www.linkedin.com/profile/add?" + urlencode(params)


def email_share_url(certificate) -> str:
    snapshot = certificate.snapshot
    subject = f"My certificate: {snapshot['course_title']}"
    body = (
        f"I completed “{snapshot['course_title']}” on {snapshot['issuer_name']}. "
        f"Verify my certificate: {verification_page_url(certificate.code)}"
    )
    return "mailto:?" + urlencode({"subject": subject, "body": body}, quote_via=quote)
