"""Moving a learner between cohorts of a course, for the specialist teaching it or staff."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from api.parameters import ID
from learning.exceptions import InvalidInput
from learning.models import Enrollment
from learning.selectors import cohorts_managed_by
from learning.services import enrollment_transfer


class TransferInputSerializer(serializers.Serializer):
    enrollment = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    to_cohort = serializers.IntegerField(
        min_value=1, max_value=2**63 - 1, help_text="Another cohort of the same course."
    )


class TransferSerializer(serializers.Serializer):
    enrollment = serializers.IntegerField(source="pk")
    status = serializers.CharField()
    from_cohort = serializers.IntegerField()
    to_cohort = serializers.IntegerField(source="cohort_id")


class CohortTransferView(APIView):
    problem_statuses = {"409"}

    @extend_schema(
        parameters=[ID], request=TransferInputSerializer, responses={200: TransferSerializer}
    )
    def post(self, request, pk):
        """Move a learner of this cohort to another cohort of the course, keeping their
        enrollment, payment and progress; the seat there is taken first (409 `cohort_full`
        when none is left), the seat here goes to this cohort's waitlist. The target's
        enrollment deadline does not bind a transfer; its capacity does."""
        cohort = get_object_or_404(cohorts_managed_by(request.user), pk=pk)
        data = TransferInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        enrollment = Enrollment.objects.filter(
            pk=data.validated_data["enrollment"], cohort=cohort
        ).first()
        if enrollment is None:
            raise InvalidInput({"enrollment": ["No enrollment of this cohort has this id."]})
        to_cohort = cohort.course.cohorts.filter(pk=data.validated_data["to_cohort"]).first()
        if to_cohort is None:
            raise InvalidInput({"to_cohort": ["No other cohort of this course has this id."]})
        moved = enrollment_transfer(enrollment=enrollment, to_cohort=to_cohort, by=request.user)
        moved.from_cohort = cohort.pk
        return Response(TransferSerializer(moved).data)
