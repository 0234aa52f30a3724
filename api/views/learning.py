"""Enrollments and progress for the signed-in learner. Other people's enrollments are 404."""

from functools import partial

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from api.idempotency import idempotent
from api.pagination import PageNumberPagination
from api.serializers.learning import (
    CompletionSerializer,
    EligibilitySerializer,
    EnrollInputSerializer,
    EnrollmentDetailSerializer,
    EnrollmentSerializer,
    LessonContentSerializer,
    QuizAttemptSerializer,
    QuizSubmitInputSerializer,
    ResumeSerializer,
    attempt_data,
    enrollment_data,
    progress_data,
)
from api.serializers.lesson_content import LessonBodyRenderer
from coursepages.catalog import lesson_outline, published_courses
from coursepages.models import CoursePage
from learning.downloads import lesson_document_token, preview_document_token
from learning.models import Enrollment
from learning.selectors import (
    COURSE_PATH_LENGTH,
    assignment_results,
    completed_counts,
    lesson_to_resume,
    lesson_totals,
    live_lessons,
    live_lessons_of,
    quiz_results,
)
from learning.services import (
    enrollment_check_completion,
    enrollment_create,
    lesson_complete,
    lesson_touch,
    quiz_attempt_submit,
    require_open,
)

ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="Send the same key to retry safely: the first answer is replayed.",
)
LESSON = OpenApiParameter("lesson", OpenApiTypes.INT, OpenApiParameter.PATH)


class LearnerEnrollmentMixin:
    def get_enrollment(self, pk):
        return get_object_or_404(
            Enrollment.objects.select_related("course"), pk=pk, learner=self.request.user
        )


class EnrollmentListView(APIView):
    pagination_class = PageNumberPagination
    problem_statuses = {"404", "409", "422"}

    @extend_schema(responses={200: EnrollmentSerializer(many=True)})
    def get(self, request):
        """My enrollments, newest first, each with its progress."""
        paginator = self.pagination_class()
        enrollments = paginator.paginate_queryset(
            Enrollment.objects.filter(learner=request.user).select_related("course"), request, self
        )
        totals = lesson_totals({e.course.path for e in enrollments})
        done = completed_counts([e.pk for e in enrollments])
        return paginator.get_paginated_response(
            [
                enrollment_data(e, done.get(e.pk, 0), totals.get(e.course.path, 0))
                for e in enrollments
            ]
        )

    @extend_schema(
        request=EnrollInputSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={201: EnrollmentSerializer},
    )
    @idempotent
    def post(self, request):
        """Enroll in a course: free courses are active at once, paid ones await payment."""
        data = EnrollInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        course = CoursePage.objects.filter(pk=data.validated_data["course"], live=True).first()
        if course is None:
            raise ValidationError({"course": ["No published course with this id."]})
        enrollment = enrollment_create(learner=request.user, course=course)
        total = live_lessons_of(course).count()
        return Response(enrollment_data(enrollment, 0, total), status=status.HTTP_201_CREATED)


class EnrollmentDetailView(LearnerEnrollmentMixin, APIView):
    @extend_schema(parameters=[ID], responses={200: EnrollmentDetailSerializer})
    def get(self, request, pk):
        """Progress per module and lesson."""
        enrollment = self.get_enrollment(pk)
        course = enrollment.course
        outline = lesson_outline(path=course.path, depth=course.depth)
        done = set(enrollment.completions.values_list("lesson_id", flat=True))
        modules = [
            {
                "id": module["id"],
                "title": module["title"],
                "completed_lessons": sum(lesson["id"] in done for lesson in lessons),
                "lessons": [
                    {"id": row["id"], "title": row["title"], "completed": row["id"] in done}
                    for row in lessons
                ],
            }
            for module, lessons in outline
        ]
        completed = sum(module["completed_lessons"] for module in modules)
        total = sum(len(module["lessons"]) for module in modules)
        return Response(
            {
                **enrollment_data(enrollment, completed, total),
                "modules": modules,
                "quizzes": quiz_results(enrollment),
                "assignments": assignment_results(enrollment),
            }
        )


