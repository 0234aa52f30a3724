"""GET courses/ and courses/{id}/: discovery of published courses."""

import io
from decimal import Decimal

import pytest
from django.core.files.images import ImageFile
from django.utils import timezone
from PIL import Image
from wagtail.images import get_image_model

from coursepages.models import CourseCategory, CoursePage
from coursepages.services import course_archive
from tests.api_helpers import assert_problem
from tests.factories import CourseFactory, build_course

pytestmark = pytest.mark.django_db

LIST = "/api/v1/courses/"


def titles(response):
    assert response.status_code == 200, response.content
    return [course["title"] for course in response.json()["results"]]


@pytest.fixture
def categories():
    return {
        slug: CourseCategory.objects.create(name=name, slug=slug)
        for name, slug in [("Data", "data"), ("Writing", "writing"), ("Cooking", "cooking")]
    }


@pytest.fixture
def shelf(categories, editor):
    """Five published courses that differ in every filterable way, plus three hidden ones."""
    courses = {
        "charts": CourseFactory(
            title="Honest charts",
            difficulty="beginner",
            price=Decimal("0"),
            category=categories["data"],
            language="en",
        ),
        "sql": CourseFactory(
            title="SQL for analysts",
            difficulty="intermediate",
            price=Decimal("49"),
            category=categories["data"],
            language="en",
            course_type="cohort",
        ),
        "essays": CourseFactory(
            title="Essay craft",
            difficulty="advanced",
            price=Decimal("120"),
            category=categories["writing"],
            language="fr",
        ),
        "bread": CourseFactory(
            title="Bread basics",
            difficulty="beginner",
            price=Decimal("15"),
            category=categories["cooking"],
            language="en",
            summary="Sourdough and yeasted loaves.",
        ),
        "pasta": CourseFactory(
            title="Fresh pasta",
            difficulty="intermediate",
            price=Decimal("0"),
            category=categories["cooking"],
            language="it",
        ),
    }
    for key, (rating, enrollments, days_ago) in {
        "charts": (4.8, 10, 5),
        "sql": (4.2, 50, 4),
        "essays": (3.9, 5, 3),
        "bread": (4.5, 30, 2),
        "pasta": (0, 0, 1),
    }.items():
        CoursePage.objects.filter(pk=courses[key].pk).update(
            rating_average=rating,
            rating_count=enrollments // 5,
            enrollment_count=enrollments,
            published_at=timezone.now() - timezone.timedelta(days=days_ago),
        )
    CourseFactory(title="Draft course", published=False)
    course_archive(course=CourseFactory(title="Archived course"), user=editor)
    unpublished = CourseFactory(title="Unpublished course")
    unpublished.unpublish()
    return courses


def test_lists_only_published_courses_that_are_not_archived(api_client, shelf):
    response = api_client.get(LIST)
    assert sorted(titles(response)) == sorted(c.title for c in shelf.values())
    assert response.json()["count"] == 5


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"difficulty": "beginner"}, {"Honest charts", "Bread basics"}),
        (
            {"difficulty": ["beginner", "advanced"]},
            {"Honest charts", "Bread basics", "Essay craft"},
        ),
        ({"course_type": "cohort"}, {"SQL for analysts"}),
        ({"category": "data,writing"}, {"Honest charts", "SQL for analysts", "Essay craft"}),
        ({"language": "it"}, {"Fresh pasta"}),
        ({"free": "true"}, {"Honest charts", "Fresh pasta"}),
        ({"free": "false", "price_max": "50"}, {"SQL for analysts", "Bread basics"}),
        ({"price_min": "40", "price_max": "130"}, {"SQL for analysts", "Essay craft"}),
        ({"rating_min": "4.4"}, {"Honest charts", "Bread basics"}),
        ({"category": "cooking", "difficulty": "beginner"}, {"Bread basics"}),
        ({"category": "nonexistent"}, set()),
    ],
)
def test_filters(api_client, shelf, params, expected):
    assert set(titles(api_client.get(LIST, params))) == expected


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        (
            "-rating",
            ["Honest charts", "Bread basics", "SQL for analysts", "Essay craft", "Fresh pasta"],
        ),
        (
            "-popularity",
            ["SQL for analysts", "Bread basics", "Honest charts", "Essay craft", "Fresh pasta"],
        ),
        (
            "-published",
            ["Fresh pasta", "Bread basics", "Essay craft", "SQL for analysts", "Honest charts"],
        ),
        (
            "price",
            ["Fresh pasta", "Honest charts", "Bread basics", "SQL for analysts", "Essay craft"],
        ),
        (
            "-price",
            ["Essay craft", "SQL for analysts", "Bread basics", "Fresh pasta", "Honest charts"],
        ),
    ],
)
def test_orderings(api_client, shelf, ordering, expected):
    assert titles(api_client.get(LIST, {"ordering": ordering})) == expected


