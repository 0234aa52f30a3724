from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from api.health import health_report


class HealthView(APIView):
    """Liveness and readiness: 200 while the database answers, 503 when it does not."""

    authentication_classes = []
    permission_classes = [AllowAny]

    def get(self, request):
        report = health_report()
        return Response(report, status=503 if report["status"] == "unavailable" else 200)