class LessonCompleteView(LearnerEnrollmentMixin, APIView):
    problem_statuses = {"403"}

    @extend_schema(parameters=[ID, LESSON], request=None, responses={200: CompletionSerializer})
    def post(self, request, pk, lesson):
        """Mark a lesson complete. Doing it again is harmless and answers the same."""
        enrollment = self.get_enrollment(pk)
        lesson_page = get_object_or_404(live_lessons_of(enrollment.course), pk=lesson)
        completion, progress = lesson_complete(enrollment=enrollment, lesson=lesson_page)
        return Response(
            {
                "lesson": lesson_page.pk,
                "completed_at": completion.completed_at,
                "progress": progress_data(*progress),
            }
        )


class ResumeView(LearnerEnrollmentMixin, APIView):
    @extend_schema(parameters=[ID], responses={200: ResumeSerializer})
    def get(self, request, pk):
        """The lesson to continue with: the last one touched, else the first not completed."""
        enrollment = self.get_enrollment(pk)
        lesson, reason = lesson_to_resume(enrollment=enrollment)
        payload = None
        if lesson is not None:
            completed = enrollment.completions.filter(lesson=lesson).exists()
            payload = {"id": lesson.pk, "title": lesson.title, "completed": completed}
        return Response({"lesson": payload, "reason": reason})


def lesson_content(lesson, course, request, completed, document_token):
    module = lesson.get_parent()
    return {
        "id": lesson.pk,
        "title": lesson.title,
        "course": course.pk,
        "module": {"id": module.pk, "title": module.title},
        "duration_minutes": lesson.duration_minutes,
        "is_free_preview": lesson.is_free_preview,
        "language": course.language,
        "text_direction": course.text_direction,
        "completed": completed,
        "body": LessonBodyRenderer(lesson.body.raw_data, request, document_token).render(),
    }


class LessonView(LearnerEnrollmentMixin, APIView):
    problem_statuses = {"403"}

    @extend_schema(parameters=[ID, LESSON], responses={200: LessonContentSerializer})
    def get(self, request, pk, lesson):
        """A lesson's content for its enrolled learner; quizzes come without answers."""
        enrollment = self.get_enrollment(pk)
        lesson_page = get_object_or_404(live_lessons_of(enrollment.course), pk=lesson)
        if not lesson_page.is_free_preview:
            require_open(enrollment=enrollment, lesson=lesson_page)
        if enrollment.grants_access:
            lesson_touch(enrollment=enrollment, lesson=lesson_page)
        completed = enrollment.completions.filter(lesson=lesson_page).exists()
        document_token = partial(
            lesson_document_token, enrollment_id=enrollment.pk, lesson_id=lesson_page.pk
        )
        return Response(
            lesson_content(lesson_page, enrollment.course, request, completed, document_token)
        )


class LessonPreviewView(APIView):
    @extend_schema(parameters=[LESSON], responses={200: LessonContentSerializer})
    def get(self, request, lesson):
        """A free-preview lesson of a published course, for anyone signed in."""
        lesson_page = get_object_or_404(live_lessons(), pk=lesson, is_free_preview=True)
        course = get_object_or_404(published_courses(), path=lesson_page.path[:COURSE_PATH_LENGTH])
        document_token = partial(preview_document_token, lesson_id=lesson_page.pk)
        return Response(lesson_content(lesson_page, course, request, False, document_token))


class QuizSubmitView(LearnerEnrollmentMixin, APIView):
    problem_statuses = {"403", "409"}

    @extend_schema(
        parameters=[ID, OpenApiParameter("quiz", OpenApiTypes.STR, OpenApiParameter.PATH)],
        request=QuizSubmitInputSerializer,
        responses={201: QuizAttemptSerializer},
    )
    def post(self, request, pk, quiz):
        """Submit answers: the attempt is graded at once and the feedback comes with it."""
        enrollment = self.get_enrollment(pk)
        data = QuizSubmitInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        attempt = quiz_attempt_submit(
            enrollment=enrollment, quiz_id=quiz, answers=data.validated_data["answers"]
        )
        allowed = attempt.lesson.find_block("quiz", quiz).value["attempts_allowed"]
        return Response(attempt_data(attempt, allowed), status=status.HTTP_201_CREATED)


class EligibilityView(LearnerEnrollmentMixin, APIView):
    @extend_schema(parameters=[ID], responses={200: EligibilitySerializer})
    def get(self, request, pk):
        """Certificate eligibility, criterion by criterion, against the course as it is now."""
        enrollment, eligible, criteria = enrollment_check_completion(self.get_enrollment(pk))
        return Response({"eligible": eligible, "status": enrollment.status, "criteria": criteria})
