"""Analytics as the API shows them. Every figure is defined in `analytics.definitions` (its
docstring is the reference; the README repeats it); counts are integers, rates percents with
one decimal (null when there is nothing to divide by), money decimal strings per currency."""

from datetime import timedelta

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.names import display_name
from analytics.definitions import GRANULARITIES, MAX_WINDOW_DAYS, Window, utc_today
from analytics.reports import SPECIALIST_ORDERINGS
from api.output import OutputSerializer
from commerce.money import from_minor_units
from learning.selectors import percent

DEFAULT_DAYS = 30


class WindowParamsSerializer(serializers.Serializer):
    to = serializers.DateField(
        required=False, help_text="Last UTC day, included (YYYY-MM-DD); today when left out."
    )

    def get_fields(self):
        # `from` is a Python keyword: the field is added here rather than declared.
        first = serializers.DateField(
            required=False,
            help_text=f"First UTC day, included (YYYY-MM-DD); when left out, the window is the "
            f"{DEFAULT_DAYS} days ending on `to`. At most {MAX_WINDOW_DAYS} days, both ends included.",
        )
        return {"from": first, **super().get_fields()}

    def validate(self, attrs):
        last = attrs.get("to") or utc_today()
        first = attrs.get("from") or last - timedelta(days=DEFAULT_DAYS - 1)
        if first > last:
            raise serializers.ValidationError({"from": f"`from` ({first}) is after `to` ({last})."})
        window = Window(first, last)
        if window.days > MAX_WINDOW_DAYS:
            raise serializers.ValidationError(
                {
                    "to": f"The range spans {window.days} days; at most {MAX_WINDOW_DAYS} are allowed."
                }
            )
        return {**attrs, "window": window}


class CourseParamsSerializer(WindowParamsSerializer):
    granularity = serializers.ChoiceField(
        choices=GRANULARITIES,
        default="day",
        help_text="The series' buckets: UTC days, ISO weeks (from Monday) or calendar months.",
    )


class SpecialistParamsSerializer(WindowParamsSerializer):
    ordering = serializers.ChoiceField(
        choices=SPECIALIST_ORDERINGS,
        default="new_enrollments",
        help_text="Courses ranked by this figure, highest first.",
    )


def rate_field(help_text):
    return serializers.DecimalField(
        max_digits=4,
        decimal_places=1,
        coerce_to_string=False,
        allow_null=True,
        help_text=f"Percent, one decimal, halves up; null when nothing to divide by. {help_text}",
    )


class PeriodSerializer(OutputSerializer):
    first = serializers.DateField()
    last = serializers.DateField()
    days = serializers.IntegerField()


class ComparedCountSerializer(OutputSerializer):
    value = serializers.IntegerField(help_text="In the window.")
    previous = serializers.IntegerField(help_text="In the previous period of the same length.")


class ComparedRateSerializer(OutputSerializer):
    value = rate_field("In the window.")
    previous = rate_field("In the previous period.")


@extend_schema_field(OpenApiTypes.STR)
class AmountField(serializers.Field):
    """A minor-unit amount of the row's `currency`, as a decimal string ("7475.00")."""

    def __init__(self, **kwargs):
        super().__init__(source="*", **kwargs)

    def to_representation(self, figures):
        return str(from_minor_units(figures[self.field_name], figures["currency"]))


class MoneyFiguresSerializer(OutputSerializer):
    currency = serializers.CharField(help_text="ISO 4217; amounts are never converted.")
    gross = AmountField(help_text="Sales.")
    refunds = AmountField(help_text="Given back to learners.")
    fees = AmountField(help_text="The platform's commission, less what refunds reversed.")
    net = AmountField(help_text="The specialist's share, less what refunds reversed.")
    sales = serializers.IntegerField()
    refund_count = serializers.IntegerField()
    refund_rate = rate_field("Refunds ÷ sales.")


class RevenueSerializer(MoneyFiguresSerializer):
    previous = MoneyFiguresSerializer(help_text="The previous period.")


class RevenueBucketSerializer(MoneyFiguresSerializer):
    period_start = serializers.DateField()


