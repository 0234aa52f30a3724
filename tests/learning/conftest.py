"""Fixtures of the learning tests: Zoom's servers faked at the HTTP boundary."""

import pytest
import respx
from django.core.cache import cache

from learning.meetings.zoom import TOKEN_CACHE_KEY
from tests.learning.zoom_fake import API, FakeZoom


@pytest.fixture
def zoom(settings):
    """Zoom configured with a Server-to-Server app and answered by `FakeZoom`."""
    settings.ZOOM_ACCOUNT_ID = "acct-1"
    settings.ZOOM_CLIENT_ID = "client-1"
    settings.ZOOM_CLIENT_SECRET = "secret-1"
    settings.ZOOM_HOST_USER = "me"
    settings.ZOOM_API_BASE = API
    settings.ZOOM_OAUTH_BASE = API.removesuffix("/v2")
    cache.delete(TOKEN_CACHE_KEY)
    with respx.mock(assert_all_called=False) as router:
        yield FakeZoom(router)
    cache.delete(TOKEN_CACHE_KEY)
