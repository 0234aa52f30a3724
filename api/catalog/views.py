"""The public catalog: course list, detail and by-slug, and a course's ratings."""

from django.shortcuts import get_object_or_404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import APIView

from api.catalog.filters import ORDERINGS, CourseFilter
from api.catalog.selectors import course_tag_names, with_cover_rendition
from api.catalog.serializers import (
    CARD_FIELDS,
    CourseDetailSerializer,
    CourseListSerializer,
    ReviewInputSerializer,
    ReviewSerializer,
    course_card,
    course_detail,
)
from api.pagination import PageNumberPagination
from api.parameters import COURSE, ID
from coursepages.catalog import catalog_facets, facet_filter, lesson_outline, published_courses
from coursepages.languages import LANGUAGE_CHOICES
from coursepages.models import CoursePage, CourseType, Difficulty
from coursepages.search import search_courses
from learning.models import CourseReview
from learning.services import review_save

DETAIL_FIELDS = CARD_FIELDS + (
    "path",
    "depth",
    "description",
    "refund_window_days",
    "enrollment_open",
    "certificate_min_lessons_percent",
    "certificate_min_quiz_average",
    "certificate_requires_assignments",
    "certificate_min_attendance_percent",
    "last_published_at",
)
FACET_LABELS = {
    "difficulty": dict(Difficulty.choices),
    "course_type": dict(CourseType.choices),
    "language": dict(LANGUAGE_CHOICES),
    "free": {"true": "Free", "false": "Paid"},
}


class CatalogView(APIView):
    """Public and identical for every caller: no authentication, and the shared cache of
    api.caching rather than per-client throttling keeps repeated reads cheap."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []


class PageParamsSerializer(serializers.Serializer):
    page = serializers.IntegerField(min_value=1, default=1, help_text="Page number, from 1.")
    page_size = serializers.IntegerField(
        min_value=1, max_value=100, default=20, help_text="Results per page."
    )


class CourseListView(CatalogView):
    problem_statuses = {"404"}  # a page past the last one
    # Read by the schema generator to document the query parameters.
    filter_backends = [DjangoFilterBackend]
    filterset_class = CourseFilter

    def get_queryset(self):
        return published_courses()

    @extend_schema(
        operation_id="courses_list",
        filters=True,
        parameters=[PageParamsSerializer],
        responses={200: CourseListSerializer},
    )
    def get(self, request):
        """Browse published courses: search, filter, order, with facet counts for a sidebar."""
        paging = PageParamsSerializer(data=request.query_params)
        try:
            query = CourseFilter.parse(request.query_params)
        except ValidationError as invalid:
            paging.is_valid()
            raise ValidationError({**invalid.detail, **paging.errors}) from invalid
        paging.is_valid(raise_exception=True)
        page, page_size = paging.validated_data["page"], paging.validated_data["page_size"]

        courses = published_courses().filter(CourseFilter.bounds(query))
        if search := query.get("search"):
            courses = search_courses(courses, search)
        selection = CourseFilter.facet_selection(query)
        count, facet_counts, facet_labels = catalog_facets(courses, selection)

        last_page = max(1, -(-count // page_size))
        if page > last_page:
            raise NotFound(f"Page {page} is past the last page, {last_page}.")
        ordering = query.get("ordering") or ("relevance" if search else "-published")
        rows = (
            with_cover_rendition(courses.filter(facet_filter(selection)))
            .order_by(*ORDERINGS[ordering])
            .values(*CARD_FIELDS)[(page - 1) * page_size : page * page_size]
        )
        return Response(
            {
                "count": count,
                "next": self._page_url(request, page + 1) if page < last_page else None,
                "previous": self._page_url(request, page - 1) if page > 1 else None,
                "facets": self._facets(facet_counts, facet_labels),
                "results": [course_card(row, request) for row in rows],
            }
        )

    @staticmethod
    def _page_url(request, page):
        url = request.build_absolute_uri()
        return (
            remove_query_param(url, "page") if page == 1 else replace_query_param(url, "page", page)
        )

    @staticmethod
    def _facets(facet_counts, facet_labels):
        labels = {**FACET_LABELS, "category": facet_labels["category"]}
        return {
            facet: sorted(
                (
                    {"value": value, "label": str(labels[facet].get(value, value)), "count": count}
                    for value, count in counts.items()
                ),
                key=lambda item: (-item["count"], item["label"]),
            )
            for facet, counts in facet_counts.items()
        }


class CourseDetailView(CatalogView):
    @extend_schema(
        operation_id="courses_retrieve",
        parameters=[ID],
        responses={200: CourseDetailSerializer},
    )
    def get(self, request, **lookup):
        """A published course with its syllabus; never a lesson body, question or answer."""
        course = get_object_or_404(
            with_cover_rendition(published_courses()).values(*DETAIL_FIELDS), **lookup
        )
        tags = course_tag_names(course["id"])
        outline = lesson_outline(path=course["path"], depth=course["depth"])
        return Response(course_detail(course, tags, outline, request))


class CourseBySlugView(CourseDetailView):
    @extend_schema(operation_id="courses_by_slug_retrieve", responses={200: CourseDetailSerializer})
    def get(self, request, slug):
        """The same course detail, looked up by the course's URL slug."""
        return super().get(request, slug=slug)


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
        return paginator.get_paginated_response(ReviewSerializer(page, many=True).data)

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
            ReviewSerializer(review).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )
