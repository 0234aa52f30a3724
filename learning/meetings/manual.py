"""The manual link: the specialist pastes a meeting URL on the session; nothing to sync."""

from learning.models import MeetingProviderName


class ManualLinkProvider:
    name = MeetingProviderName.MANUAL
    label = "Manual link"

    def is_configured(self) -> bool:
        return True

    def session_sync(self, session) -> None:
        pass

    def member_sync(self, *, session, enrollment) -> None:
        pass

    def join_url(self, *, session, enrollment) -> str:
        return session.meeting_url

    def attendance_pull(self, session) -> None:
        pass
