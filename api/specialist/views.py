"""What a specialist sees of their own courses, and grading the work handed in to them.
Other courses are 404."""

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from api.learning.serializers import SubmissionSerializer
from api.pagination import PageNumberPagination
from api.parameters import COURSE, ID
from api.renderers import CSVRenderer
from api.specialist.serializers import (
    GradeInputSerializer,
    QueueParamsSerializer,
    RosterRowSerializer,
    SpecialistCourseSerializer,
)
from coursepages.selectors import courses_taught_by
from learning.models import Enrollment
from learning.selectors import completed_counts, live_lessons_of, submissions_for_grader
from learning.services import submission_grade


class SpecialistCoursesView(APIView):
    pagination_class = PageNumberPagination

    @extend_schema(responses={200: SpecialistCourseSerializer(many=True)})
    def get(self, request):
        """My courses (live, draft or archived) with headline numbers."""
        counts = {
            f"learners_{status}": Count("enrollments", filter=Q(enrollments__status=status))
            for status in Enrollment.Status.values
        }
        courses = courses_taught_by(request.user).annotate(**counts).order_by("-pk")
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(courses, request, self)
        return paginator.get_paginated_response(SpecialistCourseSerializer(page, many=True).data)


class CourseRosterView(APIView):
    pagination_class = PageNumberPagination
    renderer_classes = [JSONRenderer, CSVRenderer]

    @extend_schema(parameters=[COURSE], responses={200: RosterRowSerializer(many=True)})
    def get(self, request, course):
        """Who is enrolled in my course, with progress; `?format=csv` downloads every row."""
        course = get_object_or_404(courses_taught_by(request.user), pk=course)
        enrollments = (
            Enrollment.objects.filter(course=course)
            .select_related("learner")
            .order_by("created_at")
        )
        as_csv = request.accepted_renderer.format == "csv"
        paginator = self.pagination_class()
        page = (
            list(enrollments) if as_csv else paginator.paginate_queryset(enrollments, request, self)
        )
        context = {
            "total": live_lessons_of(course).count(),
            "completed": completed_counts([enrollment.pk for enrollment in page]),
        }
        rows = RosterRowSerializer(page, many=True, context=context).data
        if as_csv:
            filename = f"{course.slug}-roster.csv"
            return Response(
                rows, headers={"Content-Disposition": f'attachment; filename="{filename}"'}
            )
        return paginator.get_paginated_response(rows)


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
        return paginator.get_paginated_response(
            SubmissionSerializer(page, many=True, context={"request": request}).data
        )


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
        return Response(SubmissionSerializer(graded, context={"request": request}).data)
