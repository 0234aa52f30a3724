"""What specialists see of their own courses, and nothing of anyone else's."""

import csv
import io
from decimal import Decimal

import pytest

from coursepages.models import LessonPage
from learning.models import Enrollment, LessonCompletion
from tests.api_helpers import assert_problem
from tests.factories import SpecialistFactory, UserFactory, build_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(specialist):
    course = build_course(owner=specialist, title="Taught course", price=Decimal("0"))
    lessons = list(LessonPage.objects.descendant_of(course))
    for status, completed in (("active", 2), ("completed", 4), ("pending_payment", 0)):
        enrollment = Enrollment.objects.create(
            learner=UserFactory(first_name="Lee", last_name=status), course=course, status=status
        )
        for lesson in lessons[:completed]:
            LessonCompletion.objects.create(enrollment=enrollment, lesson=lesson)
    return course


def test_my_courses_with_headline_numbers(api_client, specialist, course):
    build_course(title="Someone else's")
    api_client.force_authenticate(specialist)

    [mine] = api_client.get("/api/v1/specialist/courses/").json()["results"]

    assert mine["title"] == "Taught course"
    assert mine["learners"] == {
        "pending_payment": 1, "active": 1, "completed": 1, "refunded": 0, "cancelled": 0, "expired": 0
    }  # fmt: skip


def test_roster_with_progress_as_json_and_csv(api_client, specialist, course):
    api_client.force_authenticate(specialist)
    url = f"/api/v1/courses/{course.pk}/enrollments/"

    rows = api_client.get(url).json()["results"]
    download = api_client.get(url, {"format": "csv"})

    assert [(r["status"], r["progress_percent"]) for r in rows] == [
        ("active", 50), ("completed", 100), ("pending_payment", 0)
    ]  # fmt: skip
    assert download["Content-Type"].startswith("text/csv")
    assert "attachment" in download["Content-Disposition"]
    parsed = list(csv.DictReader(io.StringIO(download.content.decode())))
    assert [row["progress_percent"] for row in parsed] == ["50", "100", "0"]


@pytest.mark.parametrize("who", ["other_specialist", "learner", "anonymous"])
def test_others_get_no_roster(api_client, course, who, learner):
    if who != "anonymous":
        api_client.force_authenticate(SpecialistFactory() if who == "other_specialist" else learner)
    url = f"/api/v1/courses/{course.pk}/enrollments/"
    expected = (401, "not_authenticated") if who == "anonymous" else (404, "not_found")

    assert_problem(api_client.get(url), *expected)
    assert_problem(api_client.get(url, {"format": "csv"}), *expected)


def test_roster_runs_a_fixed_number_of_queries(
    api_client, specialist, course, django_assert_max_num_queries
):
    for _ in range(5):
        Enrollment.objects.create(learner=UserFactory(), course=course, status="active")
    api_client.force_authenticate(specialist)
    with django_assert_max_num_queries(5):
        assert (
            len(api_client.get(f"/api/v1/courses/{course.pk}/enrollments/").json()["results"]) == 8
        )
    with django_assert_max_num_queries(3):
        assert api_client.get("/api/v1/specialist/courses/").status_code == 200
