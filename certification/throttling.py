from rest_framework.throttling import SimpleRateThrottle


class VerificationThrottle(SimpleRateThrottle):
    """Public verification, per client address whoever asks: codes must not be enumerable."""

    scope = "certificate_verify"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
