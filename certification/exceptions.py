"""Rules of certification a request can break.

Like every app's rule errors they extend `RuleError`, which the API answers as
problem JSON with the error's own code (409 unless mapped otherwise).
"""

from accounts.exceptions import RuleError


class NotEligible(RuleError):
    code = "certificate_not_eligible"
    title = "No certificate for this enrollment"


class CertificateRevoked(RuleError):
    code = "certificate_revoked"
    title = "Certificate revoked"
