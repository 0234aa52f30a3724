"""Handing in assignments (learners) and grading them (the course's specialist)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from api.pagination import PageNumberPagination
from api.serializers.learning import (
    GradeInputSerializer,
    SubmissionSerializer,
    SubmitWorkInputSerializer,
    submission_data,
)
from api.views.learning import ID, LearnerEnrollmentMixin
from learning.models import AssignmentSubmission
from learning.selectors import submissions_for_grader
from learning.services import assignment_submit, submission_grade


class SubmitWorkView(LearnerEnrollmentMixin, APIView):
    parser_classes = [JSONParser, MultiPartParser]
    problem_statuses = {"403", "409"}

    @extend_schema(
        parameters=[ID, OpenApiParameter("assignment", OpenApiTypes.STR, OpenApiParameter.PATH)],
        request={
            "application/json": SubmitWorkInputSerializer,
            "multipart/form-data": SubmitWorkInputSerializer,
        },
        responses={201: SubmissionSerializer},
    )
    def post(self, request, pk, assignment):
        """Hand in text, a URL or a file, as the assignment allows."""
        enrollment = self.get_enrollment(pk)
        data = SubmitWorkInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        submission = assignment_submit(
            enrollment=enrollment, assignment_id=assignment, **data.validated_data
        )
        return Response(submission_data(submission, request), status=status.HTTP_201_CREATED)


class QueueParamsSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=AssignmentSubmission.Status.values, required=False, help_text="e.g. submitted"
    )


class SubmissionQueueView(APIView):
    pagination_class = PageNumberPagination

    @extend_schema(
        parameters=[QueueParamsSerializer], responses={200: SubmissionSerializer(many=True)}
    )
    def get(self, request):
        """Submissions to my courses, oldest first: `?status=submitted` is the grading queue."""
        params = QueueParamsSerializer(data=request.query_params)
        if not params.is_valid():
            raise ValidationError(params.errors)
        submissions = submissions_for_grader(request.user)
        if wanted := params.validated_data.get("status"):
            submissions = submissions.filter(status=wanted)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(submissions, request, self)
        return paginator.get_paginated_response([submission_data(s, request) for s in page])


class GradeView(APIView):
    problem_statuses = {"409"}

    @extend_schema(
        parameters=[ID], request=GradeInputSerializer, responses={200: SubmissionSerializer}
    )
    def put(self, request, pk):
        """Score each rubric criterion (within its maximum) and give feedback."""
        submission = get_object_or_404(submissions_for_grader(request.user), pk=pk)
        data = GradeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        graded = submission_grade(submission=submission, grader=request.user, **data.validated_data)
        return Response(submission_data(graded, request))
