"""Paying for an enrollment, Stripe telling us how it went, and a specialist's earnings
from the ledger and how they are paid."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import BaseParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.selectors import user_roles
from api.commerce.serializers import (
    EarningsParamsSerializer,
    EarningsSerializer,
    OnboardingSerializer,
    OrderSerializer,
    PayoutsSerializer,
    RefundInputSerializer,
    RefundSerializer,
    WebhookReceiptSerializer,
)
from api.idempotency import idempotent
from api.parameters import ID, IDEMPOTENCY_KEY
from commerce.earnings import specialist_earnings
from commerce.models import PayoutAccount
from commerce.payouts import manual_payout_balances, payout_account_connect
from commerce.refunds import refund_request
from commerce.services import checkout_start
from commerce.webhooks import webhook_event, webhook_process
from coursepages.selectors import courses_taught_by
from learning.selectors import enrollment_of_learner


class PaymentView(APIView):
    problem_statuses = {"409", "503"}

    @extend_schema(parameters=[ID, IDEMPOTENCY_KEY], request=None, responses={201: OrderSerializer})
    @idempotent
    def post(self, request, pk):
        """Start paying: the order, priced now, with the provider's checkout URL.

        Asking again while that checkout is open answers the same order."""
        order = checkout_start(enrollment=enrollment_of_learner(learner=request.user, pk=pk))
        return Response(
            OrderSerializer(order, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class RefundView(APIView):
    problem_statuses = {"409"}

    @extend_schema(
        parameters=[ID], request=RefundInputSerializer, responses={201: RefundSerializer}
    )
    def post(self, request, pk):
        """Ask for a refund: inside the course's refund window it is sent at once and the
        course closes; after it, staff decide."""
        enrollment = enrollment_of_learner(learner=request.user, pk=pk)
        data = RefundInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        refund = refund_request(enrollment=enrollment, reason=data.validated_data.get("reason", ""))
        refund.refresh_from_db()  # the task may have settled it already
        return Response(RefundSerializer(refund).data, status=status.HTTP_201_CREATED)


class RawBodyParser(BaseParser):
    """The body exactly as sent: the signature is computed over these bytes."""

    media_type = "*/*"

    def parse(self, stream, media_type=None, parser_context=None):
        return stream.read()


class StripeWebhookView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []
    parser_classes = [RawBodyParser]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "Stripe-Signature",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                required=True,
                description="Stripe's signature of the exact body, with its timestamp.",
            )
        ],
        request={"application/json": OpenApiTypes.OBJECT},
        responses={
            200: WebhookReceiptSerializer,
            400: OpenApiResponse(description="Bad or stale signature: nothing is written."),
        },
    )
    def post(self, request):
        """Stripe events, verified with the signing secret and acted on once each."""
        event = webhook_event(request.body, request.headers.get("Stripe-Signature", ""))
        receipt = {"received": True, "processed": webhook_process(event)}
        return Response(WebhookReceiptSerializer(receipt).data)


def _require_specialist(user):
    """Earnings and payouts are a specialist's (one with no sales yet sees zeros): anyone else
    is told so, rather than shown an empty ledger."""
    if "specialist" not in user_roles(user) and not courses_taught_by(user).exists():
        raise PermissionDenied("Earnings and payouts are for specialists.")


class EarningsView(APIView):
    problem_statuses = {"400"}  # bad query parameters; not a list, so not judged by paging

    @extend_schema(parameters=[EarningsParamsSerializer], responses={200: EarningsSerializer})
    def get(self, request):
        """My gross sales, refunds, platform fees and net share, by day or month and by
        course; amounts as decimal strings, one row per currency. Specialists only."""
        _require_specialist(request.user)
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
        return Response(EarningsSerializer(earnings).data)


class PayoutsView(APIView):
    @extend_schema(responses={200: PayoutsSerializer})
    def get(self, request):
        """How I am paid: my Stripe payout account, and what is due to me by hand. Specialists
        only."""
        _require_specialist(request.user)
        payouts = {
            "account": PayoutAccount.objects.filter(specialist=request.user).first(),
            "manual_balances": manual_payout_balances(request.user),
        }
        return Response(PayoutsSerializer(payouts).data)


class PayoutOnboardingView(APIView):
    problem_statuses = {"409", "503"}

    @extend_schema(request=None, responses={201: OnboardingSerializer})
    def post(self, request):
        """Set up or finish my Stripe Express account: go to the URL this returns.

        Once Stripe reports the account ready, my courses' sales pay me directly."""
        if not courses_taught_by(request.user).exists():
            raise PermissionDenied("Only specialists with a course are paid.")
        onboarding = {"url": payout_account_connect(specialist=request.user)}
        return Response(OnboardingSerializer(onboarding).data, status=201)
