from django.urls import reverse
from rest_framework import serializers

from accounts.names import display_name
from learning.downloads import submission_file_token
from learning.models import Notification
from learning.selectors import percent


class EnrollInputSerializer(serializers.Serializer):
    course = serializers.IntegerField(min_value=1, max_value=2**63 - 1, help_text="Course id.")


class ProgressSerializer(serializers.Serializer):
    completed_lessons = serializers.IntegerField()
    total_lessons = serializers.IntegerField()
    percent = serializers.IntegerField(help_text="Of the course's current live lessons.")


class EnrolledCourseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    title = serializers.CharField()


class EnrollmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    created_at = serializers.DateTimeField()
    activated_at = serializers.DateTimeField(allow_null=True)
    completed_at = serializers.DateTimeField(allow_null=True)
    suspended_at = serializers.DateTimeField(
        allow_null=True, help_text="Set while a payment dispute pauses access."
    )
    course = EnrolledCourseSerializer()
    progress = ProgressSerializer()


class LessonProgressSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    completed = serializers.BooleanField()


class ModuleProgressSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    completed_lessons = serializers.IntegerField()
    lessons = LessonProgressSerializer(many=True)


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
    modules = ModuleProgressSerializer(many=True)
    quizzes = QuizResultSerializer(many=True)
    assignments = AssignmentResultSerializer(many=True)


class ResumeSerializer(serializers.Serializer):
    lesson = LessonProgressSerializer(allow_null=True)
    reason = serializers.ChoiceField(choices=["last_touched", "first_incomplete", "all_complete"])


class CompletionSerializer(serializers.Serializer):
    lesson = serializers.IntegerField()
    completed_at = serializers.DateTimeField()
    progress = ProgressSerializer()


def enrollment_data(enrollment, done, total):
    course = enrollment.course
    return {
        "id": enrollment.pk,
        "status": enrollment.status,
        "created_at": enrollment.created_at,
        "activated_at": enrollment.activated_at,
        "completed_at": enrollment.completed_at,
        "suspended_at": enrollment.suspended_at,
        "course": {"id": course.pk, "slug": course.slug, "title": course.title},
        "progress": progress_data(done, total),
    }


def progress_data(done, total):
    return {"completed_lessons": done, "total_lessons": total, "percent": percent(done, total)}


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


class LessonContentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    course = serializers.IntegerField()
    module = serializers.DictField()
    duration_minutes = serializers.IntegerField(allow_null=True)
    is_free_preview = serializers.BooleanField()
    language = serializers.CharField()
    text_direction = serializers.CharField()
    completed = serializers.BooleanField()
    body = LessonBlockSerializer(many=True)


class QuizSubmitInputSerializer(serializers.Serializer):
    answers = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField(max_length=64), max_length=50),
        help_text="{question id: [choice id, …]}: one choice for single and true/false questions.",
    )


class QuestionFeedbackSerializer(serializers.Serializer):
    id = serializers.CharField()
    correct = serializers.BooleanField()
    chosen = serializers.ListField(child=serializers.CharField())
    correct_choices = serializers.ListField(child=serializers.CharField())
    explanation = serializers.CharField()


class QuizAttemptSerializer(serializers.Serializer):
    attempt = serializers.IntegerField()
    attempts_left = serializers.IntegerField(allow_null=True, help_text="null: unlimited.")
    points = serializers.IntegerField()
    max_points = serializers.IntegerField()
    score = serializers.DecimalField(max_digits=5, decimal_places=2, coerce_to_string=True)
    pass_mark = serializers.IntegerField()
    passed = serializers.BooleanField()
    feedback = QuestionFeedbackSerializer(many=True)


def attempt_data(attempt, attempts_allowed):
    """A graded attempt with per-question feedback: only ever shown after grading."""
    return {
        "attempt": attempt.number,
        "attempts_left": max(0, attempts_allowed - attempt.number) if attempts_allowed else None,
        "points": attempt.points,
        "max_points": attempt.max_points,
        "score": f"{attempt.score:.2f}",
        "pass_mark": attempt.pass_mark,
        "passed": attempt.passed,
        "feedback": [
            {
                "id": question["id"],
                "correct": set(attempt.answers.get(question["id"], []))
                == {c["id"] for c in question["choices"] if c["correct"]},
                "chosen": attempt.answers.get(question["id"], []),
                "correct_choices": [c["id"] for c in question["choices"] if c["correct"]],
                "explanation": question["explanation"],
            }
            for question in attempt.questions
        ],
    }


