"""Money rules a request can break; the API answers each with its own code."""


class CommerceError(Exception):
    code = "conflict"
    title = "Conflict"

    def __init__(self, detail):
        self.detail = detail
        super().__init__(detail)

    def extensions(self):
        return {}


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


class BadSignature(CommerceError):
    code = "bad_signature"
    title = "Bad webhook signature"
