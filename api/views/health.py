from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from api.health import health_report


class DependencyStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["ok", "unavailable"])
    latency_ms = serializers.FloatField(required=False)
    detail = serializers.CharField(required=False)
    error = serializers.CharField(required=False)


class HealthSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["ok", "degraded", "unavailable"])
    checks = serializers.DictField(child=DependencyStatusSerializer())


class HealthView(APIView):
    """Liveness and readiness: 200 while the database answers, 503 when it does not."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []

    @extend_schema(
        responses={
            200: HealthSerializer,
            503: OpenApiResponse(HealthSerializer, description="The database does not answer."),
        }
    )
    def get(self, request):
        report = health_report()
        return Response(report, status=503 if report["status"] == "unavailable" else 200)