class SubmitWorkInputSerializer(serializers.Serializer):
    text = serializers.CharField(required=False, allow_blank=True, max_length=50_000)
    url = serializers.URLField(required=False, allow_blank=True, max_length=2000)
    file = serializers.FileField(required=False, help_text="multipart/form-data only.")


class GradeInputSerializer(serializers.Serializer):
    scores = serializers.DictField(
        child=serializers.IntegerField(min_value=0, max_value=10_000),
        help_text="{criterion id: points}, every criterion of the rubric.",
    )
    feedback = serializers.CharField(required=False, allow_blank=True, max_length=20_000)


class CriterionSerializer(serializers.Serializer):
    id = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    max_points = serializers.IntegerField()


class SubmissionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=["submitted", "passed", "failed"])
    submitted_at = serializers.DateTimeField()
    learner = serializers.DictField()
    course = serializers.DictField()
    lesson = serializers.DictField()
    assignment = serializers.DictField()
    kind = serializers.CharField()
    text = serializers.CharField()
    url = serializers.CharField()
    file_url = serializers.CharField(allow_null=True)
    rubric = CriterionSerializer(many=True)
    pass_mark = serializers.IntegerField()
    scores = serializers.DictField(child=serializers.IntegerField(), allow_null=True)
    points = serializers.IntegerField(allow_null=True)
    max_points = serializers.IntegerField()
    score = serializers.CharField(allow_null=True)
    feedback = serializers.CharField()
    graded_at = serializers.DateTimeField(allow_null=True)


def submission_file_url(submission, request):
    if not submission.file:
        return None
    token = submission_file_token(submission)
    return request.build_absolute_uri(reverse("api:file-download", args=[token]))


def submission_data(submission, request):
    learner = submission.enrollment.learner
    course = submission.enrollment.course
    return {
        "id": submission.pk,
        "status": submission.status,
        "submitted_at": submission.submitted_at,
        "learner": {"id": learner.pk, "name": display_name(learner)},
        "course": {"id": course.pk, "title": course.title},
        "lesson": {"id": submission.lesson_id, "title": submission.lesson.title},
        "assignment": {"id": submission.assignment_id, "title": submission.assignment_title},
        "kind": submission.kind,
        "text": submission.text,
        "url": submission.url,
        "file_url": submission_file_url(submission, request),
        "rubric": submission.rubric,
        "pass_mark": submission.pass_mark,
        "scores": submission.scores,
        "points": submission.points,
        "max_points": submission.max_points,
        "score": f"{submission.score:.2f}" if submission.score is not None else None,
        "feedback": submission.feedback,
        "graded_at": submission.graded_at,
    }


class CriterionStatusSerializer(serializers.Serializer):
    name = serializers.ChoiceField(choices=["lessons", "quizzes", "assignments"])
    required = serializers.FloatField()
    current = serializers.FloatField(allow_null=True)
    met = serializers.BooleanField()


class EligibilitySerializer(serializers.Serializer):
    eligible = serializers.BooleanField()
    status = serializers.CharField(help_text="The enrollment's status; `completed` once eligible.")
    criteria = CriterionStatusSerializer(many=True)


class ReviewInputSerializer(serializers.Serializer):
    rating = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class ReviewSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    rating = serializers.IntegerField()
    comment = serializers.CharField()
    reviewer = serializers.CharField(help_text="First name and last initial.")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


def review_data(review):
    learner = review.learner
    initial = f" {learner.last_name[:1]}." if learner.last_name else ""
    return {
        "id": review.pk,
        "rating": review.rating,
        "comment": review.comment,
        "reviewer": f"{learner.first_name}{initial}".strip() or "A learner",
        "created_at": review.created_at,
        "updated_at": review.updated_at,
    }


class NotificationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=Notification.Kind.values)
    title = serializers.CharField()
    body = serializers.CharField()
    link = serializers.CharField(help_text="Where to act on it; empty when there is nowhere.")
    enrollment = serializers.IntegerField(allow_null=True)
    created_at = serializers.DateTimeField()
    read_at = serializers.DateTimeField(allow_null=True)


def notification_data(notification):
    return {
        "id": notification.pk,
        "kind": notification.kind,
        "title": notification.title,
        "body": notification.body,
        "link": notification.link,
        "enrollment": notification.enrollment_id,
        "created_at": notification.created_at,
        "read_at": notification.read_at,
    }
