"""What a specialist sees of their own courses. Other courses are 404."""

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.names import display_name
from api.pagination import PageNumberPagination
from api.renderers import CSVRenderer
from api.views.reviews import COURSE
from coursepages.selectors import courses_taught_by
from learning.models import Enrollment
from learning.selectors import completed_counts, live_lessons_of, percent


class SpecialistCourseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    slug = serializers.CharField()
    live = serializers.BooleanField()
    archived = serializers.BooleanField()
    learners = serializers.DictField(
        child=serializers.IntegerField(), help_text="By enrollment status."
    )
    rating = serializers.DictField()


class RosterRowSerializer(serializers.Serializer):
    enrollment = serializers.IntegerField()
    learner = serializers.CharField()
    email = serializers.EmailField()
    status = serializers.CharField()
    enrolled_at = serializers.DateTimeField()
    completed_lessons = serializers.IntegerField()
    progress_percent = serializers.IntegerField()


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
        return paginator.get_paginated_response(
            [
                {
                    "id": course.pk,
                    "title": course.title,
                    "slug": course.slug,
                    "live": course.live,
                    "archived": course.is_archived,
                    "learners": {
                        status: getattr(course, f"learners_{status}")
                        for status in Enrollment.Status.values
                    },
                    "rating": {
                        "average": f"{course.rating_average:.2f}",
                        "count": course.rating_count,
                    },
                }
                for course in page
            ]
        )


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
        total = live_lessons_of(course).count()
        done = completed_counts([enrollment.pk for enrollment in page])
        rows = [
            {
                "enrollment": enrollment.pk,
                "learner": display_name(enrollment.learner),
                "email": enrollment.learner.email,
                "status": enrollment.status,
                "enrolled_at": enrollment.created_at,
                "completed_lessons": done.get(enrollment.pk, 0),
                "progress_percent": percent(done.get(enrollment.pk, 0), total),
            }
            for enrollment in page
        ]
        if as_csv:
            filename = f"{course.slug}-roster.csv"
            return Response(
                rows, headers={"Content-Disposition": f'attachment; filename="{filename}"'}
            )
        return paginator.get_paginated_response(rows)
