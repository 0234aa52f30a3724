import pytest

from coursepages.models import CourseIndexPage
from tests.factories import (
    CohortSessionFactory,
    EditorFactory,
    SpecialistFactory,
    UserFactory,
    build_quiz_lesson,
)
from tests.learning.zoom_webhooks_helpers import END, MEETING, MINUTE, SECRET, START, deliver_event


@pytest.fixture
def catalog(db):
    return CourseIndexPage.objects.get()


@pytest.fixture
def specialist(db):
    return SpecialistFactory()


@pytest.fixture
def other_specialist(db):
    return SpecialistFactory()


@pytest.fixture
def editor(db):
    return EditorFactory()


@pytest.fixture
def learner(db):
    return UserFactory()


@pytest.fixture
def quiz_lesson(db):
    return build_quiz_lesson()


@pytest.fixture
def client_for(client):
    """A test client signed in as the given user."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


def pytest_report_header(config):
    from django.conf import settings

    database = settings.DATABASES["default"]
    return [
        f"database: {database['ENGINE'].rsplit('.', 1)[-1]} {database.get('HOST') or ''}".rstrip(),
        f"celery broker: {settings.CELERY_BROKER_URL.split('@')[-1]}",
    ]


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture(autouse=True)
def fresh_catalog_cache():
    """Start each test with no cached catalog responses, webhook subscriptions or analytics
    coverage (the cache outlives rollbacks)."""
    from django.core.cache import cache

    from analytics.coverage import CACHE_KEY as COVERAGE_KEY
    from coursepages.catalog import VERSION_KEY
    from integrations.subscriptions import CACHE_KEY

    cache.delete_many([VERSION_KEY, CACHE_KEY, COVERAGE_KEY])


@pytest.fixture
def zoom_secret(settings):
    """Zoom's webhooks signed with the tests' secret are accepted."""
    settings.ZOOM_WEBHOOK_SECRET_TOKEN = SECRET
    settings.ZOOM_WEBHOOK_MAX_AGE_SECONDS = 90 * 60


@pytest.fixture
def zoom_session(db):
    """The session that holds Zoom's MEETING from START to END."""
    return CohortSessionFactory(starts_at=START, zoom_meeting_id=MEETING)


@pytest.fixture
def zoom_send(zoom_secret, monkeypatch, django_capture_on_commit_callbacks):
    """Deliver signed events ten minutes after END, and run what they queue."""
    moment = END + 10 * MINUTE
    monkeypatch.setattr("django.utils.timezone.now", lambda: moment)

    def send(event, obj):
        with django_capture_on_commit_callbacks(execute=True):
            assert deliver_event(event, obj, at=moment).status_code == 200

    return send
