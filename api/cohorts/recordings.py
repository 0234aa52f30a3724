"""A session's recording: attached or removed by the specialist teaching the cohort, watched
by its members through a signed link. Cohorts the caller does not take part in are 404."""

from django.http import Http404
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema
from rest_framework import status
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from api.cohorts.session_serializers import (
    RecordingAttachInputSerializer,
    SessionRecordingForSpecialistSerializer,
    SessionRecordingSerializer,
    recording_of,
)
from api.cohorts.sessions import SESSION, _cohort_managed_by, _cohort_seen_by, _session_of, _teaches
from api.parameters import ID
from learning.services.recordings import (
    MULTIPART_OVERHEAD_BYTES,
    recording_watchable,
    require_recording_size,
    session_recording_attach,
    session_recording_delete,
)


class SessionRecordingView(APIView):
    parser_classes = [JSONParser, MultiPartParser]
    problem_statuses = {"POST": {"409"}}

    @extend_schema(
        parameters=[ID, SESSION],
        description=(
            "Members of the cohort (learners with access) get the recording once it can be "
            "watched (available, and the session over), else 404; the specialist teaching "
            "the cohort also gets it while Zoom's download runs or after it failed."
        ),
        responses={
            200: PolymorphicProxySerializer(
                component_name="SessionRecordingAsSeen",
                serializers=[SessionRecordingSerializer, SessionRecordingForSpecialistSerializer],
                resource_type_field_name=None,
            )
        },
    )
    def get(self, request, pk, session):
        """The session's recording, with a link signed for the caller."""
        cohort = _cohort_seen_by(request.user, pk)
        recording = recording_of(_session_of(cohort, session, with_recording=True))
        if _teaches(request.user, cohort):
            output = SessionRecordingForSpecialistSerializer
        elif recording is not None and recording_watchable(recording):
            output = SessionRecordingSerializer
        else:
            recording = None
        if recording is None:
            raise Http404("This session has no recording to watch.")
        return Response(output(recording, context={"request": request}).data)

    @extend_schema(
        parameters=[ID, SESSION],
        request={
            "multipart/form-data": RecordingAttachInputSerializer,
            "application/json": RecordingAttachInputSerializer,
        },
        description=(
            "The specialist teaching the cohort attaches the recording of an ended session: "
            "a multipart upload with `file` (MP4, QuickTime or WebM, at most "
            'RECORDING_MAX_UPLOAD_MB), or JSON `{"url": "https://…"}`, with an optional '
            "`duration_seconds`. It replaces the session's recording, Zoom's included. The "
            "learners are told the first time the session has one. 400 `invalid` for neither "
            "or both, another type, a file too large or a non-https link; 409 "
            "`session_not_ended` (with `ends_at`) before the end; 409 `session_cancelled`."
        ),
        responses={201: SessionRecordingForSpecialistSerializer},
    )
    def post(self, request, pk, session):
        """Attach the session's recording (specialist): an upload or an https link."""
        session = _session_of(_cohort_managed_by(request.user, pk), session)
        # Refuse an oversized body from its length, before it is read to a temporary file.
        require_recording_size(
            int(request.META.get("CONTENT_LENGTH") or 0), overhead=MULTIPART_OVERHEAD_BYTES
        )
        data = RecordingAttachInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        recording = session_recording_attach(
            session=session, by=request.user, **data.validated_data
        )
        return Response(
            SessionRecordingForSpecialistSerializer(recording, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(parameters=[ID, SESSION], request=None, responses={204: None})
    def delete(self, request, pk, session):
        """Remove the session's recording and its file (specialist)."""
        session = _session_of(_cohort_managed_by(request.user, pk), session)
        session_recording_delete(session=session, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
