"""A cohort's live sessions: the calendar, scheduling and changes by the specialist teaching it,
and the join link. Cohorts whose sessions the caller may not see are 404."""

from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.response import Response
from rest_framework.views import APIView

from api.parameters import ID
from learning.models import CohortSession
from learning.selectors.sessions import cohorts_with_sessions_for
from learning.services.sessions import session_join

SESSION = OpenApiParameter("session", OpenApiTypes.INT, OpenApiParameter.PATH)


class JoinLinkSerializer(serializers.Serializer):
    url = serializers.URLField(help_text="The meeting link to open now.")


class AnyAcceptNegotiation(DefaultContentNegotiation):
    """Browsers following the join link ask for HTML: they get the redirect, and any problem
    in JSON, instead of a 406."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


def prefers_json(request) -> bool:
    return request.get_preferred_type(["text/html", "application/json"]) == "application/json"


class CohortSessionJoinView(APIView):
    content_negotiation_class = AnyAcceptNegotiation
    problem_statuses = {"403", "409"}

    @extend_schema(
        parameters=[ID, SESSION],
        description=(
            "For the cohort's learners with access and the specialist teaching it. The link "
            "works from 15 minutes before the start, that instant included, until the end, "
            "that instant excluded. It answers 302 to the meeting, or 200 `{url}` when "
            "`Accept` prefers `application/json`; each join is recorded. Outside the window: "
            "403 `session_not_open` with `opens_at` and `closes_at`; a cancelled session: "
            "409 `session_cancelled`; no meeting link yet: 409 `meeting_link_missing`."
        ),
        responses={
            200: JoinLinkSerializer,
            302: OpenApiResponse(description="Redirect to the session's meeting link."),
        },
    )
    def get(self, request, pk, session):
        """Join a live session: redirect to its meeting link while it is open."""
        cohort = get_object_or_404(cohorts_with_sessions_for(request.user), pk=pk)
        session = get_object_or_404(CohortSession.objects.filter(cohort=cohort), pk=session)
        session.cohort = cohort
        url = session_join(session=session, user=request.user)
        if prefers_json(request):
            return Response(JoinLinkSerializer({"url": url}).data)
        return HttpResponseRedirect(url)
