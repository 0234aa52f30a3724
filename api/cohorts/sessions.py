"""A cohort's live sessions: the calendar, scheduling and changes by the specialist teaching it,
and the join link. Cohorts whose sessions the caller may not see are 404."""

from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
)
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.response import Response
from rest_framework.views import APIView

from api.cohorts.session_serializers import (
    CohortSessionForSpecialistSerializer,
    CohortSessionSerializer,
    SessionChangeInputSerializer,
    SessionScheduleInputSerializer,
)
from api.pagination import PageNumberPagination
from api.parameters import ID
from learning.models import CohortSession
from learning.selectors.cohorts import cohorts_managed_by
from learning.selectors.sessions import cohorts_with_sessions_for
from learning.services.sessions import (
    session_cancel,
    session_join,
    session_reschedule,
    session_schedule,
)

SESSION = OpenApiParameter("session", OpenApiTypes.INT, OpenApiParameter.PATH)


SESSIONS_AS_SEEN = PolymorphicProxySerializer(
    component_name="CohortSessionAsSeen",
    serializers=[CohortSessionSerializer, CohortSessionForSpecialistSerializer],
    resource_type_field_name=None,
    many=True,
)


def _cohort_seen_by(user, pk):
    """The cohort, if the user learns in it (with access) or teaches it; else 404."""
    return get_object_or_404(cohorts_with_sessions_for(user), pk=pk)


def _teaches(user, cohort) -> bool:
    return cohorts_managed_by(user).filter(pk=cohort.pk).exists()


def _cohort_managed_by(user, pk):
    """The cohort, if the user teaches it; 403 for its learners, 404 for everyone else."""
    cohort = _cohort_seen_by(user, pk)
    if not _teaches(user, cohort):
        raise PermissionDenied("Only the specialist teaching this cohort can change its sessions.")
    return cohort


def _session_of(cohort, pk, *, with_recording=False):
    sessions = CohortSession.objects.filter(cohort=cohort)
    session = get_object_or_404(
        sessions.select_related("recording") if with_recording else sessions, pk=pk
    )
    session.cohort = cohort
    return session


class CohortSessionsView(APIView):
    pagination_class = PageNumberPagination
    problem_statuses = {"409"}

    @extend_schema(
        parameters=[ID],
        description=(
            "Every session of the cohort, cancelled ones included, soonest first. Learners "
            "get our `join_url` only; the specialist teaching the cohort also gets "
            "`meeting_url`."
        ),
        responses={200: SESSIONS_AS_SEEN},
    )
    def get(self, request, pk):
        """The cohort's calendar, for its learners and the specialist teaching it."""
        cohort = _cohort_seen_by(request.user, pk)
        output = (
            CohortSessionForSpecialistSerializer
            if _teaches(request.user, cohort)
            else CohortSessionSerializer
        )
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(
            CohortSession.objects.filter(cohort=cohort)
            .select_related("recording")
            .order_by("starts_at", "pk"),
            request,
            self,
        )
        for session in page:
            session.cohort = cohort
        context = {"request": request}
        return paginator.get_paginated_response(output(page, many=True, context=context).data)

    @extend_schema(
        parameters=[ID],
        request=SessionScheduleInputSerializer,
        responses={201: CohortSessionForSpecialistSerializer},
    )
    def post(self, request, pk):
        """Schedule a session (specialist): within the cohort's dates, in the future, overlapping
        no other; the cohort's learners are told."""
        cohort = _cohort_managed_by(request.user, pk)
        data = SessionScheduleInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        session = session_schedule(cohort=cohort, **data.validated_data)
        return Response(
            CohortSessionForSpecialistSerializer(session, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class CohortSessionView(APIView):
    problem_statuses = {"PATCH": {"409"}}

    @extend_schema(
        parameters=[ID, SESSION],
        responses={
            200: PolymorphicProxySerializer(
                component_name="CohortSessionDetailAsSeen",
                serializers=[CohortSessionSerializer, CohortSessionForSpecialistSerializer],
                resource_type_field_name=None,
            )
        },
    )
    def get(self, request, pk, session):
        """One session, for the cohort's learners and the specialist teaching it."""
        cohort = _cohort_seen_by(request.user, pk)
        session = _session_of(cohort, session, with_recording=True)
        output = (
            CohortSessionForSpecialistSerializer
            if _teaches(request.user, cohort)
            else CohortSessionSerializer
        )
        return Response(output(session, context={"request": request}).data)

    @extend_schema(
        parameters=[ID, SESSION],
        request=SessionChangeInputSerializer,
        responses={200: CohortSessionForSpecialistSerializer},
    )
    def patch(self, request, pk, session):
        """Reschedule or edit a session (specialist). A new start or duration raises the
        revision and tells the learners the old and new time; text and link edits do not."""
        session = _session_of(_cohort_managed_by(request.user, pk), session)
        data = SessionChangeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        session = session_reschedule(session=session, **data.validated_data)
        return Response(
            CohortSessionForSpecialistSerializer(session, context={"request": request}).data
        )


class CohortSessionCancelView(APIView):
    problem_statuses = {"409"}

    @extend_schema(
        parameters=[ID, SESSION],
        request=None,
        responses={200: CohortSessionForSpecialistSerializer},
    )
    def post(self, request, pk, session):
        """Cancel a session that has not started (specialist); it stays listed as cancelled and
        the learners are told."""
        session = _session_of(_cohort_managed_by(request.user, pk), session)
        session = session_cancel(session=session)
        return Response(
            CohortSessionForSpecialistSerializer(session, context={"request": request}).data
        )


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
            "`Accept` prefers `application/json`; each join is recorded. The meeting is the "
            "caller's own link on the session's provider (a learner's Zoom registrant link, "
            "the meeting's link for the specialist) once the provider holds the session "
            "(`meeting_sync_state` synced), else the manual `meeting_url`: this URL never "
            "changes when the provider does. Outside the window: "
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
        session = _session_of(_cohort_seen_by(request.user, pk), session)
        url = session_join(session=session, user=request.user)
        if prefers_json(request):
            return Response(JoinLinkSerializer({"url": url}).data)
        return HttpResponseRedirect(url)
