"""Money as Stripe counts it: integer minor units and an ISO 4217 currency code.

The one conversion from a course page's decimal price happens here, when an
order is created; from then on amounts are integers and never touch a float.
"""

from decimal import ROUND_HALF_UP, Decimal

from coursepages.currencies import CURRENCY_EXPONENTS


def minor_unit_exponent(currency: str) -> int:
    """Decimal places of the currency's minor unit (2 for USD, 0 for JPY)."""
    return CURRENCY_EXPONENTS[currency.upper()]


def to_minor_units(amount: Decimal, currency: str) -> int:
    """Decimal("49.00"), "USD" → 4900; Decimal("5000"), "JPY" → 5000 (half-up rounding)."""
    scaled = Decimal(amount).scaleb(minor_unit_exponent(currency))
    return int(scaled.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def from_minor_units(amount: int, currency: str) -> Decimal:
    """4900, "USD" → Decimal("49.00"), for display and the API's decimal strings."""
    exponent = minor_unit_exponent(currency)
    return (Decimal(amount).scaleb(-exponent)).quantize(Decimal(1).scaleb(-exponent))


def split(amount: int, commission_percent: Decimal) -> tuple[int, int]:
    """(platform fee, specialist share) of an amount: the fee is rounded half-up to the
    minor unit and the share is the remainder, so the two always add up to the amount."""
    fee = int(
        (Decimal(amount) * Decimal(commission_percent) / 100).quantize(
            Decimal(1), rounding=ROUND_HALF_UP
        )
    )
    return fee, amount - fee


def proportion(part: int, of_whole: int, amount: int) -> int:
    """`amount` × part / whole, rounded half-up: the share of a fee a partial refund reverses."""
    if of_whole == 0:
        return 0
    return int((Decimal(amount) * part / of_whole).quantize(Decimal(1), rounding=ROUND_HALF_UP))


# How people write an amount in each currency we sell in; the code itself where no
# symbol is unambiguous.
CURRENCY_SYMBOLS = {
    "USD": "$",
    "EUR": "€",
    "GBP": "£",
    "JPY": "¥",
    "INR": "₹",
    "BRL": "R$",
    "CAD": "CA$",
    "AUD": "A$",
}


def money_display(amount: int, currency: str) -> str:
    """9900, "USD" → "$99.00"; 5000, "JPY" → "¥5000"; -2970, "EUR" → "-€29.70" (for people)."""
    value = from_minor_units(abs(amount), currency)
    symbol = CURRENCY_SYMBOLS.get(currency.upper())
    text = f"{symbol}{value}" if symbol else f"{value} {currency.upper()}"
    return f"-{text}" if amount < 0 else text
