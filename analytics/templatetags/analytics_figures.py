"""How a figure reads in the admin: its change against the previous period, money as people
write it, a rate or a dash."""

from django import template
from django.utils.html import format_html

from analytics.definitions import rate
from commerce.money import money_display

register = template.Library()


def _signed(difference: int, text: str) -> str:
    return f"+{text}" if difference > 0 else text.replace("-", "−", 1)


@register.simple_tag
def change(value, previous, currency=None):
    """ "+3 (+50.0 %)" against the previous period; money when a currency is given."""
    difference = (value or 0) - (previous or 0)
    if difference == 0:
        return format_html('<span class="analytics-change">{}</span>', "no change")
    amount = money_display(difference, currency) if currency else str(difference)
    percent = rate(difference, previous)
    text = _signed(difference, amount)
    if percent is not None:
        text += f" ({_signed(difference, str(percent))} %)"
    direction = "up" if difference > 0 else "down"
    return format_html(
        '<span class="analytics-change analytics-change--{}">{}</span>', direction, text
    )


@register.filter
def money(amount, currency):
    """Minor units as people write them: 9900, "USD" → "$99.00"."""
    return money_display(amount or 0, currency)


@register.filter
def percent(value):
    """A rate from `analytics.definitions.rate`, or a dash when there was nothing to divide."""
    return "–" if value is None else f"{value} %"
