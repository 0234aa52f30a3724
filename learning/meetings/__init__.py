"""Meeting providers for live sessions (manual link, Zoom, Google Meet) and what they report.

Each provider keeps the contract in `base.MeetingProvider`; a cohort picks one, and a
session may pick another (the "Zoom is down" path). A provider whose credentials are not
set is not offered.
"""

from django.utils.module_loading import import_string

from learning.meetings.base import MeetingProvider, MeetingProviderError

# Imported on first use: a provider's HTTP client is loaded only where it is used.
PROVIDER_CLASSES = {
    "manual": "learning.meetings.manual.ManualLinkProvider",
    "google_meet": "learning.meetings.google_meet.GoogleMeetProvider",
    "zoom": "learning.meetings.zoom.ZoomProvider",
}


def meeting_provider(name: str) -> MeetingProvider:
    """The provider kept under `name` (a `MeetingProviderName`)."""
    return import_string(PROVIDER_CLASSES[name])()


def providers_offered() -> list[MeetingProvider]:
    """The providers a specialist may choose: those whose credentials are set."""
    providers = (meeting_provider(name) for name in PROVIDER_CLASSES)
    return [provider for provider in providers if provider.is_configured()]


__all__ = ["MeetingProvider", "MeetingProviderError", "meeting_provider", "providers_offered"]
