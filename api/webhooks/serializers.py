import json

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from integrations.event_types import SUBSCRIBABLE
from integrations.models import Delivery, DeliveryAttempt, Endpoint


class EndpointSerializer(serializers.ModelSerializer):
    scope = serializers.SerializerMethodField(
        help_text="platform: every course's events; specialist: only your courses' events."
    )

    class Meta:
        model = Endpoint
        fields = [
            "id",
            "url",
            "description",
            "event_types",
            "scope",
            "enabled",
            "disabled_reason",
            "created_at",
        ]

    def get_scope(self, endpoint) -> str:
        return "platform" if endpoint.specialist_id is None else "specialist"


class EndpointWithSecretSerializer(EndpointSerializer):
    """Only when the secret is new (created or rotated): it is never shown again."""

    class Meta(EndpointSerializer.Meta):
        fields = [*EndpointSerializer.Meta.fields, "secret"]


class EndpointInputSerializer(serializers.Serializer):
    # A plain string: the service says what is wrong with a URL (scheme, address, length).
    url = serializers.CharField(trim_whitespace=True)
    description = serializers.CharField(max_length=300, required=False, allow_blank=True)
    event_types = serializers.ListField(
        child=serializers.ChoiceField(choices=SUBSCRIBABLE),
        required=False,
        help_text="Types from `webhooks/event-types/`; empty or absent for every type.",
    )


class EndpointChangeSerializer(EndpointInputSerializer):
    url = serializers.CharField(trim_whitespace=True, required=False)
    enabled = serializers.BooleanField(required=False)


class AttemptSerializer(serializers.ModelSerializer):
    class Meta:
        model = DeliveryAttempt
        fields = ["at", "status_code", "duration_ms", "response_excerpt", "error"]


class DeliverySerializer(serializers.ModelSerializer):
    event_type = serializers.CharField(source="event.type")
    payload = serializers.SerializerMethodField(help_text="The event exactly as sent.")
    attempts_log = AttemptSerializer(many=True, help_text="Newest first.")

    class Meta:
        model = Delivery
        fields = [
            "id",
            "webhook_id",
            "event_type",
            "payload",
            "status",
            "attempts",
            "next_attempt_at",
            "last_status_code",
            "last_error",
            "succeeded_at",
            "created_at",
            "attempts_log",
        ]

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_payload(self, delivery):
        return json.loads(delivery.event.body)


class ReplayInputSerializer(serializers.Serializer):
    since = serializers.DateTimeField(help_text="Deliveries created at or after this instant.")


class ReplaySerializer(serializers.Serializer):
    replayed = serializers.IntegerField(help_text="How many deliveries are being sent again.")


class EventTypeSerializer(serializers.Serializer):
    type = serializers.CharField(source="name")
    description = serializers.CharField()
    schema = serializers.JSONField(help_text="JSON Schema of the event's `data`.")
