from dataclasses import dataclass
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

    def checkout_create(self, order, *, success_url: str, cancel_url: str) -> Checkout: ...

    def refund_create(self, order, *, refund) -> ProviderRefund: ...
