"""Certificates as Open Badges 3.0 `OpenBadgeCredential`s (W3C VC Data Model 2.0),
secured as VC-JWT: the JWT payload is the credential itself, signed ES256 with
the platform key whose JWKS is published at a stable URL.

Revocation reaches verifiers through `credentialStatus`: a 1EdTech Revocation
List at the certificate's public verification endpoint, which lists the
credential as revoked once it is.
"""

import jwt
from django.conf import settings
from django.urls import reverse

from certification.links import absolute, verification_api_url, verification_page_url
from certification.signing import ALGORITHM, key_id, signing_key

CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
MEDIA_TYPE = "application/vc+jwt"


def issuer_id() -> str:
    return absolute(reverse("api:issuer-profile"))


def issuer_profile() -> dict:
    """The Open Badges `Profile` of the platform, published at its own id."""
    return {
        "@context": CONTEXT,
        "id": issuer_id(),
        "type": ["Profile"],
        "name": settings.WAGTAIL_SITE_NAME,
        "url": settings.WAGTAILADMIN_BASE_URL,
        "description": f"{settings.WAGTAIL_SITE_NAME} issues certificates of course completion.",
    }


def _criteria_narrative(criteria) -> str:
    names = {
        "lessons": "lessons completed (%)",
        "quizzes": "average quiz score (%)",
        "assignments": "assignments passed",
        "attendance": "live sessions attended (%)",
    }
    met = [f"{names.get(c['name'], c['name'])}: {c['current']} of {c['required']} required"
           for c in criteria]  # fmt: skip
    return "Completed the course and met every certificate criterion. " + "; ".join(met) + "."


def credential_of(certificate) -> dict:
    snapshot = certificate.snapshot
    issuer = {"id": issuer_id(), "type": ["Profile"], "name": snapshot["issuer_name"]}
    return {
        "@context": CONTEXT,
        "id": verification_page_url(certificate.code),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": issuer,
        "validFrom": certificate.issued_at.isoformat(timespec="seconds").replace("+00:00", "Z"),
        "name": snapshot["course_title"],
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "name",
                    "hashed": False,
                    "identityHash": snapshot["learner_name"],
                }
            ],
            "activityEndDate": snapshot["completed_at"],
            "achievement": {
                "id": absolute(reverse("api:course-detail", args=[snapshot["course_id"]])),
                "type": ["Achievement"],
                "achievementType": "Certificate",
                "name": snapshot["course_title"],
                "description": (
                    f"Completion of the course “{snapshot['course_title']}”, "
                    f"taught by {snapshot['specialist_name']}."
                ),
                "criteria": {"narrative": _criteria_narrative(snapshot["criteria"])},
                "creator": issuer,
            },
        },
        "credentialStatus": {
            "id": verification_api_url(certificate.code),
            "type": "1EdTechRevocationList",
        },
    }


def credential_jwt(certificate) -> str:
    """The credential as a compact VC-JWT, with the JWT claims Open Badges 3.0 maps it to."""
    credential = credential_of(certificate)
    claims = {
        **credential,
        "iss": credential["issuer"]["id"],
        "jti": credential["id"],
        "nbf": int(certificate.issued_at.timestamp()),
    }
    return jwt.encode(
        claims, signing_key(), algorithm=ALGORITHM, headers={"kid": key_id(), "typ": "vc+jwt"}
    )
