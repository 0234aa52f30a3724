"""The platform's own state, for load balancers and orchestrators."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from api.platform.checks import health_report
from api.platform.serializers import HealthSerializer


class HealthView(APIView):
    """Liveness and readiness: 200 while the database answers ("degraded" when the cache, file
    storage, broker or workers do not), 503 when it does not."""

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
