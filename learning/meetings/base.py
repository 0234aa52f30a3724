"""The contract every meeting provider keeps: what the sessions services ask of it.

A provider owns its own identifiers (Zoom's meeting and registrants, Google's calendar
event) and stores them itself; callers only know the session, the enrollment and the URL
a person is sent to. Calls reach the provider's HTTP API, so they run outside database
transactions (in Celery tasks) and raise `MeetingProviderError` when the provider refuses
or cannot be reached: the session then keeps its manual link as the fallback.
"""

from typing import Protocol


class MeetingProviderError(Exception):
    """The provider refused a call or could not be reached; the message says which, for the
    specialist to read next to the session."""


class MeetingProvider(Protocol):
    name: str  # the value kept in Cohort/CohortSession.meeting_provider
    label: str  # what a specialist reads in the admin, e.g. "Zoom"

    def is_configured(self) -> bool:
        """Whether the credentials this provider needs are set; one that is not is not offered."""
        ...

    def session_sync(self, session) -> None:
        """Create or update the provider's meeting for a session (title, time, duration), or
        remove it when the session is cancelled. Idempotent: safe to call again after a
        failure or when nothing changed."""
        ...

    def member_sync(self, *, session, enrollment) -> None:
        """Give a learner of the session's cohort their own access to its meeting, or take it
        away when the enrollment no longer holds a place (refund, transfer). Idempotent."""
        ...

    def join_url(self, *, session, enrollment) -> str:
        """Where this person is sent when they join through our URL: their own registrant
        link where the provider has one, else the meeting's link. `enrollment` is None for
        the specialist teaching the cohort. Empty when the provider has no link yet."""
        ...

    def attendance_pull(self, session) -> None:
        """After the session, read the provider's participant report and record attendance
        from it (filling in what its webhooks missed). Idempotent."""
        ...
