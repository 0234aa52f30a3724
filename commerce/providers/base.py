from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class Checkout:
    reference: str  # the provider's checkout session id
    url: str  # where the learner pays


@dataclass(frozen=True)
class ProviderRefund:
    reference: str
    succeeded: bool  # False while the provider is still processing it


class PaymentProvider(Protocol):
    name: str

    def checkout_create(
        self, order, *, success_url: str, cancel_url: str, expires_at: datetime
    ) -> Checkout: ...

    def refund_create(self, order, *, refund) -> ProviderRefund: ...

    def payout_onboarding(
        self, specialist, *, account_id: str, refresh_url: str, return_url: str
    ) -> tuple[str, str]:
        """(connected account id, onboarding URL), creating the account when it has none."""
        ...
