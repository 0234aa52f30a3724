"""Cohorts in the Wagtail admin, as the course's specialist and as those who must be refused."""

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.test.utils.form_data import querydict_from_html

from coursepages.models import LessonPage
from learning.models import Cohort, Enrollment, LessonCompletion
from tests.admin_helpers import assert_refused, messages_of, staff_without_roles
from tests.factories import (
    CohortFactory,
    SpecialistFactory,
    UserFactory,
    build_cohort_course,
    build_course,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(specialist):
    return build_cohort_course(owner=specialist, title="Python Masterclass")


@pytest.fixture
def cohort(course):
    return CohortFactory(course=course, name="Batch 3", capacity=30, seats_taken=12)


def new_cohort_data(course, **changes):
    starts_on = (timezone.now() + timedelta(days=30)).date()
    deadline = timezone.now() + timedelta(days=20)
    return {
        "course": course.pk,
        "name": "Batch 4",
        "starts_on": starts_on.isoformat(),
        "ends_on": (starts_on + timedelta(days=35)).isoformat(),
        "timezone": "America/New_York",
        "capacity": "30",
        "enrollment_deadline": deadline.strftime("%Y-%m-%d %H:%M"),
        "price": "",
        "status": "draft",
        **changes,
    }


def edit_data(client, cohort, **changes):
    """The cohort's edit form as the browser would post it, with `changes` applied."""
    response = client.get(f"/admin/cohorts/edit/{cohort.pk}/")
    assert response.status_code == 200
    data = querydict_from_html(response.content.decode(), form_id="w-editor-form")
    for name, value in changes.items():
        data[name] = value
    return data


# Listing


def test_the_specialist_lists_their_cohorts(client_for, specialist, cohort):
    CohortFactory(name="Someone else's batch")
    client = client_for(specialist)
    assert "/admin/cohorts/" in client.get("/admin/").content.decode()  # in the menu

    page = client.get("/admin/cohorts/").content.decode()

    assert "Batch 3" in page and "Python Masterclass" in page
    assert "12 / 30" in page
    assert f"{cohort.starts_on:%d %b %Y} – {cohort.ends_on:%d %b %Y}" in page
    assert "Open" in page
    assert f"/admin/cohorts/edit/{cohort.pk}/" in page
    assert f"/admin/cohorts/roster/{cohort.pk}/" in page
    assert f"/admin/cohort-sessions/?cohort={cohort.pk}" in page
    assert "Someone else" not in page


def test_the_list_filters_by_course_and_status(client_for, specialist, cohort, course):
    other_course = build_cohort_course(owner=specialist, title="Rust Masterclass")
    draft = CohortFactory(course=other_course, name="Rust batch", status="draft")
    client = client_for(specialist)

    by_course = client.get("/admin/cohorts/", {"course": other_course.pk}).content.decode()
    drafts = client.get("/admin/cohorts/", {"status": "draft"}).content.decode()

    assert f"/admin/cohorts/edit/{draft.pk}/" in by_course
    assert f"/admin/cohorts/edit/{cohort.pk}/" not in by_course
    assert f"/admin/cohorts/edit/{draft.pk}/" in drafts
    assert f"/admin/cohorts/edit/{cohort.pk}/" not in drafts


def test_editors_who_teach_nothing_see_no_cohorts(client_for, editor, cohort):
    page = client_for(editor).get("/admin/cohorts/").content.decode()
    assert "Batch 3" not in page and "There are no cohorts to display." in page
    assert client_for(editor).get(f"/admin/cohorts/edit/{cohort.pk}/").status_code == 404


# Creating


def test_the_course_choice_offers_only_cohort_courses_i_teach(client_for, specialist, course):
    build_course(owner=specialist, title="Self-paced Basics")
    build_cohort_course(title="Another Teacher's Cohorts")
    page = client_for(specialist).get("/admin/cohorts/new/").content.decode()
    assert "Python Masterclass" in page
    assert "Self-paced Basics" not in page
    assert "Another Teacher" not in page


def test_the_specialist_creates_a_cohort(client_for, specialist, course):
    response = client_for(specialist).post(
        "/admin/cohorts/new/", new_cohort_data(course, price="299.00", status="open")
    )

    assert response.status_code == 302
    cohort = Cohort.objects.get()
    assert (cohort.course, cohort.name, cohort.status, cohort.capacity) == (
        course, "Batch 4", "open", 30
    )  # fmt: skip
    assert str(cohort.price) == "299.00"
    assert any("Batch 4" in message for message in messages_of(response))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"capacity": "0"}, "greater than or equal to 1"),
        ({"enrollment_deadline": "2020-01-01 10:00"}, "has to be in the future"),
        ({"timezone": "Mars/Olympus_Mons"}, "Unknown time zone"),
        ({"status": "completed"}, "Select a valid choice"),
    ],
)
def test_a_refused_cohort_is_a_form_error_and_saves_nothing(
    client_for, specialist, course, changes, message
):
    response = client_for(specialist).post(
        "/admin/cohorts/new/", new_cohort_data(course, **changes)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Cohort.objects.exists()


def test_a_course_someone_else_teaches_cannot_be_chosen(client_for, specialist):
    theirs = build_cohort_course(title="Not mine")
    response = client_for(specialist).post("/admin/cohorts/new/", new_cohort_data(theirs))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Cohort.objects.exists()


# Editing


def test_the_specialist_edits_a_cohort(client_for, specialist, cohort):
    client = client_for(specialist)
    page = client.get(f"/admin/cohorts/edit/{cohort.pk}/").content.decode()
    assert f"/admin/cohorts/roster/{cohort.pk}/" in page
    assert f"/admin/cohort-sessions/?cohort={cohort.pk}" in page

    response = client.post(
        f"/admin/cohorts/edit/{cohort.pk}/",
        edit_data(client, cohort, name="Batch 3 (evenings)", capacity="40", status="closed"),
    )

    assert response.status_code == 302
    cohort.refresh_from_db()
    assert (cohort.name, cohort.capacity, cohort.status, cohort.seats_taken) == (
        "Batch 3 (evenings)", 40, "closed", 12
    )  # fmt: skip


def test_the_status_choices_are_the_allowed_next_ones(client_for, specialist, cohort):
    Cohort.objects.filter(pk=cohort.pk).update(status="draft")
    page = client_for(specialist).get(f"/admin/cohorts/edit/{cohort.pk}/").content.decode()
    assert 'value="open"' in page and 'value="cancelled"' in page
    assert 'value="closed"' not in page and 'value="completed"' not in page


def test_capacity_below_the_seats_taken_is_a_form_error(client_for, specialist, cohort):
    client = client_for(specialist)
    response = client.post(
        f"/admin/cohorts/edit/{cohort.pk}/", edit_data(client, cohort, capacity="11", name="X")
    )
    assert response.status_code == 200
    assert "12 seats are taken" in response.content.decode()
    cohort.refresh_from_db()
    assert (cohort.capacity, cohort.name) == (30, "Batch 3")


def test_cancelling_with_learners_is_a_form_error_saying_what_to_do(client_for, specialist, cohort):
    Enrollment.objects.create(
        learner=UserFactory(), course=cohort.course, cohort=cohort, status="active"
    )
    client = client_for(specialist)
    response = client.post(
        f"/admin/cohorts/edit/{cohort.pk}/", edit_data(client, cohort, status="cancelled")
    )
    assert response.status_code == 200
    assert "transfer them to another cohort or refund them" in response.content.decode()
    assert Cohort.objects.get().status == "open"


# Roster


def enroll(cohort, count):
    lesson = LessonPage.objects.descendant_of(cohort.course).first()
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
    LessonCompletion.objects.create(enrollment=enrollments[0], lesson=lesson)
    return enrollments


def test_the_roster_shows_learners_status_and_progress(client_for, specialist, cohort):
    enroll(cohort, 2)
    Enrollment.objects.create(
        learner=UserFactory(first_name="Elsewhere"),
        course=cohort.course,
        cohort=CohortFactory(course=cohort.course),
        status="active",
    )

    page = client_for(specialist).get(f"/admin/cohorts/roster/{cohort.pk}/").content.decode()

    assert "Ada Learner0" in page and "Ada Learner1" in page
    assert "Elsewhere" not in page
    assert "100%" in page and "0%" in page
    assert "Active" in page
    assert "Python Masterclass – Batch 3" in page


def test_the_roster_exports_every_row_as_csv(client_for, specialist, cohort):
    enroll(cohort, 3)
    response = client_for(specialist).get(f"/admin/cohorts/roster/{cohort.pk}/?export=csv")

    assert response.status_code == 200
    assert "-batch-3-roster.csv" in response["Content-Disposition"]
    lines = response.getvalue().decode().splitlines()
    assert lines[0] == "Enrollment,Learner,E-mail,Status,Enrolled,Activated,Progress (%)"
    assert len(lines) == 4
    assert lines[1].split(",")[1] == "Ada Learner0" and lines[1].endswith(",100")


def test_the_roster_exports_a_formula_for_a_name_as_text(client_for, specialist, cohort):
    [enrollment] = enroll(cohort, 1)
    enrollment.learner.first_name, enrollment.learner.last_name = "@SUM(1+1)", "+cmd"
    enrollment.learner.save()

    response = client_for(specialist).get(f"/admin/cohorts/roster/{cohort.pk}/?export=csv")

    assert response.status_code == 200
    [row] = list(csv.DictReader(io.StringIO(response.getvalue().decode())))
    assert row["Learner"] == "'@SUM(1+1) +cmd"


@pytest.mark.parametrize("learners", [3, 30])
def test_the_roster_costs_the_same_queries_for_3_or_30_learners(
    client_for, specialist, cohort, learners, django_assert_max_num_queries
):
    enroll(cohort, learners)
    client = client_for(specialist)
    with django_assert_max_num_queries(16):
        response = client.get(f"/admin/cohorts/roster/{cohort.pk}/")
    assert response.content.decode().count("Ada Learner") == learners


# Refused


def test_another_specialist_cannot_see_edit_or_read_the_roster(client_for, cohort):
    client = client_for(SpecialistFactory())
    assert "Batch 3" not in client.get("/admin/cohorts/").content.decode()
    assert client.get(f"/admin/cohorts/edit/{cohort.pk}/").status_code == 404
    data = {"name": "Mine", "capacity": "31"}
    assert client.post(f"/admin/cohorts/edit/{cohort.pk}/", data).status_code == 404
    assert client.get(f"/admin/cohorts/roster/{cohort.pk}/").status_code == 404
    assert client.get(f"/admin/cohorts/roster/{cohort.pk}/?export=csv").status_code == 404
    assert Cohort.objects.get().name == "Batch 3"


def test_cohorts_cannot_be_deleted_here(client_for, specialist, cohort):
    assert_refused(client_for(specialist).post(f"/admin/cohorts/delete/{cohort.pk}/"))
    assert Cohort.objects.filter(pk=cohort.pk).exists()


def test_learners_do_not_reach_cohorts(client_for, cohort):
    client = client_for(UserFactory())
    for url in ("/admin/cohorts/", f"/admin/cohorts/roster/{cohort.pk}/"):
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response.url


def test_admin_users_without_a_role_are_refused(client, cohort, course):
    client.force_login(staff_without_roles())
    assert "/admin/cohorts/" not in client.get("/admin/").content.decode()
    assert_refused(client.get("/admin/cohorts/"))
    assert_refused(client.get("/admin/cohorts/new/"))
    assert_refused(client.post("/admin/cohorts/new/", new_cohort_data(course)))
    assert_refused(client.get(f"/admin/cohorts/edit/{cohort.pk}/"))
    assert_refused(client.get(f"/admin/cohorts/roster/{cohort.pk}/"))
    assert Cohort.objects.count() == 1


def test_superusers_manage_every_cohort(client, cohort):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.get(f"/admin/cohorts/edit/{cohort.pk}/").status_code == 200
    assert client.get(f"/admin/cohorts/roster/{cohort.pk}/").status_code == 200