def test_newest_first_by_default(api_client, shelf):
    assert titles(api_client.get(LIST))[0] == "Fresh pasta"


def test_search_matches_title_summary_and_category_but_never_hidden_courses(api_client, shelf):
    assert titles(api_client.get(LIST, {"search": "sourdough"})) == ["Bread basics"]
    assert titles(api_client.get(LIST, {"search": "charts"})) == ["Honest charts"]
    assert set(titles(api_client.get(LIST, {"search": "cooking"}))) == {
        "Bread basics",
        "Fresh pasta",
    }
    assert titles(api_client.get(LIST, {"search": "archived"})) == []
    assert titles(api_client.get(LIST, {"search": "draft"})) == []


def test_search_combines_with_filters_and_facets(api_client, shelf):
    body = api_client.get(LIST, {"search": "cooking", "free": "true"}).json()
    assert [c["title"] for c in body["results"]] == ["Fresh pasta"]
    assert body["count"] == 1
    assert {f["value"]: f["count"] for f in body["facets"]["free"]} == {"true": 1, "false": 1}


def test_search_does_not_reach_into_lesson_bodies(api_client):
    build_course(title="Visible course")
    assert titles(api_client.get(LIST, {"search": "secret lesson notes"})) == []


def test_facets_count_each_dimension_under_the_other_selections(api_client, shelf):
    body = api_client.get(LIST, {"category": "cooking"}).json()
    facets = {
        name: {f["value"]: f["count"] for f in values} for name, values in body["facets"].items()
    }

    assert body["count"] == 2
    assert facets["category"] == {"data": 2, "writing": 1, "cooking": 2}
    assert facets["difficulty"] == {"beginner": 1, "intermediate": 1}
    assert facets["language"] == {"en": 1, "it": 1}
    assert facets["free"] == {"true": 1, "false": 1}
    labels = {f["value"]: f["label"] for f in body["facets"]["category"]}
    assert labels["cooking"] == "Cooking"


def test_cards_carry_price_as_a_decimal_string_with_currency(api_client, categories):
    CourseFactory(title="Yen course", currency="JPY", price=Decimal("1500"))
    CourseFactory(title="Dollar course", currency="USD", price=Decimal("49.5"))
    cards = {c["title"]: c for c in api_client.get(LIST).json()["results"]}
    assert cards["Yen course"]["price"] == {"amount": "1500", "currency": "JPY"}
    assert cards["Dollar course"]["price"] == {"amount": "49.50", "currency": "USD"}
    assert cards["Dollar course"]["is_free"] is False


def test_pages_link_to_each_other(api_client, shelf):
    first = api_client.get(LIST, {"page_size": 2}).json()
    second = api_client.get(first["next"]).json()
    third = api_client.get(second["next"]).json()

    assert (first["count"], first["previous"], third["next"]) == (5, None, None)
    assert len({c["id"] for page in (first, second, third) for c in page["results"]}) == 5
    assert api_client.get(second["previous"]).json()["results"] == first["results"]


def test_a_page_past_the_end_is_a_404_problem(api_client, shelf):
    assert_problem(api_client.get(LIST, {"page": 4, "page_size": 2}), 404, "not_found")


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"page_size": 101}, "page_size"),
        ({"page": "first"}, "page"),
        ({"price_min": "-1"}, "price_min"),
        ({"rating_min": "6"}, "rating_min"),
        ({"ordering": "title"}, "ordering"),
        ({"free": "maybe"}, "free"),
        ({"language": "xx"}, "language"),
    ],
)
def test_bad_query_parameters_are_400_problems_naming_the_field(api_client, params, field):
    body = assert_problem(api_client.get(LIST, params), 400, "invalid")
    assert list(body["errors"]) == [field]


