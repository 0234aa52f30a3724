"""Zoom telling us what happened in live sessions: verified, stored, acknowledged."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
)
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from api.commerce.views import RawBodyParser
from learning.meetings.zoom_webhooks import (
    URL_VALIDATION,
    zoom_event_record,
    zoom_url_validation_answer,
    zoom_webhook_verify,
)


class ZoomReceiptSerializer(serializers.Serializer):
    received = serializers.BooleanField()
    stored = serializers.BooleanField(help_text="False for repeats and ignored event types.")


class ZoomUrlValidationSerializer(serializers.Serializer):
    plainToken = serializers.CharField()  # Zoom's field names
    encryptedToken = serializers.CharField(
        help_text="Hex HMAC-SHA256 of plainToken with the webhook secret token."
    )


class ZoomWebhookView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []
    parser_classes = [RawBodyParser]
    problem_statuses = {"503"}

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "x-zm-signature",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                required=True,
                description="`v0=` and the hex HMAC-SHA256 of `v0:{timestamp}:{body}`.",
            ),
            OpenApiParameter(
                "x-zm-request-timestamp",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                required=True,
                description="Unix time in seconds when Zoom signed the request.",
            ),
        ],
        request={"application/json": OpenApiTypes.OBJECT},
        responses={
            200: PolymorphicProxySerializer(
                component_name="ZoomWebhookReply",
                serializers=[ZoomReceiptSerializer, ZoomUrlValidationSerializer],
                resource_type_field_name=None,
            ),
            400: OpenApiResponse(description="Bad or stale signature: nothing is written."),
        },
    )
    def post(self, request):
        """Zoom events, verified with the secret token, stored once and processed by a task;
        Zoom's endpoint check is answered with the token it asks for."""
        event = zoom_webhook_verify(
            body=request.body,
            signature=request.headers.get("x-zm-signature", ""),
            timestamp=request.headers.get("x-zm-request-timestamp", ""),
        )
        if event["event"] == URL_VALIDATION:
            return Response(ZoomUrlValidationSerializer(zoom_url_validation_answer(event)).data)
        stored = zoom_event_record(event=event, body=request.body)
        return Response(ZoomReceiptSerializer({"received": True, "stored": bool(stored)}).data)
