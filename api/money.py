"""Money as every response shows it: `{"amount": "49.00", "currency": "USD"}`, the amount
a decimal string with the currency's own number of places. Course and cohort prices are
decimals; commerce's amounts are integer minor units: one builder for each."""

from rest_framework import serializers

from commerce.money import from_minor_units
from coursepages.currencies import format_amount


class MoneySerializer(serializers.Serializer):
    amount = serializers.CharField(help_text='Decimal string, e.g. "49.00".')
    currency = serializers.CharField(help_text="ISO 4217 code.")


def money_from_decimal(amount, currency) -> dict:
    return {"amount": format_amount(amount, currency), "currency": currency}


def money_from_minor_units(amount: int, currency) -> dict:
    return {"amount": str(from_minor_units(amount, currency)), "currency": currency}
