"""Cohort sessions as learners see them (our join URL only) and as the specialist teaching the
cohort sees them (the meeting link too); what a specialist sends to schedule or change one."""

from zoneinfo import ZoneInfo

from django.utils import timezone
from rest_framework import serializers

from learning.links import session_join_url
from learning.models import CohortSession, MeetingProviderName, MeetingSyncState


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

    def get_local_starts_at(self, session) -> str:
        return timezone.localtime(session.starts_at, ZoneInfo(session.cohort.timezone)).isoformat()

    def get_join_url(self, session) -> str:
        return session_join_url(session)


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
