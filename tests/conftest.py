import pytest

from coursepages.models import CourseIndexPage
from tests.factories import EditorFactory, SpecialistFactory, UserFactory


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
def client_for(client):
    """A test client signed in as the given user."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in