class CourseTotalsSerializer(OutputSerializer):
    new_enrollments = ComparedCountSerializer(help_text="Enrollments activated.")
    enrolled = ComparedCountSerializer(
        help_text="Enrollments activated in the period that still give access: the base of "
        "the completion rates."
    )
    completions = ComparedCountSerializer(help_text="Enrollments completed.")
    lesson_completions = ComparedCountSerializer()
    active_learners = ComparedCountSerializer(
        help_text="Distinct learners with a lesson completion, quiz attempt or submission."
    )
    quiz_attempts = ComparedCountSerializer()
    quiz_passes = ComparedCountSerializer(help_text="Attempts that passed.")
    assignment_submissions = ComparedCountSerializer()
    assignment_gradings = ComparedCountSerializer()
    new_reviews = ComparedCountSerializer()
    completion_rate = ComparedRateSerializer(
        help_text="Of the period's enrolled, those completed by now."
    )
    completion_rate_of_starters = ComparedRateSerializer(
        help_text="Of the period's enrolled who completed a lesson, those completed by now."
    )
    quiz_pass_rate = ComparedRateSerializer(
        help_text="Learners with a passing attempt ÷ learners who attempted."
    )


class LearnersSerializer(OutputSerializer):
    learners = serializers.IntegerField(help_text="Enrollments giving access now.")
    completed = serializers.IntegerField()
    started = serializers.IntegerField(help_text="With at least one lesson completion.")
    completion_rate = rate_field("Completed ÷ learners.")
    completion_rate_of_starters = rate_field("Completed ÷ started.")
    average_progress = rate_field("Live lessons completed ÷ (learners × live lessons).")
    at_risk = serializers.IntegerField(
        help_text="Not completed, acted before, no action in the last 7 days."
    )


class SeriesBucketSerializer(OutputSerializer):
    period_start = serializers.DateField(help_text="The bucket's first day (Monday, the 1st).")
    new_enrollments = serializers.IntegerField()
    completions = serializers.IntegerField()
    lesson_completions = serializers.IntegerField()
    quiz_attempts = serializers.IntegerField()
    quiz_passes = serializers.IntegerField()
    assignment_submissions = serializers.IntegerField()
    assignment_gradings = serializers.IntegerField()
    active_learners = serializers.IntegerField(help_text="Distinct in the bucket.")


class FunnelLessonSerializer(OutputSerializer):
    lesson = serializers.IntegerField()
    title = serializers.CharField()
    position = serializers.IntegerField()
    reached = serializers.IntegerField(help_text="Learners who completed this lesson.")
    drop_off = rate_field("1 − reached ÷ the previous lesson's reached; null for the first.")


class FunnelSerializer(OutputSerializer):
    lessons = FunnelLessonSerializer(many=True)
    steepest_drop_lesson = serializers.IntegerField(
        allow_null=True, help_text="The lesson with the largest drop-off, if any."
    )


class QuizFiguresSerializer(OutputSerializer):
    quiz_id = serializers.CharField()
    lesson = serializers.IntegerField()
    lesson_title = serializers.CharField()
    learners = serializers.IntegerField(help_text="Learners who attempted in the window.")
    learners_passed = serializers.IntegerField()
    pass_rate = rate_field("Learners passed ÷ learners.")
    attempts = serializers.IntegerField()
    first_attempt_pass_rate = rate_field("Passing first attempts ÷ first attempts.")


class AssignmentFiguresSerializer(OutputSerializer):
    submitted = ComparedCountSerializer()
    graded = ComparedCountSerializer()
    waiting = serializers.IntegerField(help_text="Waiting for grading now (the backlog).")


class RatingSummarySerializer(OutputSerializer):
    average = serializers.DecimalField(max_digits=3, decimal_places=2, help_text="1 to 5.")
    count = serializers.IntegerField()


class RatingsSerializer(RatingSummarySerializer):
    new = ComparedCountSerializer(help_text="Reviews written.")


