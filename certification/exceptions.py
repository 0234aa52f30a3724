"""Rules of certification a request can break.

They extend learning's domain error, which the API already answers as problem
JSON with the error's own code (409 unless mapped otherwise).
"""

from learning.exceptions import LearningError


class NotEligible(LearningError):
    code = "certificate_not_eligible"
    title = "No certificate for this enrollment"


class CertificateRevoked(LearningError):
    code = "certificate_revoked"
    title = "Certificate revoked"
