"""Absolute URLs for places outside a request (e-mails, calendar feeds), built from the
site's base URL (`SITE_URL`, i.e. WAGTAILADMIN_BASE_URL)."""

from django.conf import settings
from django.urls import reverse


def absolute(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def session_join_url(session) -> str:
    """Our own join URL of a session: calendars and e-mails carry it, never the meeting link,
    so a new meeting link or provider changes nothing a learner has saved."""
    return absolute(
        reverse("api:cohort-session-join", kwargs={"pk": session.cohort_id, "session": session.pk})
    )