class CohortFiguresSerializer(OutputSerializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    status = serializers.CharField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    learners = serializers.IntegerField()
    completed = serializers.IntegerField()
    completion_rate = rate_field("Completed ÷ learners.")
    certificates_issued = serializers.IntegerField(help_text="Valid certificates.")
    sessions_held = serializers.IntegerField()
    average_attendance = rate_field(
        "Learner-sessions attended (present or late) ÷ (held sessions × learners − excused)."
    )


class CourseRefSerializer(OutputSerializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    slug = serializers.CharField()


class WindowedSerializer(OutputSerializer):
    window = PeriodSerializer(help_text="UTC days, both included.")
    previous = PeriodSerializer(help_text="The same number of days just before.")


class CourseAnalyticsSerializer(WindowedSerializer):
    course = CourseRefSerializer()
    granularity = serializers.CharField()
    totals = CourseTotalsSerializer()
    learners = LearnersSerializer(help_text="The course as it is now.")
    series = SeriesBucketSerializer(many=True)
    funnel = FunnelSerializer(help_text="Current learners, live lessons in course order.")
    quizzes = QuizFiguresSerializer(many=True, help_text="Attempts in the window.")
    assignments = AssignmentFiguresSerializer()
    revenue = RevenueSerializer(many=True, help_text="Per currency.")
    revenue_series = RevenueBucketSerializer(many=True)
    ratings = RatingsSerializer()
    cohorts = CohortFiguresSerializer(many=True, help_text="Cohort-type courses only.")


class SessionAttendanceFiguresSerializer(OutputSerializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    starts_at = serializers.DateTimeField()
    status = serializers.CharField()
    held = serializers.BooleanField(help_text="Scheduled and ended.")
    attended = serializers.IntegerField(allow_null=True, help_text="Present or late.")
    late = serializers.IntegerField(allow_null=True)
    excused = serializers.IntegerField(allow_null=True)
    absent = serializers.IntegerField(allow_null=True, help_text="Learners − excused − attended.")
    attendance_rate = rate_field("Attended ÷ (learners − excused); null until held.")


class CohortAssignmentsSerializer(OutputSerializer):
    submitted = serializers.IntegerField()
    graded = serializers.IntegerField()
    waiting = serializers.IntegerField()


class CohortAnalyticsSerializer(CohortFiguresSerializer):
    course = CourseRefSerializer(source="cohort.course")
    sessions = SessionAttendanceFiguresSerializer(many=True)
    assignments = CohortAssignmentsSerializer(help_text="Work handed in by current learners.")


class SpecialistCourseRowSerializer(OutputSerializer):
    course = CourseRefSerializer()
    learners = serializers.IntegerField()
    completion_rate = rate_field("Completed ÷ learners, now.")
    rating = RatingSummarySerializer()
    at_risk = serializers.IntegerField()
    submissions_waiting = serializers.IntegerField()
    new_enrollments = ComparedCountSerializer()
    completions = ComparedCountSerializer()
    active_learners = ComparedCountSerializer()
    revenue = RevenueSerializer(many=True)


class SpecialistTotalsSerializer(OutputSerializer):
    new_enrollments = ComparedCountSerializer()
    completions = ComparedCountSerializer()
    lesson_completions = ComparedCountSerializer()
    active_learners = ComparedCountSerializer(help_text="A learner in two courses counts once.")
    learners = serializers.IntegerField()
    at_risk = serializers.IntegerField()
    submissions_waiting = serializers.IntegerField()


class SpecialistAnalyticsSerializer(WindowedSerializer):
    ordering = serializers.CharField()
    totals = SpecialistTotalsSerializer()
    revenue = RevenueSerializer(many=True)
    courses = SpecialistCourseRowSerializer(many=True)


class AtRiskLearnerSerializer(OutputSerializer):
    # An `Enrollment` from `at_risk_learners`; needs `completed` ({enrollment id: lessons}) and
    # `total` (the course's live lessons) in the context.

    enrollment = serializers.IntegerField(source="pk")
    learner = serializers.SerializerMethodField()
    email = serializers.EmailField(source="learner.email")
    enrolled_at = serializers.DateTimeField(source="activated_at")
    last_active_at = serializers.DateTimeField()
    progress_percent = serializers.SerializerMethodField()

    def get_learner(self, enrollment) -> str:
        return display_name(enrollment.learner)

    def get_progress_percent(self, enrollment) -> int:
        return percent(self.context["completed"].get(enrollment.pk, 0), self.context["total"])


class PlatformTotalsSerializer(OutputSerializer):
    new_enrollments = ComparedCountSerializer()
    completions = ComparedCountSerializer()
    lesson_completions = ComparedCountSerializer()
    active_learners = ComparedCountSerializer()
    new_learners = ComparedCountSerializer(
        help_text="Learners whose first enrollment was activated."
    )


class TopCourseSerializer(OutputSerializer):
    course_id = serializers.IntegerField()
    title = serializers.CharField()
    new_enrollments = serializers.IntegerField()
    completions = serializers.IntegerField()
    lesson_completions = serializers.IntegerField()
    quiz_attempts = serializers.IntegerField()
    assignment_submissions = serializers.IntegerField()


class CourseRevenueSerializer(MoneyFiguresSerializer):
    course_id = serializers.IntegerField()
    title = serializers.CharField()


class SpecialistRevenueSerializer(MoneyFiguresSerializer):
    specialist_id = serializers.IntegerField()
    name = serializers.CharField()


class PlatformAnalyticsSerializer(WindowedSerializer):
    totals = PlatformTotalsSerializer()
    revenue = RevenueSerializer(many=True, help_text="Fees are the commission the platform earned.")
    top_courses = TopCourseSerializer(many=True, help_text="By new enrollments.")
    revenue_by_course = CourseRevenueSerializer(
        many=True, help_text="Top 10 per currency by gross."
    )
    revenue_by_specialist = SpecialistRevenueSerializer(
        many=True, help_text="Top 10 per currency by gross."
    )
