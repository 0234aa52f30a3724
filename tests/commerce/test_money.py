"""Money arithmetic: integer minor units, and a split that always adds up."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from commerce.ledger import reversed_fee
from commerce.models import Order
from commerce.money import from_minor_units, proportion, split, to_minor_units

rates = st.decimals(min_value=0, max_value=100, places=2)


def test_the_seed_example_splits_as_promised():
    amount = to_minor_units(Decimal("99.00"), "USD")
    assert (amount, split(amount, Decimal("30"))) == (9900, (2970, 6930))


def test_conversion_follows_each_currency_s_minor_unit():
    assert to_minor_units(Decimal("49.99"), "USD") == 4999
    assert to_minor_units(Decimal("5000"), "JPY") == 5000
    assert from_minor_units(4999, "EUR") == Decimal("49.99")
    assert from_minor_units(5000, "JPY") == Decimal("5000")


@given(amount=st.integers(min_value=0, max_value=10**9), rate=rates)
def test_fee_and_share_add_up_to_the_amount_for_every_amount_and_rate(amount, rate):
    fee, share = split(amount, rate)
    assert fee + share == amount
    assert 0 <= fee <= amount


@given(
    amount=st.integers(min_value=1, max_value=10**7),
    rate=rates,
    refunded=st.integers(min_value=1, max_value=10**7),
)
def test_a_refund_reverses_fee_and_share_that_add_up_to_it(amount, rate, refunded):
    refunded = min(refunded, amount)
    fee, share = split(amount, rate)
    fee_back = proportion(refunded, amount, fee)
    assert 0 <= fee_back <= fee
    assert 0 <= refunded - fee_back <= share + 1  # rounding moves at most one minor unit


@given(amount=st.integers(min_value=1, max_value=10**9), rate=rates)
def test_a_full_refund_reverses_exactly_the_fee_and_the_share(amount, rate):
    fee, share = split(amount, rate)
    fee_back = proportion(amount, amount, fee)
    assert (fee_back, amount - fee_back) == (fee, share)


@given(
    amount=st.integers(min_value=1, max_value=10**6),
    rate=rates,
    cuts=st.lists(st.integers(min_value=1, max_value=10**6), min_size=1, max_size=8),
)
def test_partial_refunds_that_add_up_to_the_amount_reverse_fee_and_share_exactly(
    amount, rate, cuts
):
    fee, share = split(amount, rate)
    order = Order(amount=amount, platform_fee=fee, specialist_share=share)
    refunds, refunded = [], 0
    for cut in [*cuts, amount]:  # the last refund takes what is left
        part = min(cut, amount - refunded)
        if part:
            refunded += part
            refunds.append(reversed_fee(order, refunded) - reversed_fee(order, refunded - part))
    assert refunded == amount
    assert sum(refunds) == fee
    assert all(fee_back >= 0 for fee_back in refunds)
