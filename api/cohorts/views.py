"""Cohorts for learners and visitors: open batches of a course, one batch, enrolling into it.
Cohorts the caller may not see (not open, and not taught by them) are 404."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from api.cohorts.serializers import CohortSerializer
from api.idempotency import idempotent
from api.learning.serializers import EnrollmentSerializer
from api.pagination import PageNumberPagination
from api.parameters import COURSE, ID, IDEMPOTENCY_KEY
from coursepages.catalog import published_courses
from learning.selectors import Progress, cohorts_visible_to, live_lessons_of, open_cohorts_of
from learning.services import enrollment_create


class CourseCohortsView(APIView):
    permission_classes = [AllowAny]
    pagination_class = PageNumberPagination

    @extend_schema(parameters=[COURSE], responses={200: CohortSerializer(many=True)})
    def get(self, request, course):
        """The open cohorts of a published course, soonest first, with the seats left."""
        course = get_object_or_404(published_courses(), pk=course)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(open_cohorts_of(course), request, self)
        for cohort in page:
            cohort.course = course
        return paginator.get_paginated_response(CohortSerializer(page, many=True).data)


class CohortDetailView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(parameters=[ID], responses={200: CohortSerializer})
    def get(self, request, pk):
        """One cohort: open ones for everyone, any of theirs for the specialist teaching it."""
        cohort = get_object_or_404(cohorts_visible_to(request.user).select_related("course"), pk=pk)
        return Response(CohortSerializer(cohort).data)


class CohortEnrollView(APIView):
    problem_statuses = {"409"}

    @extend_schema(
        parameters=[ID, IDEMPOTENCY_KEY], request=None, responses={201: EnrollmentSerializer}
    )
    @idempotent
    def post(self, request, pk):
        """Enroll in this cohort (same answer as `POST enrollments/` with `cohort`)."""
        cohort = get_object_or_404(cohorts_visible_to(request.user).select_related("course"), pk=pk)
        enrollment = enrollment_create(learner=request.user, course=cohort.course, cohort=cohort)
        enrollment.progress = Progress(0, live_lessons_of(cohort.course).count())
        return Response(EnrollmentSerializer(enrollment).data, status=status.HTTP_201_CREATED)
