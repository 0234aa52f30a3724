"""What a learner does in a course: enrollments and progress, lessons and previews, quizzes,
handed-in work, eligibility, notifications, and the signed file links the API hands out.
Other people's enrollments are 404."""

import mimetypes
from functools import partial

from django.http import FileResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from api.idempotency import idempotent
from api.learning.serializers import (
    CompletionSerializer,
    EligibilitySerializer,
    EnrollInputSerializer,
    EnrollmentDetailSerializer,
    EnrollmentSerializer,
    LessonContentSerializer,
    NotificationSerializer,
    QuizAttemptSerializer,
    QuizSubmitInputSerializer,
    ResumeSerializer,
    SubmissionSerializer,
    SubmitWorkInputSerializer,
)
from api.pagination import PageNumberPagination
from api.parameters import ID, IDEMPOTENCY_KEY, LESSON, TOKEN
from api.renderers import FileRenderer, require_acceptable
from coursepages.catalog import lesson_outline, published_courses
from coursepages.models import CoursePage
from learning.downloads import download_for, lesson_document_token, preview_document_token
from learning.models import Enrollment, Notification
from learning.selectors import (
    COURSE_PATH_LENGTH,
    Progress,
    assignment_results,
    cohorts_visible_to,
    completed_counts,
    enrollment_of_learner,
    lesson_to_resume,
    lesson_totals,
    live_lessons,
    live_lessons_of,
    quiz_results,
)
from learning.services import (
    assignment_submit,
    enrollment_check_completion,
    enrollment_create,
    lesson_complete,
    lesson_touch,
    notification_mark_read,
    quiz_attempt_submit,
    require_open,
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
        for enrollment in enrollments:
            enrollment.progress = Progress(
                done.get(enrollment.pk, 0), totals.get(enrollment.course.path, 0)
            )
        return paginator.get_paginated_response(EnrollmentSerializer(enrollments, many=True).data)

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
        cohort = None
        if (cohort_id := data.validated_data.get("cohort")) is not None:
            cohort = cohorts_visible_to(request.user).filter(pk=cohort_id).first()
            if cohort is None:
                raise ValidationError({"cohort": ["No open cohort with this id."]})
        enrollment = enrollment_create(learner=request.user, course=course, cohort=cohort)
        enrollment.progress = Progress(0, live_lessons_of(course).count())
        return Response(EnrollmentSerializer(enrollment).data, status=status.HTTP_201_CREATED)


class EnrollmentDetailView(APIView):
    @extend_schema(parameters=[ID], responses={200: EnrollmentDetailSerializer})
    def get(self, request, pk):
        """Progress per module and lesson."""
        enrollment = enrollment_of_learner(learner=request.user, pk=pk)
        course = enrollment.course
        outline = lesson_outline(path=course.path, depth=course.depth)
        done = set(enrollment.completions.values_list("lesson_id", flat=True))
        lesson_ids = [lesson["id"] for _, lessons in outline for lesson in lessons]
        enrollment.progress = Progress(
            sum(lesson in done for lesson in lesson_ids), len(lesson_ids)
        )
        enrollment.modules = [{**module, "lessons": lessons} for module, lessons in outline]
        enrollment.quizzes = quiz_results(enrollment)
        enrollment.assignments = assignment_results(enrollment)
        return Response(
            EnrollmentDetailSerializer(enrollment, context={"completed_lessons": done}).data
        )


class LessonCompleteView(APIView):
    problem_statuses = {"403"}

    @extend_schema(parameters=[ID, LESSON], request=None, responses={200: CompletionSerializer})
    def post(self, request, pk, lesson):
        """Mark a lesson complete. Doing it again is harmless and answers the same."""
        enrollment = enrollment_of_learner(learner=request.user, pk=pk)
        lesson_page = get_object_or_404(live_lessons_of(enrollment.course), pk=lesson)
        completion, progress = lesson_complete(enrollment=enrollment, lesson=lesson_page)
        completion.progress = progress
        return Response(CompletionSerializer(completion).data)


class ResumeView(APIView):
    @extend_schema(parameters=[ID], responses={200: ResumeSerializer})
    def get(self, request, pk):
        """The lesson to continue with: the last one touched, else the first not completed."""
        enrollment = enrollment_of_learner(learner=request.user, pk=pk)
        lesson, reason = lesson_to_resume(enrollment=enrollment)
        completed = set()
        if lesson is not None:
            completed = set(
                enrollment.completions.filter(lesson=lesson).values_list("lesson_id", flat=True)
            )
        return Response(
            ResumeSerializer(
                {"lesson": lesson, "reason": reason}, context={"completed_lessons": completed}
            ).data
        )


class LessonView(APIView):
    problem_statuses = {"403"}

    @extend_schema(parameters=[ID, LESSON], responses={200: LessonContentSerializer})
    def get(self, request, pk, lesson):
        """A lesson's content for its enrolled learner; quizzes come without answers."""
        enrollment = enrollment_of_learner(learner=request.user, pk=pk)
        lesson_page = get_object_or_404(live_lessons_of(enrollment.course), pk=lesson)
        if not lesson_page.is_free_preview:
            require_open(enrollment=enrollment, lesson=lesson_page)
        if enrollment.grants_access:
            lesson_touch(enrollment=enrollment, lesson=lesson_page)
        context = {
            "request": request,
            "course": enrollment.course,
            "completed": enrollment.completions.filter(lesson=lesson_page).exists(),
            "document_token": partial(
                lesson_document_token, enrollment_id=enrollment.pk, lesson_id=lesson_page.pk
            ),
        }
        return Response(LessonContentSerializer(lesson_page, context=context).data)


class LessonPreviewView(APIView):
    @extend_schema(parameters=[LESSON], responses={200: LessonContentSerializer})
    def get(self, request, lesson):
        """A free-preview lesson of a published course, for anyone signed in."""
        lesson_page = get_object_or_404(live_lessons(), pk=lesson, is_free_preview=True)
        course = get_object_or_404(published_courses(), path=lesson_page.path[:COURSE_PATH_LENGTH])
        context = {
            "request": request,
            "course": course,
            "completed": False,
            "document_token": partial(preview_document_token, lesson_id=lesson_page.pk),
        }
        return Response(LessonContentSerializer(lesson_page, context=context).data)


class QuizSubmitView(APIView):
    problem_statuses = {"403", "409"}

    @extend_schema(
        parameters=[ID, OpenApiParameter("quiz", OpenApiTypes.STR, OpenApiParameter.PATH)],
        request=QuizSubmitInputSerializer,
        responses={201: QuizAttemptSerializer},
    )
    def post(self, request, pk, quiz):
        """Submit answers: the attempt is graded at once and the feedback comes with it."""
        enrollment = enrollment_of_learner(learner=request.user, pk=pk)
        data = QuizSubmitInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        attempt = quiz_attempt_submit(
            enrollment=enrollment, quiz_id=quiz, answers=data.validated_data["answers"]
        )
        allowed = attempt.lesson.find_block("quiz", quiz).value["attempts_allowed"]
        return Response(
            QuizAttemptSerializer(attempt, context={"attempts_allowed": allowed}).data,
            status=status.HTTP_201_CREATED,
        )


class SubmitWorkView(APIView):
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
        enrollment = enrollment_of_learner(learner=request.user, pk=pk)
        data = SubmitWorkInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        submission = assignment_submit(
            enrollment=enrollment, assignment_id=assignment, **data.validated_data
        )
        return Response(
            SubmissionSerializer(submission, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class EligibilityView(APIView):
    @extend_schema(parameters=[ID], responses={200: EligibilitySerializer})
    def get(self, request, pk):
        """Certificate eligibility, criterion by criterion, against the course as it is now."""
        enrollment, eligible, criteria = enrollment_check_completion(
            enrollment_of_learner(learner=request.user, pk=pk)
        )
        # The criteria come from enrollment_check_completion as plain values, so whole
        # numbers stay whole (a serializer's FloatField would make 80 into 80.0).
        return Response({"eligible": eligible, "status": enrollment.status, "criteria": criteria})


class NotificationParamsSerializer(serializers.Serializer):
    unread = serializers.BooleanField(required=False, help_text="true: unread only.")


class NotificationListView(APIView):
    pagination_class = PageNumberPagination

    @extend_schema(
        parameters=[NotificationParamsSerializer],
        responses={200: NotificationSerializer(many=True)},
    )
    def get(self, request):
        """My notifications, newest first."""
        params = NotificationParamsSerializer(data=request.query_params)
        if not params.is_valid():
            raise ValidationError(params.errors)
        notifications = Notification.objects.filter(user=request.user)
        if params.validated_data.get("unread"):
            notifications = notifications.filter(read_at__isnull=True)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(notifications, request, self)
        return paginator.get_paginated_response(NotificationSerializer(page, many=True).data)


class NotificationReadView(APIView):
    @extend_schema(parameters=[ID], request=None, responses={200: NotificationSerializer})
    def post(self, request, pk):
        """Mark a notification read; again is harmless."""
        notification = get_object_or_404(Notification, pk=pk, user=request.user)
        return Response(
            NotificationSerializer(notification_mark_read(notification=notification)).data
        )


# Types a browser may show in place; anything else (HTML above all) is downloaded.
INLINE_TYPES = {
    "application/pdf",
    "text/vtt",
    "text/plain",
    "image/png",
    "image/jpeg",
    "video/mp4",
    "video/quicktime",
    "video/webm",
}


def _is_local(field_file):
    try:
        field_file.path  # noqa: B018 - storages without local files raise here
    except NotImplementedError:
        return False
    return True


class FileDownloadView(APIView):
    authentication_classes = []  # the signed link is the credential
    permission_classes = [AllowAny]
    problem_statuses = {"403", "406", "410"}
    renderer_classes = [FileRenderer]

    @extend_schema(
        parameters=[TOKEN],
        responses={
            (200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY),
            302: OpenApiResponse(
                description="Redirect to the file in remote storage, or to a recording's page."
            ),
        },
    )
    def get(self, request, token):
        """A lesson document, caption track, handed-in file or session recording, from a link
        the API gave out."""
        download = download_for(token)
        if download.redirect_url:  # a recording kept elsewhere
            return HttpResponseRedirect(download.redirect_url)
        if not _is_local(download.file):  # remote storage signs its own short-lived URL
            return HttpResponseRedirect(download.file.url)
        content_type = mimetypes.guess_type(download.filename)[0] or "application/octet-stream"
        require_acceptable(request, content_type)
        response = FileResponse(
            download.file.open("rb"),
            as_attachment=content_type not in INLINE_TYPES,
            filename=download.filename,
            content_type=content_type,
        )
        response["Cache-Control"] = "private, max-age=3600"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        return response
