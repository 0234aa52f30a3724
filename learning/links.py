"""Absolute links that leave the site in e-mails, notifications and calendars."""

from django.conf import settings
from django.urls import reverse


def absolute(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def session_join_url(session) -> str:
    """Our own join URL for a session: stable whatever the meeting link behind it, so
    calendars and e-mails that carry it keep working when the link changes."""
    return absolute(
        reverse("api:cohort-session-join", kwargs={"pk": session.cohort_id, "session": session.pk})
    )


def session_recording_url(session) -> str:
    """The API address of a session's recording, where members get a fresh signed link."""
    return absolute(
        reverse(
            "api:cohort-session-recording", kwargs={"pk": session.cohort_id, "session": session.pk}
        )
    )
