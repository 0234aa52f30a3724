"""Stripe through its official SDK: Checkout Sessions, refunds and Connect.

Every write carries a deterministic idempotency key, so a retried request
(ours or the SDK's own network retry) cannot charge or refund twice.
"""

import stripe
from django.conf import settings

from commerce.exceptions import ProviderRefused, ProviderUnavailable
from commerce.providers.base import Checkout, ProviderRefund

# The HTTP transport the SDK talks through: None is the SDK's own. Tests set a fake
# transport here, the boundary beyond which is Stripe's servers.
STRIPE_HTTP_CLIENT = None


def stripe_client() -> stripe.StripeClient:
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        base_addresses={"api": settings.STRIPE_API_BASE},
        http_client=STRIPE_HTTP_CLIENT,
        max_network_retries=2,
    )


class StripeProvider:
    name = "stripe"

    def __init__(self):
        self.client = stripe_client()

    def checkout_create(self, order, *, success_url, cancel_url, expires_at):
        metadata = {"order": str(order.pk), "enrollment": str(order.enrollment_id)}
        payment_intent = {"metadata": metadata}
        if order.destination_account:
            payment_intent["application_fee_amount"] = order.platform_fee
            payment_intent["transfer_data"] = {"destination": order.destination_account}
        params = {
            "mode": "payment",
            "client_reference_id": str(order.pk),
            "metadata": metadata,
            "customer_email": order.enrollment.learner.email or None,
            "line_items": [
                {
                    "quantity": 1,
                    "price_data": {
                        "currency": order.currency.lower(),
                        "unit_amount": order.amount,
                        "product_data": {"name": order.course.title},
                    },
                }
            ],
            "payment_intent_data": payment_intent,
            "success_url": success_url,
            "cancel_url": cancel_url,
            "expires_at": int(expires_at.timestamp()),
        }
        session = self._call(
            self.client.v1.checkout.sessions.create,
            {key: value for key, value in params.items() if value is not None},
            idempotency_key=f"order-{order.pk}-checkout",
        )
        return Checkout(reference=session.id, url=session.url)

    def refund_create(self, order, *, refund):
        params = {
            "payment_intent": order.payment_reference,
            "amount": refund.amount,
            "metadata": {"order": str(order.pk), "refund": str(refund.pk)},
        }
        if order.destination_account:
            # Take the specialist's part back from their account, and give back the
            # platform's fee in proportion: the learner gets the whole amount back.
            params["reverse_transfer"] = True
            params["refund_application_fee"] = True
        created = self._call(
            self.client.v1.refunds.create, params, idempotency_key=f"refund-{refund.pk}"
        )
        return ProviderRefund(reference=created.id, succeeded=created.status == "succeeded")

    def payout_onboarding(self, specialist, *, account_id, refresh_url, return_url):
        if not account_id:
            account = self._call(
                self.client.v1.accounts.create,
                {
                    "type": "express",
                    "email": specialist.email,
                    "capabilities": {"transfers": {"requested": True}},
                    "metadata": {"specialist": str(specialist.pk)},
                },
                idempotency_key=f"specialist-{specialist.pk}-account",
            )
            account_id = account.id
        link = self._call(
            self.client.v1.account_links.create,
            {
                "account": account_id,
                "type": "account_onboarding",
                "refresh_url": refresh_url,
                "return_url": return_url,
            },
            idempotency_key=None,  # each link is single-use: always a fresh one
        )
        return account_id, link.url

    def _call(self, method, params, *, idempotency_key):
        options = {"idempotency_key": idempotency_key} if idempotency_key else {}
        try:
            return method(params, options)
        except (stripe.APIConnectionError, stripe.RateLimitError, stripe.APIError) as error:
            raise ProviderUnavailable(
                "The payment provider cannot be reached just now; try again in a minute."
            ) from error
        except (stripe.InvalidRequestError, stripe.CardError) as error:
            raise ProviderRefused(
                f"The payment provider refused: {error.user_message or 'no reason given'}"
            ) from error
