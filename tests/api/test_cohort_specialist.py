"""The specialist's cohorts through the API: listing, creating and editing batches, and the
roster; every refusal is a problem that changes nothing, for everyone but the teacher."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.forms.models import model_to_dict
from django.utils import timezone

from coursepages.models import LessonPage
from learning.models import Cohort, Enrollment, LessonCompletion
from tests.api_helpers import assert_problem
from tests.factories import (
    CohortFactory,
    EditorFactory,
    SpecialistFactory,
    UserFactory,
    build_cohort_course,
    build_course,
)

pytestmark = pytest.mark.django_db

REFUSED_READERS = ["anonymous", "learner", "other_specialist", "editor"]


@pytest.fixture
def course(specialist):
    return build_cohort_course(owner=specialist, title="Python Masterclass", price=Decimal("199"))


@pytest.fixture
def cohort(course):
    return CohortFactory(course=course, name="Batch 3", capacity=30, price=Decimal("299.00"))


def sign_in(api_client, who):
    """Authenticate as a fresh caller of that kind (nobody for "anonymous")."""
    if who == "anonymous":
        return
    kinds = {"learner": UserFactory, "other_specialist": SpecialistFactory, "editor": EditorFactory}
    api_client.force_authenticate(kinds[who]())


def refused_read(who):
    return (401, "not_authenticated") if who == "anonymous" else (404, "not_found")


def new_batch(for_course, **changes):
    deadline = timezone.now() + timedelta(days=20)
    starts_on = (timezone.now() + timedelta(days=30)).date()
    return {
        "course": for_course.pk,
        "name": "Batch 4",
        "starts_on": starts_on.isoformat(),
        "ends_on": (starts_on + timedelta(days=35)).isoformat(),
        "timezone": "America/New_York",
        "capacity": 30,
        "enrollment_deadline": deadline.isoformat(),
        **changes,
    }


def stored(cohort):
    return model_to_dict(Cohort.objects.get(pk=cohort.pk))


# Listing


def test_my_cohorts_of_every_status_with_seats_and_price(
    api_client, specialist, course, cohort, django_assert_max_num_queries
):
    Cohort.objects.filter(pk=cohort.pk).update(seats_taken=12)
    for status in ("draft", "closed", "cancelled", "completed"):
        CohortFactory(course=course, status=status)
    other_course = build_cohort_course(owner=specialist)
    CohortFactory(course=other_course)
    CohortFactory()  # someone else's
    api_client.force_authenticate(specialist)

    with django_assert_max_num_queries(2):
        response = api_client.get("/api/v1/cohorts/")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 6 and body["next"] is None
    statuses = {row["status"] for row in body["results"]}
    assert statuses == {"open", "draft", "closed", "cancelled", "completed"}
    [batch] = [row for row in body["results"] if row["id"] == cohort.pk]
    assert batch["course"] == {"id": course.pk, "slug": course.slug, "title": "Python Masterclass"}
    assert (batch["capacity"], batch["seats_taken"], batch["seats_left"]) == (30, 12, 18)
    assert batch["price"] == batch["own_price"] == {"amount": "299.00", "currency": "USD"}
    assert batch["timezone"] == "America/New_York"
    assert batch["starts_on"] == cohort.starts_on.isoformat()
    assert batch["ends_on"] == cohort.ends_on.isoformat()
    assert batch["enrollment_deadline"]

    by_course = api_client.get("/api/v1/cohorts/", {"course": other_course.pk}).json()
    assert [row["course"]["id"] for row in by_course["results"]] == [other_course.pk]


def test_a_cohort_without_its_own_price_shows_the_courses(api_client, specialist, course):
    CohortFactory(course=course, price=None)
    api_client.force_authenticate(specialist)
    [row] = api_client.get("/api/v1/cohorts/").json()["results"]
    assert row["own_price"] is None
    assert row["price"] == {"amount": "199.00", "currency": "USD"}


def test_the_list_is_paginated(api_client, specialist, course):
    for _ in range(3):
        CohortFactory(course=course)
    api_client.force_authenticate(specialist)
    body = api_client.get("/api/v1/cohorts/", {"page_size": 2}).json()
    assert body["count"] == 3 and len(body["results"]) == 2 and body["next"]


@pytest.mark.parametrize("who", ["learner", "other_specialist", "editor"])
def test_others_list_none_of_my_cohorts(api_client, cohort, who):
    sign_in(api_client, who)
    assert api_client.get("/api/v1/cohorts/").json()["count"] == 0


def test_the_list_needs_a_sign_in_and_a_numeric_course(api_client, specialist):
    assert_problem(api_client.get("/api/v1/cohorts/"), 401, "not_authenticated")
    api_client.force_authenticate(specialist)
    body = assert_problem(api_client.get("/api/v1/cohorts/", {"course": "x"}), 400, "invalid")
    assert "course" in body["errors"]


# Creating


def test_the_specialist_creates_a_batch(api_client, specialist, course):
    api_client.force_authenticate(specialist)

    response = api_client.post("/api/v1/cohorts/", new_batch(course, price="249.00"))

    assert response.status_code == 201
    body = response.json()
    cohort = Cohort.objects.get()
    assert body["id"] == cohort.pk
    assert (body["status"], body["capacity"], body["seats_left"]) == ("draft", 30, 30)
    assert body["price"] == {"amount": "249.00", "currency": "USD"}
    assert (cohort.name, cohort.course, cohort.price) == ("Batch 4", course, Decimal("249.00"))


def test_a_batch_can_be_created_open(api_client, specialist, course):
    api_client.force_authenticate(specialist)
    response = api_client.post("/api/v1/cohorts/", new_batch(course, status="open"))
    assert response.status_code == 201
    assert response.json()["status"] == Cohort.objects.get().status == "open"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"capacity": 0}, "capacity"),
        ({"capacity": -1}, "capacity"),
        ({"timezone": "Mars/Olympus_Mons"}, "timezone"),
        ({"price": "-1.00"}, "price"),
        ({"enrollment_deadline": "2020-01-01T00:00:00Z"}, "enrollment_deadline"),
        ({"ends_on": "the day before it starts"}, "ends_on"),
        ({"status": "completed"}, "status"),
        ({"name": ""}, "name"),
        ({"starts_on": "next week"}, "starts_on"),
        ({"course": 999_999}, "course"),
    ],
)
def test_bad_input_is_a_400_on_its_field_and_saves_nothing(
    api_client, specialist, course, changes, field
):
    api_client.force_authenticate(specialist)
    batch = new_batch(course, **changes)
    if field == "ends_on":
        batch["ends_on"] = (date.fromisoformat(batch["starts_on"]) - timedelta(days=1)).isoformat()

    body = assert_problem(api_client.post("/api/v1/cohorts/", batch), 400, "invalid")

    assert list(body["errors"]) == [field]
    assert not Cohort.objects.exists()


def test_a_self_paced_course_gets_no_cohort(api_client, specialist):
    course = build_course(owner=specialist)
    api_client.force_authenticate(specialist)
    body = assert_problem(api_client.post("/api/v1/cohorts/", new_batch(course)), 400, "invalid")
    assert body["errors"] == {"course": ["This course is self-paced: it has no cohorts."]}
    assert not Cohort.objects.exists()


@pytest.mark.parametrize("who", REFUSED_READERS)
def test_only_the_teacher_creates_batches_of_a_course(api_client, course, who):
    sign_in(api_client, who)
    expected = (401, "not_authenticated") if who == "anonymous" else (403, "not_teaching")
    assert_problem(api_client.post("/api/v1/cohorts/", new_batch(course)), *expected)
    assert not Cohort.objects.exists()


# Editing


def test_the_specialist_edits_a_batch(api_client, specialist, cohort):
    api_client.force_authenticate(specialist)

    response = api_client.patch(
        f"/api/v1/cohorts/{cohort.pk}/", {"name": "Batch 3 (evenings)", "capacity": 35}
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["name"], body["capacity"], body["seats_left"]) == ("Batch 3 (evenings)", 35, 35)
    cohort.refresh_from_db()
    assert (cohort.name, cohort.capacity) == ("Batch 3 (evenings)", 35)


def test_the_price_override_can_be_removed(api_client, specialist, cohort):
    api_client.force_authenticate(specialist)
    body = api_client.patch(f"/api/v1/cohorts/{cohort.pk}/", {"price": None}).json()
    assert body["own_price"] is None and body["price"]["amount"] == "199.00"
    assert Cohort.objects.get().price is None


def test_capacity_below_the_seats_taken_is_a_409(api_client, specialist, cohort):
    Cohort.objects.filter(pk=cohort.pk).update(seats_taken=25)
    api_client.force_authenticate(specialist)
    before = stored(cohort)

    response = api_client.patch(f"/api/v1/cohorts/{cohort.pk}/", {"capacity": 24, "name": "X"})

    assert_problem(response, 409, "capacity_below_seats_taken")
    assert stored(cohort) == before
    ok = api_client.patch(f"/api/v1/cohorts/{cohort.pk}/", {"capacity": 25})
    assert ok.status_code == 200 and ok.json()["seats_left"] == 0


def test_a_refused_status_change_is_a_409(api_client, specialist, cohort):
    api_client.force_authenticate(specialist)
    done = api_client.patch(f"/api/v1/cohorts/{cohort.pk}/", {"status": "completed"})
    assert done.status_code == 200
    response = api_client.patch(f"/api/v1/cohorts/{cohort.pk}/", {"status": "open"})
    assert_problem(response, 409, "invalid_transition")
    assert Cohort.objects.get().status == "completed"


def test_cancelling_a_cohort_with_learners_is_refused_until_they_leave(
    api_client, specialist, cohort
):
    enrollment = Enrollment.objects.create(
        learner=UserFactory(), course=cohort.course, cohort=cohort, status="active"
    )
    api_client.force_authenticate(specialist)

    response = api_client.patch(f"/api/v1/cohorts/{cohort.pk}/", {"status": "cancelled"})

    body = assert_problem(response, 409, "cohort_has_learners")
    assert body["enrollments"] == 1
    assert Cohort.objects.get().status == "open"
    Enrollment.objects.filter(pk=enrollment.pk).update(status="refunded")
    cancelled = api_client.patch(f"/api/v1/cohorts/{cohort.pk}/", {"status": "cancelled"})
    assert cancelled.json()["status"] == "cancelled"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"capacity": 0}, "capacity"),
        ({"timezone": "Nowhere"}, "timezone"),
        ({"enrollment_deadline": "2020-01-01T00:00:00Z"}, "enrollment_deadline"),
        ({"status": "paused"}, "status"),
        ({"price": "-0.01"}, "price"),
    ],
)
def test_bad_edits_are_a_400_and_change_nothing(api_client, specialist, cohort, changes, field):
    api_client.force_authenticate(specialist)
    before = stored(cohort)
    response = api_client.patch(f"/api/v1/cohorts/{cohort.pk}/", {"name": "Renamed", **changes})
    assert list(assert_problem(response, 400, "invalid")["errors"]) == [field]
    assert stored(cohort) == before


@pytest.mark.parametrize("who", REFUSED_READERS)
def test_only_the_teacher_edits(api_client, cohort, who):
    sign_in(api_client, who)
    before = stored(cohort)
    response = api_client.patch(f"/api/v1/cohorts/{cohort.pk}/", {"name": "Mine"})
    assert_problem(response, *refused_read(who))
    assert stored(cohort) == before


def test_the_detail_stays_public_for_an_open_cohort(api_client, cohort):
    response = api_client.get(f"/api/v1/cohorts/{cohort.pk}/")
    assert response.status_code == 200 and response.json()["name"] == "Batch 3"
    assert "seats_taken" not in response.json()  # the specialist's fields stay theirs


# Roster


def enroll_learners(cohort, count):
    lessons = list(LessonPage.objects.descendant_of(cohort.course))
    enrollments = [
        Enrollment.objects.create(
            learner=UserFactory(first_name="Ada", last_name=f"Learner{n}"),
            course=cohort.course,
            cohort=cohort,
            status="active",
            activated_at=timezone.now(),
        )
        for n in range(count)
    ]
    LessonCompletion.objects.create(enrollment=enrollments[0], lesson=lessons[0])
    return enrollments


def test_the_roster_lists_the_cohorts_learners_with_progress(api_client, specialist, cohort):
    first, second = enroll_learners(cohort, 2)
    Enrollment.objects.filter(pk=second.pk).update(status="pending_payment", activated_at=None)
    elsewhere = CohortFactory(course=cohort.course)
    Enrollment.objects.create(
        learner=UserFactory(), course=cohort.course, cohort=elsewhere, status="active"
    )
    api_client.force_authenticate(specialist)

    response = api_client.get(f"/api/v1/cohorts/{cohort.pk}/enrollments/")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert body["results"][0] == {
        "enrollment": first.pk,
        "learner": "Ada Learner0",
        "email": first.learner.email,
        "status": "active",
        "enrolled_at": body["results"][0]["enrolled_at"],
        "activated_at": body["results"][0]["activated_at"],
        "completed_lessons": 1,
        "progress_percent": 100,  # the cohort course has one lesson
    }
    assert body["results"][0]["enrolled_at"] and body["results"][0]["activated_at"]
    assert body["results"][1]["status"] == "pending_payment"
    assert body["results"][1]["activated_at"] is None
    assert body["results"][1]["progress_percent"] == 0


@pytest.mark.parametrize("ask", ["format", "accept"])
def test_the_roster_downloads_as_csv(api_client, specialist, cohort, ask):
    enroll_learners(cohort, 3)
    api_client.force_authenticate(specialist)
    url = f"/api/v1/cohorts/{cohort.pk}/enrollments/"

    if ask == "format":
        response = api_client.get(url, {"format": "csv", "page_size": 1})
    else:
        response = api_client.get(url, {"page_size": 1}, HTTP_ACCEPT="text/csv")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == (
        f'attachment; filename="{cohort.course.slug}-batch-3-roster.csv"'
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 3  # every row, whatever the page size
    assert [row["learner"] for row in rows] == ["Ada Learner0", "Ada Learner1", "Ada Learner2"]
    assert [row["progress_percent"] for row in rows] == ["100", "0", "0"]
    assert {"enrollment", "status", "enrolled_at", "activated_at"} <= set(rows[0])


def test_a_name_that_is_a_formula_downloads_as_text(api_client, specialist, cohort):
    [enrollment] = enroll_learners(cohort, 1)
    enrollment.learner.first_name, enrollment.learner.last_name = '=HYPERLINK("http://x")', ""
    enrollment.learner.save()
    api_client.force_authenticate(specialist)

    response = api_client.get(f"/api/v1/cohorts/{cohort.pk}/enrollments/", {"format": "csv"})

    assert response.status_code == 200
    [row] = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert row["learner"] == '\'=HYPERLINK("http://x")'


@pytest.mark.parametrize("learners", [3, 30])
def test_the_roster_costs_the_same_queries_for_3_or_30_learners(
    api_client, specialist, cohort, learners, django_assert_max_num_queries
):
    enroll_learners(cohort, learners)
    api_client.force_authenticate(specialist)
    url = f"/api/v1/cohorts/{cohort.pk}/enrollments/"

    with django_assert_max_num_queries(5):
        page = api_client.get(url, {"page_size": 100})
    with django_assert_max_num_queries(5):
        download = api_client.get(url, {"format": "csv"})

    assert len(page.json()["results"]) == learners
    assert len(download.content.decode().splitlines()) == 1 + learners


@pytest.mark.parametrize("who", REFUSED_READERS)
def test_others_get_no_roster(api_client, cohort, who):
    enroll_learners(cohort, 1)
    sign_in(api_client, who)
    url = f"/api/v1/cohorts/{cohort.pk}/enrollments/"
    assert_problem(api_client.get(url), *refused_read(who))
    assert_problem(api_client.get(url, {"format": "csv"}), *refused_read(who))


def test_a_learner_of_the_cohort_gets_no_roster(api_client, cohort):
    [enrollment] = enroll_learners(cohort, 1)
    api_client.force_authenticate(enrollment.learner)
    url = f"/api/v1/cohorts/{cohort.pk}/enrollments/"
    assert_problem(api_client.get(url), 404, "not_found")
