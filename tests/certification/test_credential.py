"""The Open Badges 3.0 credential: checked with an independent JOSE library (joserfc; we sign
with PyJWT) against the key published in our JWKS, as an outside verifier would."""

import base64
from urllib.parse import urlsplit

import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from django.core.exceptions import ImproperlyConfigured
from joserfc import jwt
from joserfc.errors import BadSignatureError
from joserfc.jwk import KeySet

from certification.services import certificate_issue
from certification.signing import signing_key
from learning.services import enrollment_refund
from tests.factories import CompletedEnrollmentFactory

pytestmark = pytest.mark.django_db


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@pytest.fixture
def certificate(settings):
    settings.WAGTAILADMIN_BASE_URL = "https://courses.example.com"
    enrollment = CompletedEnrollmentFactory(
        learner__first_name="Ada", learner__last_name="Lovelace"
    )
    return certificate_issue(enrollment=enrollment)


@pytest.fixture
def owner_credential(api_client, certificate):
    api_client.force_authenticate(certificate.learner)
    body = api_client.get(f"/api/v1/certificates/{certificate.code}/credential/").json()
    api_client.force_authenticate(None)
    return body


def published_keys(api_client):
    response = api_client.get("/api/v1/public/issuer/jwks.json")
    assert response.status_code == 200
    assert all("d" not in key for key in response.json()["keys"])  # public halves only
    return KeySet.import_key_set(response.json())


def test_the_credential_verifies_against_the_published_jwks(
    api_client, certificate, owner_credential
):
    token = jwt.decode(owner_credential["jwt"], published_keys(api_client), algorithms=["ES256"])

    assert token.header["alg"] == "ES256" and token.header["typ"] == "vc+jwt"
    credential = token.claims
    assert credential == {**owner_credential["credential"], **{
        k: credential[k] for k in ("iss", "jti", "nbf")
    }}  # fmt: skip
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["@context"][0] == "https://www.w3.org/ns/credentials/v2"
    assert credential["iss"] == credential["issuer"]["id"]
    assert (
        credential["jti"]
        == credential["id"]
        == f"https://courses.example.com/c/{certificate.code}/"
    )
    subject = credential["credentialSubject"]
    assert subject["identifier"][0]["identityHash"] == "Ada Lovelace"
    assert subject["achievement"]["name"] == certificate.snapshot["course_title"]
    assert subject["achievement"]["achievementType"] == "Certificate"


def test_one_changed_byte_breaks_the_signature(api_client, owner_credential):
    header, payload, signature = owner_credential["jwt"].split(".")
    claims = bytearray(b64url_decode(payload))
    claims[claims.index(b"Ada Lovelace")] = ord("E")  # "Eda Lovelace"
    forged = ".".join([header, b64url(bytes(claims)), signature])

    with pytest.raises(BadSignatureError):
        jwt.decode(forged, published_keys(api_client), algorithms=["ES256"])


def test_the_issuer_profile_and_key_id_resolve_at_their_urls(api_client, owner_credential):
    token = jwt.decode(owner_credential["jwt"], published_keys(api_client), algorithms=["ES256"])

    profile = api_client.get(urlsplit(token.claims["issuer"]["id"]).path).json()
    jwks_url = token.header["kid"].split("#")[0]

    assert profile["id"] == token.claims["issuer"]["id"]
    assert profile["type"] == ["Profile"] and profile["name"] == "Courses"
    assert urlsplit(jwks_url).path == "/api/v1/public/issuer/jwks.json"


def test_a_verifier_following_credential_status_sees_the_revocation(
    api_client, certificate, owner_credential, django_capture_on_commit_callbacks
):
    status = owner_credential["credential"]["credentialStatus"]
    assert status["type"] == "1EdTechRevocationList"
    status_path = urlsplit(status["id"]).path
    assert api_client.get(status_path).json()["revokedCredentials"] == []

    with django_capture_on_commit_callbacks(execute=True):
        enrollment_refund(certificate.enrollment)

    revocations = api_client.get(status_path).json()
    assert revocations["id"] == status["id"]
    assert revocations["revokedCredentials"] == [
        {"id": owner_credential["credential"]["id"], "revoked": True}
    ]


@pytest.fixture
def configured_key(settings):
    """A key from CERTIFICATE_SIGNING_KEY, as production sets it (newlines written as \\n)."""
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()).decode()
    settings.CERTIFICATE_SIGNING_KEY = pem.replace("\n", "\\n")
    signing_key.cache_clear()  # the key is loaded once per process
    yield key
    signing_key.cache_clear()


def test_a_configured_key_signs_and_is_the_one_published(api_client, configured_key):
    [published] = api_client.get("/api/v1/public/issuer/jwks.json").json()["keys"]

    numbers = configured_key.public_key().public_numbers()
    assert b64url_decode(published["x"]) == numbers.x.to_bytes(32)
    assert b64url_decode(published["y"]) == numbers.y.to_bytes(32)


def test_a_key_of_the_wrong_kind_is_refused(settings):
    rsa_pem = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()
    )
    settings.CERTIFICATE_SIGNING_KEY = rsa_pem.decode()
    signing_key.cache_clear()
    try:
        with pytest.raises(ImproperlyConfigured, match="P-256"):
            signing_key()
        settings.CERTIFICATE_SIGNING_KEY = "not a key"
        signing_key.cache_clear()
        with pytest.raises(ImproperlyConfigured, match="PEM"):
            signing_key()
    finally:
        signing_key.cache_clear()
