"""The append-only ledger: one row per money movement, each with a unique external
reference, so a replayed event hits the unique constraint instead of paying twice."""

from commerce.models import LedgerEntry
from commerce.money import proportion


def _entries(order, rows, *, refund=None):
    LedgerEntry.objects.bulk_create(
        LedgerEntry(
            kind=kind,
            amount=amount,
            currency=order.currency,
            order=order,
            refund=refund,
            specialist_id=order.specialist_id,
            course_id=order.course_id,
            external_reference=reference,
        )
        for kind, amount, reference in rows
    )


def ledger_record_sale(order):
    reference = order.payment_reference
    _entries(
        order,
        [
            (LedgerEntry.Kind.SALE, order.amount, f"{reference}:sale"),
            (LedgerEntry.Kind.PLATFORM_FEE, order.platform_fee, f"{reference}:platform_fee"),
            (
                LedgerEntry.Kind.SPECIALIST_SHARE,
                order.specialist_share,
                f"{reference}:specialist_share",
            ),
        ],
    )


def ledger_record_refund(order, refund):
    """The refund and, in proportion to it, the fee and share it takes back; the two
    reversals add up to the refund, as the fee and share add up to the sale.

    Called once `order.refunded_amount` includes this refund. Each reversal is the
    proportion of everything refunded so far less what earlier refunds reversed, so
    several partial refunds reverse exactly the fee and the share once they add up to
    the whole amount: no cent drifts away in rounding."""
    fee_back = reversed_fee(order, order.refunded_amount) - reversed_fee(
        order, order.refunded_amount - refund.amount
    )
    reference = refund.provider_reference
    _entries(
        order,
        [
            (LedgerEntry.Kind.REFUND, -refund.amount, f"{reference}:refund"),
            (LedgerEntry.Kind.FEE_REVERSAL, -fee_back, f"{reference}:fee_reversal"),
            (
                LedgerEntry.Kind.SHARE_REVERSAL,
                -(refund.amount - fee_back),
                f"{reference}:share_reversal",
            ),
        ],
        refund=refund,
    )


def reversed_fee(order, refunded_total):
    """The platform fee given back once `refunded_total` of the order is refunded."""
    return proportion(refunded_total, order.amount, order.platform_fee)
