"""OpenAPI path and header parameters that several domains' views document."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)
LESSON = OpenApiParameter("lesson", OpenApiTypes.INT, OpenApiParameter.PATH)
COURSE = OpenApiParameter("course", OpenApiTypes.INT, OpenApiParameter.PATH)
TOKEN = OpenApiParameter("token", OpenApiTypes.STR, OpenApiParameter.PATH)
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="Send the same key to retry safely: the first answer is replayed.",
)
FEED_TOKEN = OpenApiParameter(
    "token",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    required=True,
    description="The feed's secret token, as given by `me/calendar/` or `cohorts/{id}/calendar/`.",
)
