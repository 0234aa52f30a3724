"""A person's name as others see it never reveals an e-mail address, anywhere it is shown."""

from decimal import Decimal

import pytest

from learning.models import Enrollment
from tests.factories import SpecialistFactory, UserFactory, build_course

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("fields", "shown"),
    [
        ({"first_name": "Ada", "last_name": "Lovelace"}, "Ada Lovelace"),
        ({"first_name": "", "last_name": "Lovelace"}, "Lovelace"),
        ({"first_name": "", "last_name": "", "username": "ada_l"}, "ada_l"),
        ({"first_name": "", "last_name": "", "username": "ada@example.com"}, "User {pk}"),
        ({"first_name": "", "last_name": "", "username": "user-0123456789abcdef"}, "User {pk}"),
    ],
)
def test_roster_names_learners_without_their_email(api_client, specialist, fields, shown):
    course = build_course(owner=specialist, price=Decimal("0"))
    learner = UserFactory(email="ada@example.com", **fields)
    Enrollment.objects.create(learner=learner, course=course, status="active")
    api_client.force_authenticate(specialist)

    response = api_client.get(f"/api/v1/courses/{course.pk}/enrollments/")

    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row["learner"] == shown.format(pk=learner.pk)
    assert row["email"] == "ada@example.com"  # the specialist's roster may show it as e-mail


def test_catalog_never_shows_an_instructors_email(api_client):
    instructor = SpecialistFactory(first_name="", last_name="", username="sam@example.com")
    course = build_course(owner=instructor)

    response = api_client.get(f"/api/v1/courses/{course.pk}/")

    assert response.status_code == 200
    assert response.json()["instructor"] == {"id": instructor.pk, "name": f"User {instructor.pk}"}
