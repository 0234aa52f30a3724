"""Attendance at a cohort's live sessions: recorded in bulk by the specialist teaching the
cohort, and read by the learner whose enrollment it is."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from api.cohorts.sessions import _cohort_seen_by, _teaches
from api.parameters import ID
from learning.attendance import attendance_standing
from learning.models import AttendanceRecord
from learning.selectors.enrollments import enrollment_of_learner
from learning.services.attendance import AttendanceEntry, attendance_record_bulk


class AttendanceEntryInputSerializer(serializers.Serializer):
    enrollment = serializers.IntegerField(min_value=1)
    status = serializers.ChoiceField(choices=AttendanceRecord.Status.choices)
    minutes = serializers.IntegerField(
        min_value=0, max_value=600, required=False, help_text="Minutes attended; kept if left out."
    )
    note = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Required when excused."
    )


class AttendanceInputSerializer(serializers.Serializer):
    session = serializers.IntegerField(min_value=1)
    records = AttendanceEntryInputSerializer(many=True, allow_empty=False, max_length=500)


class AttendanceRecordSerializer(serializers.Serializer):
    enrollment = serializers.IntegerField(source="enrollment_id")
    session = serializers.IntegerField(source="session_id")
    status = serializers.ChoiceField(choices=AttendanceRecord.Status.choices)
    minutes = serializers.IntegerField(source="minutes_attended")
    first_joined_at = serializers.DateTimeField(allow_null=True)
    source = serializers.ChoiceField(choices=AttendanceRecord.Source.choices)
    note = serializers.CharField()
    changed_at = serializers.DateTimeField()


class CohortAttendanceView(APIView):
    problem_statuses = {"400", "403"}

    @extend_schema(
        parameters=[ID],
        request=AttendanceInputSerializer,
        responses={200: AttendanceRecordSerializer(many=True)},
        description=(
            "Record or correct attendance at one session of the cohort, for several learners "
            "at once (the specialist teaching it). All or nothing: a session of another cohort, "
            "cancelled or not started yet, an enrollment not in this cohort or listed twice, "
            "a status outside present/late/excused/absent, or an excused absence without a "
            "note is a 400 with `errors` per field, and nothing is saved. Each change is kept "
            "in the record's audit trail, with who and when; the source is `manual`."
        ),
    )
    def post(self, request, pk):
        """Record or correct a session's attendance in bulk (specialist)."""
        cohort = _cohort_seen_by(request.user, pk)
        if not _teaches(request.user, cohort):
            raise PermissionDenied("Only the specialist teaching this cohort records attendance.")
        data = AttendanceInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        records = attendance_record_bulk(
            cohort=cohort,
            session_id=data.validated_data["session"],
            entries=[AttendanceEntry(**entry) for entry in data.validated_data["records"]],
            by=request.user,
        )
        return Response(
            AttendanceRecordSerializer(records, many=True).data, status=status.HTTP_200_OK
        )


class SessionAttendanceSerializer(serializers.Serializer):
    session = serializers.IntegerField(source="session.pk")
    title = serializers.CharField(source="session.title")
    starts_at = serializers.DateTimeField(source="session.starts_at")
    held = serializers.BooleanField(help_text="Whether the session has ended.")
    status = serializers.ChoiceField(
        source="record.status",
        choices=AttendanceRecord.Status.choices,
        allow_null=True,
        default=None,
        help_text="Null while not recorded.",
    )
    minutes = serializers.IntegerField(
        source="record.minutes_attended", allow_null=True, default=None
    )


class AttendanceStandingSerializer(serializers.Serializer):
    sessions = SessionAttendanceSerializer(many=True, help_text="Cancelled sessions left out.")
    percent = serializers.FloatField(
        allow_null=True,
        help_text="(present + late) ÷ (held − excused), one decimal, halves up; null while "
        "nothing counts yet.",
    )
    held = serializers.IntegerField()
    excused = serializers.IntegerField()
    attended = serializers.IntegerField()
    sessions_left = serializers.IntegerField()
    max_achievable = serializers.FloatField(
        allow_null=True, help_text="The percent if every session left is attended."
    )
    threshold = serializers.IntegerField(help_text="The course's minimum attendance %.")
    met = serializers.BooleanField(
        help_text="Whether the minimum is met: only once every session has been held "
        "(sessions_left 0), as the percent is final only then."
    )
    reachable = serializers.BooleanField()


class EnrollmentAttendanceView(APIView):
    @extend_schema(parameters=[ID], responses={200: AttendanceStandingSerializer})
    def get(self, request, pk):
        """My attendance in my cohort's live sessions, and whether the certificate's minimum
        is met or still reachable. Someone else's enrollment is a 404."""
        enrollment = enrollment_of_learner(learner=request.user, pk=pk)
        if enrollment.cohort_id is None:
            raise NotFound("This enrollment is in a self-paced course: it has no live sessions.")
        standing = attendance_standing(enrollment)
        return Response(AttendanceStandingSerializer(standing).data)
