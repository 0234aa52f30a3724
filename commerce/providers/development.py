"""A provider for the embedded default: a local page stands in for the hosted checkout."""

from django.core import signing
from django.urls import reverse

from commerce.exceptions import PayoutsUnavailable
from commerce.providers.base import Checkout, ProviderRefund

SALT = "commerce.development-checkout"


def checkout_token(order_id) -> str:
    return signing.dumps(order_id, salt=SALT)


def order_id_from(token: str, max_age: int) -> int | None:
    try:
        return signing.loads(token, salt=SALT, max_age=max_age)
    except signing.BadSignature:
        return None


class DevelopmentProvider:
    name = "development"

    def checkout_create(self, order, *, success_url, cancel_url, expires_at):
        path = reverse("commerce:development-checkout", args=[checkout_token(order.pk)])
        return Checkout(reference=f"dev_cs_{order.pk}", url=path)

    def refund_create(self, order, *, refund):
        return ProviderRefund(reference=f"dev_re_{refund.pk}", succeeded=True)

    def payout_onboarding(self, specialist, *, account_id, refresh_url, return_url):
        raise PayoutsUnavailable(
            "Payout accounts need Stripe: without it, shares accrue for manual payout."
        )
