"""Ratings and reviews: public to read, for enrolled learners to write, one each."""

from decimal import Decimal

import pytest

from coursepages.models import CoursePage
from learning.models import CourseReview, Enrollment
from tests.api_helpers import assert_problem
from tests.factories import UserFactory, build_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def course():
    return build_course(title="Rated course", price=Decimal("0"))


def enrolled_learner(course, status="active", **names):
    learner = UserFactory(**names)
    Enrollment.objects.create(learner=learner, course=course, status=status)
    return learner


def rate(client, course, rating, comment=""):
    return client.post(
        f"/api/v1/courses/{course.pk}/ratings/", {"rating": rating, "comment": comment}
    )


def test_enrolled_learners_rate_and_the_catalog_shows_the_average(api_client, course):
    for rating in (5, 4):
        api_client.force_authenticate(enrolled_learner(course))
        assert rate(api_client, course, rating).status_code == 201
    api_client.force_authenticate(None)

    card = api_client.get("/api/v1/courses/").json()["results"][0]

    assert card["rating"] == {"average": "4.50", "count": 2}
    assert api_client.get("/api/v1/courses/", {"rating_min": "4.5"}).json()["count"] == 1
    assert api_client.get("/api/v1/courses/", {"rating_min": "4.6"}).json()["count"] == 0


def test_rating_again_edits_the_one_review(api_client, course):
    learner = enrolled_learner(course, first_name="Ada", last_name="Lovelace")
    api_client.force_authenticate(learner)
    rate(api_client, course, 2, "Hard going")

    response = rate(api_client, course, 5, "Clicked on second read")

    assert response.status_code == 200
    assert CourseReview.objects.get().rating == 5
    assert CoursePage.objects.get(pk=course.pk).rating_count == 1
    [review] = api_client.get(f"/api/v1/courses/{course.pk}/ratings/").json()["results"]
    assert (review["reviewer"], review["comment"]) == ("Ada L.", "Clicked on second read")


@pytest.mark.parametrize("who", ["not_enrolled", "pending_payment", "anonymous"])
def test_only_learners_with_access_may_rate(api_client, course, who):
    if who == "not_enrolled":
        api_client.force_authenticate(UserFactory())
    elif who == "pending_payment":
        api_client.force_authenticate(enrolled_learner(course, status="pending_payment"))

    response = rate(api_client, course, 5)

    if who == "anonymous":
        assert_problem(response, 401, "not_authenticated")
    else:
        assert_problem(response, 403, "not_enrolled")
    assert not CourseReview.objects.exists()


@pytest.mark.parametrize("rating", [0, 6, "five"])
def test_ratings_are_whole_stars_from_1_to_5(api_client, course, rating):
    api_client.force_authenticate(enrolled_learner(course))
    body = assert_problem(rate(api_client, course, rating), 400, "invalid")
    assert list(body["errors"]) == ["rating"]


def test_reviews_of_unpublished_courses_are_not_listed(api_client):
    draft = build_course(published=False)
    assert_problem(api_client.get(f"/api/v1/courses/{draft.pk}/ratings/"), 404, "not_found")


def test_review_list_runs_a_fixed_number_of_queries(
    api_client, course, django_assert_max_num_queries
):
    for rating in (1, 2, 3, 4, 5, 5):
        api_client.force_authenticate(enrolled_learner(course))
        rate(api_client, course, rating)
    api_client.force_authenticate(None)
    with django_assert_max_num_queries(3):
        assert len(api_client.get(f"/api/v1/courses/{course.pk}/ratings/").json()["results"]) == 6
