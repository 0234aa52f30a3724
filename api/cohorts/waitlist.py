"""A full cohort's waitlist: joining and leaving the line, and taking an offered seat."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from api.learning.serializers import EnrollmentSerializer
from api.parameters import ID
from learning.models import Cohort
from learning.selectors import Progress, cohorts_visible_to, live_lessons_of, waitlist_position
from learning.services import waitlist_join, waitlist_leave, waitlist_offer_accept


def _cohort_waited_for(learner, pk):
    """A cohort whose waitlist the learner has been on; any other is a 404 (draft and
    cancelled cohorts stay unseen)."""
    waited_for = Cohort.objects.filter(waitlist__learner=learner).select_related("course")
    return get_object_or_404(waited_for.distinct(), pk=pk)


class WaitlistEntrySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    cohort = serializers.IntegerField(source="cohort_id")
    status = serializers.CharField(
        help_text="waiting, offered, accepted, expired, left, withdrawn."
    )
    position = serializers.IntegerField(
        allow_null=True, help_text="1 for the first in line; null once a seat is offered."
    )
    created_at = serializers.DateTimeField()
    offer_expires_at = serializers.DateTimeField(
        allow_null=True, help_text="An offered seat can be taken until this instant (exclusive)."
    )


class WaitlistView(APIView):
    problem_statuses = {"409"}

    @extend_schema(parameters=[ID], request=None, responses={201: WaitlistEntrySerializer})
    def post(self, request, pk):
        """Join the waitlist of a full cohort that still takes learners (before its deadline);
        a learner enrolled in the course, or already in line, is refused."""
        cohort = get_object_or_404(cohorts_visible_to(request.user), pk=pk)
        entry = waitlist_join(cohort=cohort, learner=request.user)
        entry.position = waitlist_position(entry)
        return Response(WaitlistEntrySerializer(entry).data, status=status.HTTP_201_CREATED)

    @extend_schema(parameters=[ID], responses={204: None})
    def delete(self, request, pk):
        """Leave the waitlist; a seat offered to the caller passes to the next in line."""
        waitlist_leave(cohort=_cohort_waited_for(request.user, pk), learner=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class WaitlistAcceptView(APIView):
    problem_statuses = {"409"}

    @extend_schema(parameters=[ID], request=None, responses={201: EnrollmentSerializer})
    def post(self, request, pk):
        """Take the seat offered to the caller: free cohorts enroll at once, paid ones await
        payment (`POST enrollments/{id}/payment/`) with the seat held meanwhile."""
        cohort = _cohort_waited_for(request.user, pk)
        enrollment = waitlist_offer_accept(cohort=cohort, learner=request.user)
        enrollment.progress = Progress(0, live_lessons_of(cohort.course).count())
        return Response(EnrollmentSerializer(enrollment).data, status=status.HTTP_201_CREATED)
