"""Orders, refunds, a specialist's earnings and payouts. Money is stored in integer minor
units; it leaves as a decimal string in its currency, e.g. "49.00"."""

from datetime import date

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import get_attribute

from api.money import MoneySerializer, money_from_minor_units
from commerce.earnings import PERIODS
from commerce.models import Order, Refund
from commerce.money import from_minor_units


class AmountField(serializers.CharField):
    # An amount in integer minor units, as a decimal string in the currency found at
    # `currency_source` on the same object.

    def __init__(self, *, currency_source="currency", **kwargs):
        self.currency_source = currency_source.split(".")
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        amount = super().get_attribute(instance)
        return from_minor_units(amount, get_attribute(instance, self.currency_source))

    def to_representation(self, value):
        return str(value)


class OrderSerializer(serializers.Serializer):
    # An `Order`; needs `request` in the context.

    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=Order.Status.values)
    enrollment = serializers.IntegerField(source="enrollment_id")
    price = serializers.SerializerMethodField()
    provider = serializers.ChoiceField(choices=Order.Provider.values)
    checkout_url = serializers.SerializerMethodField(help_text="Send the learner here to pay.")
    created_at = serializers.DateTimeField()
    paid_at = serializers.DateTimeField(allow_null=True)

    @extend_schema_field(MoneySerializer)
    def get_price(self, order):
        return money_from_minor_units(order.amount, order.currency)

    def get_checkout_url(self, order) -> str:
        return self.context["request"].build_absolute_uri(order.checkout_url)


class RefundInputSerializer(serializers.Serializer):
    reason = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, help_text="Why, in a sentence or two."
    )


class RefundSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(
        choices=Refund.Status.values,
        help_text="`succeeded` or `pending` inside the refund window; `requested` waits for staff.",
    )
    order = serializers.IntegerField(source="order_id")
    amount = serializers.SerializerMethodField()
    reason = serializers.CharField()
    decision_note = serializers.CharField()
    created_at = serializers.DateTimeField()
    succeeded_at = serializers.DateTimeField(allow_null=True)

    @extend_schema_field(MoneySerializer)
    def get_amount(self, refund):
        return money_from_minor_units(refund.amount, refund.order.currency)


class WebhookReceiptSerializer(serializers.Serializer):
    received = serializers.BooleanField()
    processed = serializers.BooleanField(help_text="False for repeats and ignored types.")


class EarningsParamsSerializer(serializers.Serializer):
    period = serializers.ChoiceField(choices=list(PERIODS), default="month")
    course = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    since = serializers.DateField(required=False, help_text="First day included.")
    until = serializers.DateField(required=False, help_text="Last day included.")


class FiguresSerializer(serializers.Serializer):
    # A row of `commerce.earnings.specialist_earnings`.

    currency = serializers.CharField()
    gross = AmountField(help_text="Sales, before anything is taken off.")
    refunds = AmountField(help_text="Given back to learners.")
    fees = AmountField(help_text="The platform's commission, net of refunds.")
    net = AmountField(help_text="Your share, net of refunds.")
    paid_out = AmountField(help_text="Paid to you by hand (without Stripe Connect).")


class PeriodColumnSerializer(serializers.Serializer):
    period = serializers.SerializerMethodField(help_text="First day of the day or month.")

    def get_period(self, row) -> date:
        return row["period"].date()


# The label column first, then the figures: bases' fields come in base order.
class PeriodFiguresSerializer(PeriodColumnSerializer, FiguresSerializer):
    pass


class EarningsCourseSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="course_id")
    title = serializers.CharField(source="course__title")


class CourseColumnSerializer(serializers.Serializer):
    course = EarningsCourseSerializer(source="*")


class CourseFiguresSerializer(CourseColumnSerializer, FiguresSerializer):
    pass


class EarningsSerializer(serializers.Serializer):
    totals = FiguresSerializer(many=True)
    periods = PeriodFiguresSerializer(many=True)
    courses = CourseFiguresSerializer(many=True)


class PayoutAccountSerializer(serializers.Serializer):
    stripe_account_id = serializers.CharField()
    charges_enabled = serializers.BooleanField()
    payouts_enabled = serializers.BooleanField()
    details_submitted = serializers.BooleanField()


class BalanceSerializer(serializers.Serializer):
    currency = serializers.CharField()
    due = AmountField(help_text="Owed to you and not yet paid out by hand.")


class PayoutsSerializer(serializers.Serializer):
    account = PayoutAccountSerializer(
        allow_null=True, help_text="Your Stripe Express account, once you have started one."
    )
    manual_balances = BalanceSerializer(many=True)


class OnboardingSerializer(serializers.Serializer):
    url = serializers.URLField(help_text="Stripe's onboarding page; single use, short-lived.")
