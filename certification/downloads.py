"""Signed links to a certificate's PDF, for the e-mail that announces it.

An e-mail link cannot carry the API's bearer token, so it carries a signature
instead, valid for `CERTIFICATE_LINK_MAX_AGE` seconds; the certificate must
still be valid when the link is used.
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse

from certification.links import absolute
from certification.models import Certificate
from learning.exceptions import ContentNotFound, LinkExpired

SALT = "certification.downloads"


def pdf_link(certificate) -> str:
    token = signing.dumps(certificate.code, salt=SALT)
    return absolute(reverse("api:certificate-pdf-link", args=[token]))


def certificate_for_link(token: str) -> Certificate:
    try:
        code = signing.loads(token, salt=SALT, max_age=settings.CERTIFICATE_LINK_MAX_AGE)
    except signing.SignatureExpired:
        raise LinkExpired(
            "This link has expired: download the certificate from your account."
        ) from None
    except (signing.BadSignature, ValueError):
        raise ContentNotFound("No such certificate.") from None
    certificate = Certificate.objects.filter(code=code, status=Certificate.Status.VALID).first()
    if certificate is None:
        raise ContentNotFound("No such certificate.")
    return certificate
