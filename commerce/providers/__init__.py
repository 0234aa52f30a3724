"""Payment providers behind one interface; settings choose which one runs.

Stripe when `STRIPE_SECRET_KEY` is set, else the development provider, which
completes payments through a local page and needs no account.
"""

from django.conf import settings

from commerce.providers.base import Checkout, PaymentProvider, ProviderRefund


def payment_provider() -> PaymentProvider:
    if settings.STRIPE_SECRET_KEY:
        from commerce.providers.stripe import StripeProvider

        return StripeProvider()
    from commerce.providers.development import DevelopmentProvider

    return DevelopmentProvider()


__all__ = ["Checkout", "PaymentProvider", "ProviderRefund", "payment_provider"]
