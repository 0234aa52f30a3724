"""The platform's credential-signing key (ES256, P-256) and its public JWKS.

Production reads the key from `CERTIFICATE_SIGNING_KEY` (a PEM; settings refuse
to start without it). Elsewhere a development key is derived from SECRET_KEY:
deterministic, so every process (web, worker) and every restart signs with the
same key without a key file to keep, and never the production key.
"""

import base64
import functools
import hashlib
import json

from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import load_pem_private_key
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from certification.links import absolute

ALGORITHM = "ES256"
# The order of P-256's base point: private keys are integers in [1, n - 1].
P256_ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551


@functools.cache
def signing_key() -> ec.EllipticCurvePrivateKey:
    pem = settings.CERTIFICATE_SIGNING_KEY
    if not pem:
        seed = hashlib.sha256(b"certificate-signing-key:" + settings.SECRET_KEY.encode()).digest()
        return ec.derive_private_key(int.from_bytes(seed) % (P256_ORDER - 1) + 1, ec.SECP256R1())
    try:
        key = load_pem_private_key(pem.replace("\\n", "\n").encode(), password=None)
    except ValueError as error:
        raise ImproperlyConfigured(
            f"CERTIFICATE_SIGNING_KEY is not a PEM private key: {error}"
        ) from None
    if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name != "secp256r1":
        raise ImproperlyConfigured("CERTIFICATE_SIGNING_KEY must be an EC P-256 private key.")
    return key


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _public_members() -> dict:
    numbers = signing_key().public_key().public_numbers()
    return {
        "crv": "P-256",
        "kty": "EC",
        "x": _b64url(numbers.x.to_bytes(32)),
        "y": _b64url(numbers.y.to_bytes(32)),
    }


def key_id() -> str:
    """The JWKS URL with the key's RFC 7638 thumbprint: a `kid` a verifier can dereference."""
    members = json.dumps(_public_members(), separators=(",", ":"), sort_keys=True)
    thumbprint = _b64url(hashlib.sha256(members.encode()).digest())
    return f"{absolute(reverse('api:issuer-jwks'))}#{thumbprint}"


def jwks() -> dict:
    return {"keys": [{**_public_members(), "kid": key_id(), "use": "sig", "alg": ALGORITHM}]}
