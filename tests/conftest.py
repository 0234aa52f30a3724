import pytest

from coursepages.models import CourseIndexPage
from tests.factories import EditorFactory, SpecialistFactory, UserFactory, build_quiz_lesson


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
    """Start each test with no cached catalog responses (the cache outlives rollbacks)."""
    from django.core.cache import cache

    from coursepages.catalog import VERSION_KEY

    cache.delete(VERSION_KEY)
