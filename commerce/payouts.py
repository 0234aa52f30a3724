"""Paying specialists: a Stripe Connect Express account, or a balance paid out by hand."""

from django.conf import settings
from django.db import transaction
from django.db.models import Q, Sum
from wagtail.log_actions import log

from commerce.exceptions import InvalidAmount
from commerce.models import LedgerEntry, PayoutAccount
from commerce.money import from_minor_units
from commerce.providers import payment_provider


@transaction.atomic
def payout_account_connect(*, specialist) -> str:
    """Where the specialist sets up (or finishes setting up) their Stripe Express account.

    Orders for their courses use destination charges once Stripe reports it ready."""
    account = PayoutAccount.objects.select_for_update().filter(specialist=specialist).first()
    account_id, url = payment_provider().payout_onboarding(
        specialist,
        account_id=account.stripe_account_id if account else "",
        refresh_url=settings.PAYOUT_ONBOARDING_REFRESH_URL,
        return_url=settings.PAYOUT_ONBOARDING_RETURN_URL,
    )
    if account is None:
        PayoutAccount.objects.create(specialist=specialist, stripe_account_id=account_id)
    return url


def _manual_dues():
    """Ledger rows of shares not paid by Stripe, and the payouts made by hand."""
    manual = Q(order__isnull=True) | Q(order__destination_account="")
    kinds = [
        LedgerEntry.Kind.SPECIALIST_SHARE,
        LedgerEntry.Kind.SHARE_REVERSAL,
        LedgerEntry.Kind.PAYOUT,
    ]
    return LedgerEntry.objects.filter(manual, kind__in=kinds)


def manual_payout_balances(specialist):
    """[{currency, due}] in minor units: shares of sales not paid by Stripe, less payouts."""
    return list(
        _manual_dues()
        .filter(specialist=specialist)
        .values("currency")
        .annotate(due=Sum("amount"))
        .order_by("currency")
    )


def manual_payout_balances_by_specialist():
    """{specialist id: [{currency, due}]} for everyone owed by hand, in one query."""
    balances = {}
    rows = (
        _manual_dues()
        .values("specialist_id", "currency")
        .annotate(due=Sum("amount"))
        .order_by("specialist_id", "currency")
    )
    for row in rows:
        balances.setdefault(row.pop("specialist_id"), []).append(row)
    return balances


@transaction.atomic
def payout_record(
    *, specialist, amount: int, currency: str, reference: str, by=None
) -> LedgerEntry:
    """Staff record money paid to a specialist outside Stripe (a bank transfer); `by`, the
    staff member, is kept in the audit log."""
    if amount <= 0:
        raise InvalidAmount("A payout is a positive amount.")
    reference = f"payout:{reference}"
    if LedgerEntry.objects.filter(external_reference=reference).exists():
        raise InvalidAmount("A payout with this reference is already recorded.")
    entry = LedgerEntry.objects.create(
        kind=LedgerEntry.Kind.PAYOUT,
        amount=-amount,
        currency=currency,
        specialist=specialist,
        external_reference=reference,
    )
    log(
        instance=entry,
        action="commerce.payout.record",
        user=by,
        data={
            "amount": str(from_minor_units(amount, currency)),
            "currency": currency,
            "specialist_id": specialist.pk,
            "reference": reference,
        },
    )
    return entry
