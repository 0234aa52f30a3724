"""Cohort sessions as learners see them (our join URL only) and as the specialist teaching the
cohort sees them (the meeting link too); what a specialist sends to schedule or change one;
a session's recording, for members (watchable ones only) and for the specialist (any state).

Serializers that render a recording need the request in their context: its link is signed
for the caller. A session's `recording` costs no query when the session was read with
`select_related("recording")`.
"""

from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from learning.downloads import session_recording_token
from learning.links import session_join_url
from learning.models import CohortSession, MeetingProviderName, MeetingSyncState, SessionRecording
from learning.services.recordings import recording_watchable


class SessionRecordingSerializer(serializers.Serializer):
    available = serializers.SerializerMethodField(
        help_text="True when members can watch it: attached or downloaded, and the session over."
    )
    url = serializers.SerializerMethodField(
        help_text="A link signed for the caller, valid for DOWNLOAD_LINK_MAX_AGE seconds; "
        "null until the recording is available."
    )
    source = serializers.ChoiceField(choices=SessionRecording.Source.choices)
    duration_seconds = serializers.IntegerField(allow_null=True)
    size_bytes = serializers.IntegerField(allow_null=True)
    content_type = serializers.CharField(help_text="Empty for a link to a page elsewhere.")
    available_at = serializers.DateTimeField(allow_null=True)

    def get_available(self, recording) -> bool:
        return recording_watchable(recording)

    def get_url(self, recording) -> str | None:
        if not recording_watchable(recording):
            return None
        request = self.context["request"]
        token = session_recording_token(recording, user=request.user)
        return request.build_absolute_uri(reverse("api:file-download", args=[token]))


class SessionRecordingForSpecialistSerializer(SessionRecordingSerializer):
    status = serializers.ChoiceField(choices=SessionRecording.Status.choices)
    error = serializers.CharField(help_text="Why Zoom's download failed, if it did.")
    attached_by = serializers.IntegerField(
        source="attached_by_id", allow_null=True, help_text="Null for Zoom's downloads."
    )
    attached_at = serializers.DateTimeField()


def recording_of(session) -> SessionRecording | None:
    return getattr(session, "recording", None)  # the reverse one-to-one raises when absent


class CohortSessionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    description = serializers.CharField()
    status = serializers.ChoiceField(choices=CohortSession.Status.choices)
    starts_at = serializers.DateTimeField(help_text="The start, in UTC.")
    ends_at = serializers.DateTimeField(help_text="The end, in UTC.")
    duration_minutes = serializers.IntegerField()
    timezone = serializers.CharField(source="cohort.timezone", help_text="The cohort's zone.")
    local_starts_at = serializers.SerializerMethodField(
        help_text="The start in the cohort's time zone, with its UTC offset."
    )
    revision = serializers.IntegerField(
        help_text="Raised whenever the time or the status changes (the iCalendar SEQUENCE)."
    )
    join_url = serializers.SerializerMethodField(
        help_text="Our join link: it opens the meeting from 15 minutes before the start."
    )

    recording = serializers.SerializerMethodField(
        help_text="The session's recording once members can watch it, else null."
    )

    def get_local_starts_at(self, session) -> str:
        return timezone.localtime(session.starts_at, ZoneInfo(session.cohort.timezone)).isoformat()

    def get_join_url(self, session) -> str:
        return session_join_url(session)

    @extend_schema_field(SessionRecordingSerializer(allow_null=True))
    def get_recording(self, session):
        recording = recording_of(session)
        if recording is None or not recording_watchable(recording):
            return None
        return SessionRecordingSerializer(recording, context=self.context).data


PROVIDER_OR_COHORTS = [("", "The cohort's provider"), *MeetingProviderName.choices]


class CohortSessionForSpecialistSerializer(CohortSessionSerializer):
    meeting_url = serializers.URLField(
        help_text="The manual meeting link: where our join link sends people when the "
        "provider holds no link for them (not synced yet, failed, or the manual provider)."
    )
    meeting_provider = serializers.ChoiceField(
        choices=PROVIDER_OR_COHORTS, help_text="Empty: the cohort's provider."
    )
    meeting_sync_state = serializers.ChoiceField(
        choices=MeetingSyncState.choices,
        read_only=True,
        help_text="Whether the provider holds what this session needs.",
    )
    meeting_sync_error = serializers.CharField(
        read_only=True, help_text="The provider's last refusal, when the state is failed."
    )

    @extend_schema_field(SessionRecordingForSpecialistSerializer(allow_null=True))
    def get_recording(self, session):
        """Any recording, downloading or failed included: the specialist acts on those."""
        recording = recording_of(session)
        if recording is None:
            return None
        return SessionRecordingForSpecialistSerializer(recording, context=self.context).data


class RecordingAttachInputSerializer(serializers.Serializer):
    """A multipart upload with `file`, or JSON with `url`: exactly one of them."""

    file = serializers.FileField(
        required=False, help_text="An MP4, QuickTime or WebM video up to RECORDING_MAX_UPLOAD_MB."
    )
    url = serializers.URLField(
        max_length=1000, required=False, help_text="An https:// page where it plays."
    )
    duration_seconds = serializers.IntegerField(
        min_value=1, max_value=24 * 60 * 60, required=False, allow_null=True
    )


class SessionScheduleInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    starts_at = serializers.DateTimeField(help_text="ISO 8601 with a UTC offset (UTC if none).")
    duration_minutes = serializers.IntegerField(min_value=5, max_value=600)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    meeting_url = serializers.URLField(max_length=500, required=False, allow_blank=True, default="")
    meeting_provider = serializers.ChoiceField(
        choices=PROVIDER_OR_COHORTS,
        allow_blank=True,
        required=False,
        default="",
        help_text="Empty: the cohort's provider. Only providers whose credentials are set are "
        "accepted.",
    )


class SessionChangeInputSerializer(serializers.Serializer):
    """Any of the fields; a new start or duration is a reschedule, the others are edits."""

    title = serializers.CharField(max_length=200, required=False)
    starts_at = serializers.DateTimeField(required=False)
    duration_minutes = serializers.IntegerField(min_value=5, max_value=600, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    meeting_url = serializers.URLField(max_length=500, required=False, allow_blank=True)
    meeting_provider = serializers.ChoiceField(
        choices=PROVIDER_OR_COHORTS,
        allow_blank=True,
        required=False,
        help_text='Another provider for this session only (the "Zoom is down" path); empty '
        "returns it to the cohort's.",
    )
