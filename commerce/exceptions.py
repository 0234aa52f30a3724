"""Money rules a request can break.

Like every app's rule errors they extend `RuleError`, which the API answers as
problem JSON with the error's own code (409 unless mapped otherwise).
"""

from accounts.exceptions import RuleError


class CommerceError(RuleError):
    """Any money rule: views and admin forms catch this to show its message."""


class NotPayable(CommerceError):
    code = "not_payable"
    title = "Nothing to pay"


class NotRefundable(CommerceError):
    code = "not_refundable"
    title = "Not refundable"


class RefundAlreadyOpen(CommerceError):
    code = "refund_open"
    title = "A refund is already on its way"

    def __init__(self, refund):
        self.refund = refund
        super().__init__(
            f"A refund of this order is already {refund.get_status_display().lower()}."
        )

    def extensions(self):
        return {"refund": self.refund.pk}


class InvalidTransition(CommerceError):
    code = "invalid_transition"
    title = "Not possible in this state"


class ProviderUnavailable(CommerceError):
    code = "provider_unavailable"
    title = "Payment provider unavailable"


class ProviderRefused(CommerceError):
    """The provider answered that it will not do this (its 4xx): asking again will not help."""

    code = "provider_refused"
    title = "Refused by the payment provider"


class BadSignature(CommerceError):
    code = "bad_signature"
    title = "Bad webhook signature"


class PayoutsUnavailable(CommerceError):
    code = "payouts_unavailable"
    title = "Payout accounts unavailable"


class InvalidAmount(CommerceError):
    code = "invalid_amount"
    title = "Invalid amount"
