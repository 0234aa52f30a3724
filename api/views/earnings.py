"""A specialist's earnings from the ledger, and how they are paid."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from api.serializers.commerce import money
from commerce.earnings import FIGURES, PERIODS, specialist_earnings
from commerce.models import PayoutAccount
from commerce.payouts import manual_payout_balances, payout_account_connect
from coursepages.selectors import courses_taught_by


class EarningsParamsSerializer(serializers.Serializer):
    period = serializers.ChoiceField(choices=list(PERIODS), default="month")
    course = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    since = serializers.DateField(required=False, help_text="First day included.")
    until = serializers.DateField(required=False, help_text="Last day included.")


class FiguresSerializer(serializers.Serializer):
    currency = serializers.CharField()
    gross = serializers.CharField(help_text="Sales, before anything is taken off.")
    refunds = serializers.CharField(help_text="Given back to learners.")
    fees = serializers.CharField(help_text="The platform's commission, net of refunds.")
    net = serializers.CharField(help_text="Your share, net of refunds.")
    paid_out = serializers.CharField(help_text="Paid to you by hand (without Stripe Connect).")


class PeriodFiguresSerializer(FiguresSerializer):
    period = serializers.DateField(help_text="First day of the day or month.")


class CourseFiguresSerializer(FiguresSerializer):
    course = serializers.DictField(help_text="id and title.")


class EarningsSerializer(serializers.Serializer):
    totals = FiguresSerializer(many=True)
    periods = PeriodFiguresSerializer(many=True)
    courses = CourseFiguresSerializer(many=True)


def _figures(row):
    currency = row["currency"]
    return {
        "currency": currency,
        **{name: money(row[name], currency)["amount"] for name in FIGURES},
    }


class EarningsView(APIView):
    @extend_schema(parameters=[EarningsParamsSerializer], responses={200: EarningsSerializer})
    def get(self, request):
        """My gross sales, refunds, platform fees and net share, by day or month and by
        course; amounts as decimal strings, one row per currency."""
        params = EarningsParamsSerializer(data=request.query_params)
        if not params.is_valid():
            raise ValidationError(params.errors)
        data = params.validated_data
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            raise ValidationError({"until": ["Must not be before `since`."]})
        earnings = specialist_earnings(
            specialist=request.user,
            period=data["period"],
            course_id=data.get("course"),
            since=data.get("since"),
            until=data.get("until"),
        )
        return Response(
            {
                "totals": [_figures(row) for row in earnings["totals"]],
                "periods": [
                    {"period": row["period"].date(), **_figures(row)} for row in earnings["periods"]
                ],
                "courses": [
                    {
                        "course": {"id": row["course_id"], "title": row["course__title"]},
                        **_figures(row),
                    }
                    for row in earnings["courses"]
                ],
            }
        )


class PayoutAccountSerializer(serializers.Serializer):
    stripe_account_id = serializers.CharField()
    charges_enabled = serializers.BooleanField()
    payouts_enabled = serializers.BooleanField()
    details_submitted = serializers.BooleanField()


class BalanceSerializer(serializers.Serializer):
    currency = serializers.CharField()
    due = serializers.CharField(help_text="Owed to you and not yet paid out by hand.")


class PayoutsSerializer(serializers.Serializer):
    account = PayoutAccountSerializer(
        allow_null=True, help_text="Your Stripe Express account, once you have started one."
    )
    manual_balances = BalanceSerializer(many=True)


class OnboardingSerializer(serializers.Serializer):
    url = serializers.URLField(help_text="Stripe's onboarding page; single use, short-lived.")


class PayoutsView(APIView):
    @extend_schema(responses={200: PayoutsSerializer})
    def get(self, request):
        """How I am paid: my Stripe payout account, and what is due to me by hand."""
        account = (
            PayoutAccount.objects.filter(specialist=request.user)
            .values("stripe_account_id", "charges_enabled", "payouts_enabled", "details_submitted")
            .first()
        )
        balances = [
            {"currency": row["currency"], "due": money(row["due"], row["currency"])["amount"]}
            for row in manual_payout_balances(request.user)
        ]
        return Response({"account": account, "manual_balances": balances})


class PayoutOnboardingView(APIView):
    problem_statuses = {"409", "503"}

    @extend_schema(request=None, responses={201: OnboardingSerializer})
    def post(self, request):
        """Set up or finish my Stripe Express account: go to the URL this returns.

        Once Stripe reports the account ready, my courses' sales pay me directly."""
        if not courses_taught_by(request.user).exists():
            raise PermissionDenied("Only specialists with a course are paid.")
        return Response({"url": payout_account_connect(specialist=request.user)}, status=201)
