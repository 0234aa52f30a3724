"""Who Zoom saw in a cohort's sessions that no registrant id or learner e-mail identifies:
listed for the specialist teaching the cohort, who assigns each to a learner or dismisses
them (a guest speaker). Learners of the cohort are 403; everyone else 404."""

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.names import display_name
from api.cohorts.sessions import _cohort_seen_by, _teaches
from api.pagination import PageNumberPagination
from api.parameters import ID
from learning.selectors.unmatched import OPEN, unmatched_participants_of
from learning.services.zoom_attendance import (
    unmatched_participant_dismiss,
    unmatched_participant_resolve,
)

UID = OpenApiParameter("uid", OpenApiTypes.INT, OpenApiParameter.PATH)


class UnmatchedSessionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    starts_at = serializers.DateTimeField()


class ResolvedLearnerSerializer(serializers.Serializer):
    enrollment = serializers.IntegerField(source="pk")
    learner = serializers.SerializerMethodField()
    email = serializers.EmailField(source="learner.email")

    def get_learner(self, enrollment) -> str:
        return display_name(enrollment.learner)


class UnmatchedParticipantSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    session = UnmatchedSessionSerializer()
    name = serializers.CharField(help_text="The name Zoom reported: shown, never matched on.")
    email = serializers.CharField(help_text="The e-mail Zoom reported; may be empty.")
    minutes = serializers.IntegerField(
        source="minutes_attended", help_text="Minutes inside the session's window."
    )
    first_joined_at = serializers.DateTimeField(allow_null=True)
    state = serializers.ChoiceField(
        choices=["open", "resolved", "dismissed"],
        help_text="open: waiting for you; resolved: assigned to a learner; dismissed: no learner.",
    )
    resolved_to = ResolvedLearnerSerializer(allow_null=True)
    resolved_by = serializers.SerializerMethodField()
    resolved_at = serializers.DateTimeField(allow_null=True)
    dismissed_by = serializers.SerializerMethodField()
    dismissed_at = serializers.DateTimeField(allow_null=True)

    def get_resolved_by(self, unmatched) -> str | None:
        return display_name(unmatched.resolved_by) if unmatched.resolved_by else None

    def get_dismissed_by(self, unmatched) -> str | None:
        return display_name(unmatched.dismissed_by) if unmatched.dismissed_by else None


class UnmatchedParamsSerializer(serializers.Serializer):
    session = serializers.IntegerField(
        min_value=1, max_value=2**63 - 1, required=False, help_text="One session's rows only."
    )
    resolved = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="false: the rows still waiting for you; true: those assigned or dismissed.",
    )


class ResolveInputSerializer(serializers.Serializer):
    enrollment = serializers.IntegerField(
        min_value=1,
        max_value=2**63 - 1,
        help_text="An enrollment of this cohort that gives access (its id).",
    )


def _managed_cohort(user, pk):
    cohort = _cohort_seen_by(user, pk)
    if not _teaches(user, cohort):
        raise PermissionDenied("Only the specialist teaching this cohort sees who Zoom saw in it.")
    return cohort


def _unmatched_of(user, pk, uid):
    return get_object_or_404(unmatched_participants_of(_managed_cohort(user, pk).pk), pk=uid)


class UnmatchedParticipantsView(APIView):
    pagination_class = PageNumberPagination

    @extend_schema(
        parameters=[ID, UnmatchedParamsSerializer],
        responses={200: UnmatchedParticipantSerializer(many=True)},
    )
    def get(self, request, pk):
        """People Zoom saw in this cohort's sessions whom no registrant id or learner e-mail
        identifies, in session order (the specialist teaching it)."""
        cohort = _managed_cohort(request.user, pk)
        params = UnmatchedParamsSerializer(data=request.query_params)
        if not params.is_valid():
            raise ValidationError(params.errors)
        rows = unmatched_participants_of(cohort.pk)
        if session := params.validated_data.get("session"):
            rows = rows.filter(session_id=session)
        resolved = params.validated_data["resolved"]
        if resolved is not None:
            rows = rows.exclude(OPEN) if resolved else rows.filter(OPEN)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(rows, request, self)
        return paginator.get_paginated_response(
            UnmatchedParticipantSerializer(page, many=True).data
        )


class UnmatchedParticipantResolveView(APIView):
    problem_statuses = {"409"}

    @extend_schema(
        parameters=[ID, UID],
        request=ResolveInputSerializer,
        responses={200: UnmatchedParticipantSerializer},
        description=(
            "Assign this participant to a learner of the cohort: their connections then count "
            "as that learner's, and the learner's Zoom attendance record for the session is "
            "written or updated with you in its audit trail (a record you set by hand stays). "
            "Sending the same enrollment again changes nothing. An enrollment of another cohort "
            "or without access is a 400; a row already assigned to another learner, or "
            "dismissed, is a 409 `unmatched_closed`: correct that learner's attendance instead."
        ),
    )
    def post(self, request, pk, uid):
        """Assign a participant Zoom could not identify to a learner (specialist)."""
        unmatched = _unmatched_of(request.user, pk, uid)
        data = ResolveInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        unmatched_participant_resolve(
            unmatched=unmatched, enrollment_id=data.validated_data["enrollment"], by=request.user
        )
        return Response(UnmatchedParticipantSerializer(_unmatched_of(request.user, pk, uid)).data)


class UnmatchedParticipantDismissView(APIView):
    problem_statuses = {"409"}

    @extend_schema(
        parameters=[ID, UID],
        request=None,
        responses={200: UnmatchedParticipantSerializer},
        description=(
            "Mark this participant as no learner of the cohort (a guest speaker): the row is "
            "kept, closed, and never counts. Dismissing twice changes nothing; a row assigned "
            "to a learner is a 409 `unmatched_closed`."
        ),
    )
    def post(self, request, pk, uid):
        """Dismiss a participant Zoom could not identify as not a learner (specialist)."""
        unmatched = _unmatched_of(request.user, pk, uid)
        unmatched_participant_dismiss(unmatched=unmatched, by=request.user)
        return Response(UnmatchedParticipantSerializer(_unmatched_of(request.user, pk, uid)).data)
