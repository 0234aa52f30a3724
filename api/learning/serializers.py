"""Learner-facing shapes: enrollments and progress, lessons, quiz attempts, handed-in work,
eligibility and notifications. Each output serializer is both the documented shape and
what the view answers with."""

from collections.abc import Mapping

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.names import display_name
from api.learning.lesson_content import LessonBodyRenderer
from learning.downloads import submission_file_token
from learning.models import Notification


class EnrollInputSerializer(serializers.Serializer):
    course = serializers.IntegerField(min_value=1, max_value=2**63 - 1, help_text="Course id.")
    cohort = serializers.IntegerField(
        min_value=1,
        max_value=2**63 - 1,
        required=False,
        allow_null=True,
        help_text="Cohort id: required for a cohort-type course, refused for a self-paced one.",
    )


class ProgressSerializer(serializers.Serializer):
    # A `learning.selectors.Progress`.

    completed_lessons = serializers.IntegerField(source="done")
    total_lessons = serializers.IntegerField(source="total")
    percent = serializers.IntegerField(help_text="Of the course's current live lessons.")


class EnrolledCourseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    title = serializers.CharField()


class EnrollmentSerializer(serializers.Serializer):
    # Reads `progress`, a `learning.selectors.Progress` the view sets on each enrollment:
    # a nested field costs nothing per row, a serializer made per row several times it.

    id = serializers.IntegerField()
    status = serializers.CharField()
    created_at = serializers.DateTimeField()
    activated_at = serializers.DateTimeField(allow_null=True)
    completed_at = serializers.DateTimeField(allow_null=True)
    suspended_at = serializers.DateTimeField(
        allow_null=True, help_text="Set while a payment dispute pauses access."
    )
    course = EnrolledCourseSerializer()
    cohort = serializers.IntegerField(
        source="cohort_id", allow_null=True, help_text="The cohort, for a cohort-type course."
    )
    progress = ProgressSerializer()


class LessonProgressSerializer(serializers.Serializer):
    # Needs `completed_lessons` in its context: the ids of the lessons completed.

    id = serializers.IntegerField()
    title = serializers.CharField()
    completed = serializers.SerializerMethodField()

    def get_completed(self, lesson) -> bool:
        lesson_id = lesson["id"] if isinstance(lesson, Mapping) else lesson.pk
        return lesson_id in self.context["completed_lessons"]


class ModuleProgressSerializer(serializers.Serializer):
    # A module row of `coursepages.catalog.lesson_outline`, with its `lessons` rows.

    id = serializers.IntegerField()
    title = serializers.CharField()
    completed_lessons = serializers.SerializerMethodField()
    lessons = LessonProgressSerializer(many=True)

    def get_completed_lessons(self, module) -> int:
        done = self.context["completed_lessons"]
        return sum(lesson["id"] in done for lesson in module["lessons"])


class QuizResultSerializer(serializers.Serializer):
    quiz = serializers.CharField()
    lesson = serializers.IntegerField()
    attempts = serializers.IntegerField()
    best_score = serializers.CharField()
    passed = serializers.BooleanField()


class AssignmentResultSerializer(serializers.Serializer):
    assignment = serializers.CharField()
    title = serializers.CharField()
    lesson = serializers.IntegerField()
    submission = serializers.IntegerField()
    status = serializers.ChoiceField(choices=["submitted", "passed", "failed"])
    score = serializers.CharField(allow_null=True)
    feedback = serializers.CharField()


class EnrollmentDetailSerializer(EnrollmentSerializer):
    # Also reads `modules` (rows of `lesson_outline`, each with its `lessons`), `quizzes` and
    # `assignments` (learning.selectors.results) set on the enrollment by the view, and
    # `completed_lessons` from its context.

    modules = ModuleProgressSerializer(many=True)
    quizzes = QuizResultSerializer(many=True)
    assignments = AssignmentResultSerializer(many=True)


class ResumeSerializer(serializers.Serializer):
    lesson = LessonProgressSerializer(allow_null=True)
    reason = serializers.ChoiceField(choices=["last_touched", "first_incomplete", "all_complete"])


class CompletionSerializer(serializers.Serializer):
    # A `LessonCompletion`, with the `progress` it made set on it by the view.

    lesson = serializers.IntegerField(source="lesson_id")
    completed_at = serializers.DateTimeField()
    progress = ProgressSerializer()


class LessonBlockSerializer(serializers.Serializer):
    type = serializers.ChoiceField(
        choices=["paragraph", "image", "video", "document", "link", "quiz", "assignment"]
    )
    id = serializers.CharField(
        help_text="Stable across revisions: quizzes and assignments are addressed by it."
    )
    value = serializers.DictField(
        help_text="Depends on `type`; quizzes carry no correct choices or explanations."
    )


class LessonModuleSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()


class LessonContentSerializer(serializers.Serializer):
    # A `LessonPage`; needs `request`, `course`, `completed` and `document_token` (see
    # lesson_content.py) in its context.

    id = serializers.IntegerField()
    title = serializers.CharField()
    course = serializers.SerializerMethodField()
    module = LessonModuleSerializer(source="get_parent")
    duration_minutes = serializers.IntegerField(allow_null=True)
    is_free_preview = serializers.BooleanField()
    language = serializers.SerializerMethodField()
    text_direction = serializers.SerializerMethodField()
    completed = serializers.SerializerMethodField()
    body = serializers.SerializerMethodField()

    def get_course(self, lesson) -> int:
        return self.context["course"].pk

    def get_language(self, lesson) -> str:
        return self.context["course"].language

    def get_text_direction(self, lesson) -> str:
        return self.context["course"].text_direction

    def get_completed(self, lesson) -> bool:
        return self.context["completed"]

    @extend_schema_field(LessonBlockSerializer(many=True))
    def get_body(self, lesson):
        request, document_token = self.context["request"], self.context["document_token"]
        return LessonBodyRenderer(lesson.body.raw_data, request, document_token).render()


