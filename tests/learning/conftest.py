"""Fixtures of the learning tests: Zoom's and Google's servers faked at the HTTP boundary."""

import uuid

import pytest
import respx
from django.core.cache import cache

from learning.meetings.zoom import TOKEN_CACHE_KEY
from tests.learning.google_fake import configure_google, token_route
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


@pytest.fixture
def client_email():
    """The service account's e-mail. Tokens are cached per service account: each test has its
    own, so none sees another's."""
    return f"courses-{uuid.uuid4().hex[:8]}@courses-demo.iam.gserviceaccount.com"


@pytest.fixture
def google_configured(settings, client_email):
    """Google Meet configured with the tests' service account."""
    configure_google(settings, client_email)


@pytest.fixture
def google(google_configured):
    """The respx router that stands for Google's servers (each test adds the routes it needs)."""
    with respx.mock(assert_all_called=False) as router:
        yield router


@pytest.fixture
def google_token(google):
    """Google's token endpoint (see `google_fake.token_route`)."""
    return token_route(google)
