"""The public verification page a certificate's QR code opens: valid, revoked or unknown."""

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from certification.selectors import certificate_to_verify
from certification.throttling import VerificationThrottle
from certification.verification import attendance_text, cohort_text, verification_of


@require_safe
@never_cache
def certificate_page(request, code):
    throttle = VerificationThrottle()
    if not throttle.allow_request(request, None):
        response = render(request, "certification/verify.html", {"state": "throttled"}, status=429)
        response["Retry-After"] = str(int(throttle.wait() or 1))
        return response
    certificate = certificate_to_verify(code)
    verification = verification_of(certificate) if certificate else None
    context = {
        "state": certificate.status if certificate else "unknown",
        "site_name": settings.WAGTAIL_SITE_NAME,
        "code": code[:40],
        "verification": verification,
        "cohort_text": cohort_text(verification and verification["cohort"]),
        "attendance_text": attendance_text(verification and verification["attendance"]),
    }
    return render(request, "certification/verify.html", context, status=200 if certificate else 404)