class QuizSubmitInputSerializer(serializers.Serializer):
    answers = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField(max_length=64), max_length=50),
        help_text="{question id: [choice id, …]}: one choice for single and true/false questions.",
    )


class QuestionFeedbackSerializer(serializers.Serializer):
    # A question as asked in an attempt; needs the attempt's `answers` in the context.

    id = serializers.CharField()
    correct = serializers.SerializerMethodField()
    chosen = serializers.SerializerMethodField()
    correct_choices = serializers.SerializerMethodField()
    explanation = serializers.CharField()

    def get_correct(self, question) -> bool:
        return set(self.get_chosen(question)) == set(self.get_correct_choices(question))

    def get_chosen(self, question) -> list[str]:
        return self.context["answers"].get(question["id"], [])

    def get_correct_choices(self, question) -> list[str]:
        return [choice["id"] for choice in question["choices"] if choice["correct"]]


class QuizAttemptSerializer(serializers.Serializer):
    # A graded attempt with per-question feedback: only ever shown after grading.
    # Needs the quiz's `attempts_allowed` in the context.

    attempt = serializers.IntegerField(source="number")
    attempts_left = serializers.SerializerMethodField(help_text="null: unlimited.")
    points = serializers.IntegerField()
    max_points = serializers.IntegerField()
    score = serializers.DecimalField(max_digits=5, decimal_places=2, coerce_to_string=True)
    pass_mark = serializers.IntegerField()
    passed = serializers.BooleanField()
    feedback = serializers.SerializerMethodField()

    def get_attempts_left(self, attempt) -> int | None:
        allowed = self.context["attempts_allowed"]
        return max(0, allowed - attempt.number) if allowed else None

    @extend_schema_field(QuestionFeedbackSerializer(many=True))
    def get_feedback(self, attempt):
        context = {"answers": attempt.answers}
        return QuestionFeedbackSerializer(attempt.questions, many=True, context=context).data


class SubmitWorkInputSerializer(serializers.Serializer):
    text = serializers.CharField(required=False, allow_blank=True, max_length=50_000)
    url = serializers.URLField(required=False, allow_blank=True, max_length=2000)
    file = serializers.FileField(required=False, help_text="multipart/form-data only.")


class CriterionSerializer(serializers.Serializer):
    id = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    max_points = serializers.IntegerField()


class SubmissionLearnerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.SerializerMethodField()

    def get_name(self, learner) -> str:
        return display_name(learner)


class SubmissionPageSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()


class SubmissionAssignmentSerializer(serializers.Serializer):
    id = serializers.CharField(source="assignment_id")
    title = serializers.CharField(source="assignment_title")


class SubmissionSerializer(serializers.Serializer):
    # Handed-in work as its learner and its grader see it; needs `request` in the context.
    # Select `enrollment__learner`, `enrollment__course` and `lesson` with it.

    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=["submitted", "passed", "failed"])
    submitted_at = serializers.DateTimeField()
    learner = SubmissionLearnerSerializer(source="enrollment.learner")
    course = SubmissionPageSerializer(source="enrollment.course")
    lesson = SubmissionPageSerializer()
    assignment = SubmissionAssignmentSerializer(source="*")
    kind = serializers.CharField()
    text = serializers.CharField()
    url = serializers.CharField()
    file_url = serializers.SerializerMethodField()
    rubric = CriterionSerializer(many=True)
    pass_mark = serializers.IntegerField()
    scores = serializers.DictField(child=serializers.IntegerField(), allow_null=True)
    points = serializers.IntegerField(allow_null=True)
    max_points = serializers.IntegerField()
    score = serializers.DecimalField(
        max_digits=5, decimal_places=2, coerce_to_string=True, allow_null=True
    )
    feedback = serializers.CharField()
    graded_at = serializers.DateTimeField(allow_null=True)

    def get_file_url(self, submission) -> str | None:
        if not submission.file:
            return None
        token = submission_file_token(submission)
        return self.context["request"].build_absolute_uri(
            reverse("api:file-download", args=[token])
        )


class CriterionStatusSerializer(serializers.Serializer):
    name = serializers.ChoiceField(choices=["lessons", "quizzes", "assignments", "attendance"])
    required = serializers.FloatField()
    current = serializers.FloatField(allow_null=True)
    met = serializers.BooleanField(
        help_text="Attendance is met only once every session has been held: until then its "
        "percent is not final."
    )
    # Attendance (cohort courses) only: the percent is one decimal, halves up.
    sessions_left = serializers.IntegerField(required=False, help_text="Attendance only.")
    max_achievable = serializers.FloatField(
        required=False,
        allow_null=True,
        help_text="Attendance only: the percent if every session left is attended.",
    )
    reachable = serializers.BooleanField(
        required=False, help_text="Attendance only: whether the minimum can still be reached."
    )


class EligibilitySerializer(serializers.Serializer):
    eligible = serializers.BooleanField()
    status = serializers.CharField(help_text="The enrollment's status; `completed` once eligible.")
    criteria = CriterionStatusSerializer(many=True)


class NotificationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=Notification.Kind.values)
    title = serializers.CharField()
    body = serializers.CharField()
    link = serializers.CharField(help_text="Where to act on it; empty when there is nowhere.")
    enrollment = serializers.IntegerField(source="enrollment_id", allow_null=True)
    created_at = serializers.DateTimeField()
    read_at = serializers.DateTimeField(allow_null=True)
