"""The specialist's side of cohorts: my batches, creating and editing one, and its roster.

Cohorts of courses the caller does not teach are 404 (their open ones stay readable by
everyone through the public detail); creating a batch of such a course is 403.
"""

from django.shortcuts import get_object_or_404
from django.utils.text import slugify
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from api.cohorts.serializers import CohortSerializer
from api.cohorts.views import CohortDetailView
from api.money import MoneySerializer, money_from_decimal
from api.pagination import PageNumberPagination
from api.parameters import ID
from api.renderers import CSVRenderer
from api.specialist.serializers import RosterRowSerializer
from coursepages.models import CoursePage
from learning.models import Cohort, Enrollment, MeetingProviderName
from learning.selectors import cohorts_managed_by, completed_counts, live_lessons_of
from learning.services import cohort_create, cohort_update


class SpecialistCohortSerializer(CohortSerializer):
    """The public cohort, with what only its specialist sees."""

    status = serializers.ChoiceField(choices=Cohort.Status.choices)
    seats_taken = serializers.IntegerField(help_text="Enrolled learners and held seats.")
    own_price = serializers.SerializerMethodField(
        help_text="The cohort's own price (what `price` in a request sets); null when it uses "
        "the course's."
    )
    meeting_provider = serializers.ChoiceField(
        choices=MeetingProviderName.choices,
        help_text="Where the cohort's live sessions are held (a session may choose another).",
    )
    created_at = serializers.DateTimeField()

    @extend_schema_field(MoneySerializer(allow_null=True))
    def get_own_price(self, cohort):
        if cohort.price is None:
            return None
        return money_from_decimal(cohort.price, cohort.course.currency)


class CohortChangesSerializer(serializers.Serializer):
    """What a specialist may change on a cohort (`PATCH` sends any of these)."""

    name = serializers.CharField(max_length=120)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    timezone = serializers.CharField(
        max_length=64, help_text="IANA time zone, e.g. America/New_York."
    )
    capacity = serializers.IntegerField(
        min_value=1, max_value=100_000, help_text="Never below the seats taken."
    )
    enrollment_deadline = serializers.DateTimeField(
        help_text="The instant enrollment closes: in the future, on or before the last day."
    )
    price = serializers.DecimalField(
        max_digits=9,
        decimal_places=2,
        min_value=0,
        allow_null=True,
        help_text="Overrides the course's price; null uses the course's.",
    )
    status = serializers.ChoiceField(
        choices=Cohort.Status.choices,
        help_text="draft → open ⇄ closed → completed; cancelled from any but completed, "
        "once no learner holds a place.",
    )
    meeting_provider = serializers.ChoiceField(
        choices=MeetingProviderName.choices,
        help_text="Where its live sessions are held; only providers whose credentials are set "
        "are accepted. A change moves the upcoming sessions that follow the cohort.",
    )


class CohortCreateSerializer(CohortChangesSerializer):
    course = serializers.IntegerField(
        min_value=1, max_value=2**63 - 1, help_text="A cohort-type course you teach (its id)."
    )
    price = serializers.DecimalField(
        max_digits=9,
        decimal_places=2,
        min_value=0,
        allow_null=True,
        required=False,
        default=None,
        help_text="Overrides the course's price; omit or null to use the course's.",
    )
    status = serializers.ChoiceField(
        choices=[Cohort.Status.DRAFT, Cohort.Status.OPEN],
        default=Cohort.Status.DRAFT,
        help_text="A new cohort starts as a draft (the default) or open.",
    )
    meeting_provider = serializers.ChoiceField(
        choices=MeetingProviderName.choices,
        default=MeetingProviderName.MANUAL,
        help_text="Where its live sessions are held (default: a manual link); only providers "
        "whose credentials are set are accepted.",
    )

    def validate_course(self, pk):
        if course := CoursePage.objects.filter(pk=pk).first():
            return course
        raise serializers.ValidationError("No such course.")


class CohortListParamsSerializer(serializers.Serializer):
    course = serializers.IntegerField(
        required=False, min_value=1, max_value=2**63 - 1, help_text="Only this course's cohorts."
    )


class CohortRosterRowSerializer(RosterRowSerializer):
    activated_at = serializers.DateTimeField(allow_null=True)


def _managed_cohort(request, pk):
    return get_object_or_404(cohorts_managed_by(request.user).select_related("course"), pk=pk)


class SpecialistCohortsView(APIView):
    pagination_class = PageNumberPagination

    @extend_schema(
        parameters=[CohortListParamsSerializer],
        responses={200: SpecialistCohortSerializer(many=True)},
    )
    def get(self, request):
        """My cohorts, whatever their status, soonest first; `?course=` for one course's."""
        params = CohortListParamsSerializer(data=request.query_params)
        if not params.is_valid():
            raise ValidationError(params.errors)
        cohorts = cohorts_managed_by(request.user).select_related("course")
        if course := params.validated_data.get("course"):
            cohorts = cohorts.filter(course=course)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(cohorts.order_by("starts_on", "pk"), request, self)
        return paginator.get_paginated_response(SpecialistCohortSerializer(page, many=True).data)

    @extend_schema(request=CohortCreateSerializer, responses={201: SpecialistCohortSerializer})
    def post(self, request):
        """Add a batch to a cohort-type course I teach (a draft unless `status` is open)."""
        data = CohortCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        cohort = cohort_create(by=request.user, **data.validated_data)
        return Response(SpecialistCohortSerializer(cohort).data, status=status.HTTP_201_CREATED)


class CohortView(CohortDetailView):
    """The public detail, plus `PATCH` for the specialist who teaches the course."""

    problem_statuses = {"PATCH": {"409"}}

    def get_permissions(self):
        if self.request.method == "PATCH":
            return [IsAuthenticated()]
        return super().get_permissions()

    @extend_schema(
        parameters=[ID],
        request=CohortChangesSerializer,
        responses={200: SpecialistCohortSerializer},
    )
    def patch(self, request, pk):
        """Edit my cohort: details, capacity (never below the seats taken), status."""
        cohort = _managed_cohort(request, pk)
        data = CohortChangesSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        cohort = cohort_update(cohort=cohort, by=request.user, **data.validated_data)
        return Response(SpecialistCohortSerializer(cohort).data)


class CohortRosterView(APIView):
    pagination_class = PageNumberPagination
    renderer_classes = [JSONRenderer, CSVRenderer]

    @extend_schema(parameters=[ID], responses={200: CohortRosterRowSerializer(many=True)})
    def get(self, request, pk):
        """The learners of my cohort with their progress; `?format=csv` downloads every row."""
        cohort = _managed_cohort(request, pk)
        enrollments = (
            Enrollment.objects.filter(cohort=cohort)
            .select_related("learner")
            .order_by("created_at", "pk")
        )
        as_csv = request.accepted_renderer.format == "csv"
        paginator = self.pagination_class()
        page = (
            list(enrollments) if as_csv else paginator.paginate_queryset(enrollments, request, self)
        )
        context = {
            "total": live_lessons_of(cohort.course).count(),
            "completed": completed_counts([enrollment.pk for enrollment in page]),
        }
        rows = CohortRosterRowSerializer(page, many=True, context=context).data
        if as_csv:
            filename = f"{cohort.course.slug}-{slugify(cohort.name)}-roster.csv"
            return Response(
                rows, headers={"Content-Disposition": f'attachment; filename="{filename}"'}
            )
        return paginator.get_paginated_response(rows)
