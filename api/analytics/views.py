"""Analytics for the specialist who teaches a course and for staff: figures defined in
`analytics.definitions`, each endpoint a fixed number of queries whatever the range. Another
specialist's course or cohort is 404; learners are refused the specialist and staff reports."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import PermissionDenied
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from analytics.access import (
    cohorts_analysable_by,
    courses_analysable_by,
    may_read_platform_analytics,
    may_read_specialist_analytics,
)
from analytics.reports import (
    COURSE_FIELDS,
    at_risk_learners,
    cohort_report,
    course_report,
    platform_report,
    specialist_report,
)
from api.analytics.serializers import (
    AtRiskLearnerSerializer,
    CohortAnalyticsSerializer,
    CourseAnalyticsSerializer,
    CourseParamsSerializer,
    PlatformAnalyticsSerializer,
    SpecialistAnalyticsSerializer,
    SpecialistParamsSerializer,
    WindowParamsSerializer,
)
from api.pagination import PageNumberPagination
from api.parameters import COURSE, ID
from api.renderers import CSVRenderer
from coursepages.selectors import courses_taught_by
from learning.selectors import completed_counts, live_lessons_of


def _params(serializer_class, request):
    params = serializer_class(data=request.query_params)
    params.is_valid(raise_exception=True)
    return params.validated_data


class CourseAnalyticsView(APIView):
    problem_statuses = {"400"}  # a bad range or choice

    @extend_schema(
        parameters=[COURSE, CourseParamsSerializer],
        responses={200: CourseAnalyticsSerializer},
    )
    def get(self, request, course):
        """A course's figures over a window of UTC days against the previous period: totals,
        a series per day, week or month, the lesson funnel, quizzes, assignments, revenue per
        currency, ratings and, for cohort courses, each cohort. Today and yesterday are
        counted live; earlier days come from the daily snapshots."""
        params = _params(CourseParamsSerializer, request)
        courses = courses_analysable_by(request.user).only(*COURSE_FIELDS)
        course = get_object_or_404(courses, pk=course)
        report = course_report(course, params["window"], params["granularity"])
        return Response(CourseAnalyticsSerializer(report).data)


class CourseAtRiskView(APIView):
    pagination_class = PageNumberPagination
    renderer_classes = [JSONRenderer, CSVRenderer]

    @extend_schema(parameters=[COURSE], responses={200: AtRiskLearnerSerializer(many=True)})
    def get(self, request, course):
        """Learners at risk: not completed, acted before, and no lesson completion, quiz
        attempt or submission in the last 7 days. `?format=csv` downloads every row."""
        course = get_object_or_404(courses_analysable_by(request.user), pk=course)
        learners = at_risk_learners(course)
        as_csv = request.accepted_renderer.format == "csv"
        paginator = self.pagination_class()
        page = list(learners) if as_csv else paginator.paginate_queryset(learners, request, self)
        context = {
            "total": live_lessons_of(course).count(),
            "completed": completed_counts([enrollment.pk for enrollment in page]),
        }
        rows = AtRiskLearnerSerializer(page, many=True, context=context).data
        if as_csv:
            filename = f"{course.slug}-at-risk.csv"
            return Response(
                rows, headers={"Content-Disposition": f'attachment; filename="{filename}"'}
            )
        return paginator.get_paginated_response(rows)


class CohortAnalyticsView(APIView):
    @extend_schema(parameters=[ID], responses={200: CohortAnalyticsSerializer})
    def get(self, request, pk):
        """A cohort's learners, completion, certificates issued, and attendance: on average and
        per session."""
        cohort = get_object_or_404(
            cohorts_analysable_by(request.user).select_related("course"), pk=pk
        )
        return Response(CohortAnalyticsSerializer(cohort_report(cohort)).data)


class SpecialistAnalyticsView(APIView):
    problem_statuses = {"400"}  # a bad range or choice

    @extend_schema(
        parameters=[SpecialistParamsSerializer], responses={200: SpecialistAnalyticsSerializer}
    )
    def get(self, request):
        """All my courses over a window against the previous period, ranked; totals across
        them (a learner in two of my courses is one active learner)."""
        if not may_read_specialist_analytics(request.user):
            raise PermissionDenied("Analytics are for specialists and staff.")
        params = _params(SpecialistParamsSerializer, request)
        report = specialist_report(
            courses_taught_by(request.user), params["window"], params["ordering"]
        )
        return Response(SpecialistAnalyticsSerializer(report).data)


class PlatformAnalyticsView(APIView):
    problem_statuses = {"400"}  # a bad range or choice

    @extend_schema(
        parameters=[WindowParamsSerializer], responses={200: PlatformAnalyticsSerializer}
    )
    def get(self, request):
        """The platform over a window against the previous period: activity, new learners,
        revenue and commission per currency, refund rate, top courses and specialists."""
        if not may_read_platform_analytics(request.user):
            raise PermissionDenied("Platform analytics are for staff.")
        params = _params(WindowParamsSerializer, request)
        return Response(PlatformAnalyticsSerializer(platform_report(params["window"])).data)
