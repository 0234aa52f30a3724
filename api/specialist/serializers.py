"""What a specialist sees of their own courses: headline numbers, the roster, the grading
queue (submissions use the learner-facing `SubmissionSerializer`: the same fields)."""

from rest_framework import serializers

from accounts.names import display_name
from learning.models import AssignmentSubmission, Enrollment
from learning.selectors import percent


class CourseRatingSerializer(serializers.Serializer):
    average = serializers.DecimalField(
        max_digits=3, decimal_places=2, coerce_to_string=True, source="rating_average"
    )
    count = serializers.IntegerField(source="rating_count")


class SpecialistCourseSerializer(serializers.Serializer):
    # A `CoursePage` annotated with `learners_<status>` counts.

    id = serializers.IntegerField()
    title = serializers.CharField()
    slug = serializers.CharField()
    live = serializers.BooleanField()
    archived = serializers.BooleanField(source="is_archived")
    learners = serializers.SerializerMethodField(help_text="By enrollment status.")
    rating = CourseRatingSerializer(source="*")

    def get_learners(self, course) -> dict[str, int]:
        return {
            status: getattr(course, f"learners_{status}") for status in Enrollment.Status.values
        }


class RosterRowSerializer(serializers.Serializer):
    # An `Enrollment` with its learner; needs `completed` ({enrollment id: lessons}) and
    # `total` (the course's live lessons) in the context.

    enrollment = serializers.IntegerField(source="pk")
    learner = serializers.SerializerMethodField()
    email = serializers.EmailField(source="learner.email")
    status = serializers.CharField()
    enrolled_at = serializers.DateTimeField(source="created_at")
    completed_lessons = serializers.SerializerMethodField()
    progress_percent = serializers.SerializerMethodField()

    def get_learner(self, enrollment) -> str:
        return display_name(enrollment.learner)

    def get_completed_lessons(self, enrollment) -> int:
        return self.context["completed"].get(enrollment.pk, 0)

    def get_progress_percent(self, enrollment) -> int:
        return percent(self.get_completed_lessons(enrollment), self.context["total"])


class QueueParamsSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=AssignmentSubmission.Status.values, required=False, help_text="e.g. submitted"
    )


class GradeInputSerializer(serializers.Serializer):
    scores = serializers.DictField(
        child=serializers.IntegerField(min_value=0, max_value=10_000),
        help_text="{criterion id: points}, every criterion of the rubric.",
    )
    feedback = serializers.CharField(required=False, allow_blank=True, max_length=20_000)
