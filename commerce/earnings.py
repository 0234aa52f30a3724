"""A specialist's earnings, read from the ledger: per currency, per period, per course."""

from django.db.models import Q, Sum
from django.db.models.functions import Coalesce, TruncDay, TruncMonth

from commerce.models import LedgerEntry

Kind = LedgerEntry.Kind
PERIODS = {"day": TruncDay, "month": TruncMonth}


def _sum(*kinds):
    return Coalesce(Sum("amount", filter=Q(kind__in=kinds)), 0)


# Each figure in minor units: refunds as a positive amount given back; fees and net
# after the reversals refunds bring.
FIGURES = {
    "gross": _sum(Kind.SALE),
    "refunds": -_sum(Kind.REFUND),
    "fees": _sum(Kind.PLATFORM_FEE, Kind.FEE_REVERSAL),
    "net": _sum(Kind.SPECIALIST_SHARE, Kind.SHARE_REVERSAL),
    "paid_out": -_sum(Kind.PAYOUT),
}


def specialist_earnings(*, specialist, period="month", course_id=None, since=None, until=None):
    """{"totals": [...], "periods": [...], "courses": [...]}, each row per currency."""
    rows = LedgerEntry.objects.filter(specialist=specialist).order_by()
    if course_id is not None:
        rows = rows.filter(course_id=course_id)
    if since is not None:
        rows = rows.filter(created_at__date__gte=since)
    if until is not None:
        rows = rows.filter(created_at__date__lte=until)
    return {
        "totals": list(rows.values("currency").annotate(**FIGURES).order_by("currency")),
        "periods": list(
            rows.annotate(period=PERIODS[period]("created_at"))
            .values("period", "currency")
            .annotate(**FIGURES)
            .order_by("period", "currency")
        ),
        "courses": list(
            rows.filter(course__isnull=False)
            .values("course_id", "course__title", "currency")
            .annotate(**FIGURES)
            .order_by("course__title", "currency")
        ),
    }
