"""Currencies a course can be priced in, with how many decimal places each uses.

Commerce converts a course price to integer minor units with these exponents.
"""

CURRENCY_EXPONENTS = {
    "USD": 2,
    "EUR": 2,
    "GBP": 2,
    "CAD": 2,
    "AUD": 2,
    "CHF": 2,
    "SEK": 2,
    "INR": 2,
    "BRL": 2,
    "JPY": 0,
}
CURRENCY_CHOICES = [(code, code) for code in CURRENCY_EXPONENTS]


def format_amount(amount, currency):
    """A decimal price as the string frontends show, with the currency's own decimals."""
    places = CURRENCY_EXPONENTS.get(currency, 2)
    return f"{amount:.{places}f}"