def test_detail_has_the_syllabus_and_no_lesson_content(api_client):
    course = build_course(title="Deep course", modules=2, lessons_per_module=3)
    course.tags.add("charts", "analytics")
    course.save_revision().publish()

    response = api_client.get(f"{LIST}{course.pk}/")

    body = response.json()
    assert response.status_code == 200
    assert body["title"] == "Deep course"
    assert body["tags"] == ["analytics", "charts"]
    assert [len(module["lessons"]) for module in body["syllabus"]] == [3, 3]
    first_lesson = body["syllabus"][0]["lessons"][0]
    assert (first_lesson["has_quiz"], first_lesson["has_assignment"]) == (True, True)
    assert body["lesson_count"] == 6 and body["total_duration_minutes"] == 60
    assert body["certificate_criteria"] == {
        "min_lessons_percent": 80,
        "min_quiz_average": 70,
        "requires_assignments_passed": True,
        "min_attendance_percent": 80,
    }
    text = response.content.decode()
    for secret in ("Secret lesson notes", "Pick the line chart", "correct", "Redesign a chart"):
        assert secret not in text


def test_detail_by_slug_is_the_same_course(api_client):
    course = build_course(title="Slugged course")
    by_id = api_client.get(f"{LIST}{course.pk}/").json()
    assert api_client.get(f"{LIST}by-slug/{course.slug}/").json() == by_id


@pytest.mark.parametrize("state", ["draft", "archived", "missing"])
def test_hidden_courses_have_no_detail(api_client, editor, state):
    course = build_course(published=state != "draft")
    if state == "archived":
        course_archive(course=course, user=editor)
    pk = course.pk if state != "missing" else 999999
    assert_problem(api_client.get(f"{LIST}{pk}/"), 404, "not_found")


def test_list_runs_the_same_few_queries_whatever_the_page_size(
    api_client, django_assert_max_num_queries, categories
):
    for n in range(30):
        CourseFactory(category=categories["data"] if n % 2 else None)
    for page_size in (5, 30):
        api_client.get("/")  # nothing cached below: every request below is fresh
        with django_assert_max_num_queries(2):
            assert (
                len(titles(api_client.get(LIST, {"page_size": page_size, "x": page_size})))
                == page_size
            )


def test_search_and_filtered_list_stay_within_budget(
    api_client, django_assert_max_num_queries, shelf
):
    with django_assert_max_num_queries(3):
        titles(
            api_client.get(
                LIST, {"search": "cooking", "difficulty": "beginner", "ordering": "-rating"}
            )
        )


def test_detail_runs_three_queries_whatever_the_course_size(
    api_client, django_assert_max_num_queries
):
    small = build_course(modules=2, lessons_per_module=2)
    large = build_course(modules=4, lessons_per_module=5)
    for course in (small, large):
        with django_assert_max_num_queries(3):
            assert api_client.get(f"{LIST}{course.pk}/").status_code == 200


@pytest.mark.parametrize("text", ['"', "a OR (b", "NEAR(x", "\x7f", "it's -- ; drop", "*"])
def test_search_syntax_in_the_text_is_just_text(api_client, text):
    build_course(title="Plain course")
    response = api_client.get(LIST, {"search": text, "price_max": "0", "free": "false"})
    assert response.status_code == 200
    assert response.json()["results"] == []


def test_a_single_valued_parameter_given_twice_is_refused(api_client):
    body = assert_problem(api_client.get(f"{LIST}?rating_min=4&rating_min="), 400, "invalid")
    assert body["errors"] == {"rating_min": ["Give this parameter once."]}


def test_cover_images_come_as_card_renditions_with_alt_text(
    api_client, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    buffer = io.BytesIO()
    Image.new("RGB", (1600, 900), (20, 80, 160)).save(buffer, format="PNG")
    cover = get_image_model().objects.create(
        title="Blue cover", description="A blue gradient", file=ImageFile(buffer, name="cover.png")
    )
    with django_capture_on_commit_callbacks(execute=True):  # publishing renders the card
        course = build_course(title="Covered course", cover_image=cover)

    with django_assert_max_num_queries(2):
        [card] = api_client.get(LIST).json()["results"]
    with django_assert_max_num_queries(3):
        detail = api_client.get(f"{LIST}{course.pk}/").json()

    assert card["cover_image"]["alt"] == "A blue gradient"
    assert card["cover_image"]["url"].startswith("http://testserver/")
    assert ".fill-800x450" in card["cover_image"]["url"]
    assert detail["cover_image"] == card["cover_image"]


@pytest.mark.parametrize("name", ["ordering", "free", "price_min", "rating_min"])
def test_a_typed_parameter_given_empty_is_refused(api_client, name):
    body = assert_problem(api_client.get(f"{LIST}?{name}="), 400, "invalid")
    assert list(body["errors"]) == [name]
