"""What public verification shows: the holder's name, the course, the issuer and the dates.

Also a 1EdTech Revocation List (`id`, `issuer`, `revokedCredentials`), which is
what an Open Badges verifier reads when it follows the credential's
`credentialStatus` here.
"""

from datetime import datetime

from certification.credentials import issuer_id
from certification.links import verification_api_url, verification_page_url


def verification_of(certificate) -> dict:
    snapshot = certificate.snapshot
    revoked = not certificate.is_valid
    return {
        "id": verification_api_url(certificate.code),
        "code": certificate.code,
        "status": certificate.status,
        "holder": snapshot["learner_name"],
        "course": snapshot["course_title"],
        "issuer": {
            "id": issuer_id(),
            "name": snapshot["issuer_name"],
            "instructor": snapshot["specialist_name"],
        },
        "completed_on": datetime.fromisoformat(snapshot["completed_at"]).date(),
        "issued_on": certificate.issued_at.date(),
        "revoked_on": certificate.revoked_at.date() if revoked else None,
        "verify_url": verification_page_url(certificate.code),
        "revokedCredentials": (
            [{"id": verification_page_url(certificate.code), "revoked": True}] if revoked else []
        ),
    }
