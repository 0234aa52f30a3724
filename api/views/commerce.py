"""Paying for an enrollment, and Stripe telling us how it went."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import BaseParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from api.idempotency import idempotent
from api.serializers.commerce import OrderSerializer, order_data
from api.views.learning import ID, IDEMPOTENCY_KEY, LearnerEnrollmentMixin
from commerce.services import checkout_start
from commerce.webhooks import webhook_event, webhook_process


class PaymentView(LearnerEnrollmentMixin, APIView):
    problem_statuses = {"409", "503"}

    @extend_schema(parameters=[ID, IDEMPOTENCY_KEY], request=None, responses={201: OrderSerializer})
    @idempotent
    def post(self, request, pk):
        """Start paying: the order, priced now, with the provider's checkout URL.

        Asking again while that checkout is open answers the same order."""
        order = checkout_start(enrollment=self.get_enrollment(pk))
        return Response(order_data(order, request), status=status.HTTP_201_CREATED)


class RawBodyParser(BaseParser):
    """The body exactly as sent: the signature is computed over these bytes."""

    media_type = "*/*"

    def parse(self, stream, media_type=None, parser_context=None):
        return stream.read()


class WebhookReceiptSerializer(serializers.Serializer):
    received = serializers.BooleanField()
    processed = serializers.BooleanField(help_text="False for repeats and ignored types.")


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
        return Response({"received": True, "processed": webhook_process(event)})
