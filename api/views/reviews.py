from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from api.pagination import PageNumberPagination
from api.serializers.learning import ReviewInputSerializer, ReviewSerializer, review_data
from coursepages.catalog import published_courses
from coursepages.models import CoursePage
from learning.models import CourseReview
from learning.services import review_save

COURSE = OpenApiParameter("course", OpenApiTypes.INT, OpenApiParameter.PATH)


class CourseReviewsView(APIView):
    pagination_class = PageNumberPagination
    problem_statuses = {"403"}

    def get_permissions(self):
        return [AllowAny()] if self.request.method == "GET" else [IsAuthenticated()]

    @extend_schema(parameters=[COURSE], responses={200: ReviewSerializer(many=True)})
    def get(self, request, course):
        """Reviews of a published course, newest first."""
        course = get_object_or_404(published_courses(), pk=course)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(
            CourseReview.objects.filter(course=course).select_related("learner"), request, self
        )
        return paginator.get_paginated_response([review_data(review) for review in page])

    @extend_schema(
        parameters=[COURSE],
        request=ReviewInputSerializer,
        responses={200: ReviewSerializer, 201: ReviewSerializer},
    )
    def post(self, request, course):
        """Rate the course (1–5) with an optional comment; sending it again replaces yours."""
        course = get_object_or_404(CoursePage.objects.live(), pk=course)
        data = ReviewInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        review, created = review_save(learner=request.user, course=course, **data.validated_data)
        return Response(
            review_data(review), status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )
