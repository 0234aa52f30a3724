"""The cohort journey in the Wagtail admin, clicked through in a real browser: a specialist
signs in, adds a cohort, schedules and reschedules its live session, and meets a refusal."""

import re
from datetime import UTC, date, datetime

import pytest
from playwright.sync_api import expect

from learning.models import Cohort, CohortSession
from tests.factories import PASSWORD, CohortFactory, SpecialistFactory, build_cohort_course

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

NEXT_YEAR = date.today().year + 1


@pytest.fixture
def teacher():
    return SpecialistFactory(username="sam.teacher")


@pytest.fixture
def course(teacher):
    return build_cohort_course(owner=teacher, title="Python Masterclass")


def sign_in(page, user):
    page.goto("/admin/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("navigation", name="Main menu")).to_be_visible()


def test_the_specialist_adds_a_cohort_through_the_menu_and_form(page, teacher, course):
    sign_in(page, teacher)

    page.get_by_role("link", name="Cohorts").click()
    page.get_by_role("link", name="Add cohort").click()
    page.get_by_label("Course").select_option(label="Python Masterclass")
    page.get_by_label("Name").fill("Batch 3")
    page.get_by_label("Starts on").fill(f"{NEXT_YEAR}-03-01")
    page.get_by_label("Ends on").fill(f"{NEXT_YEAR}-04-05")
    page.get_by_label("Timezone").fill("America/New_York")
    page.get_by_label("Capacity").fill("30")
    page.get_by_label("Enrollment deadline").fill(f"{NEXT_YEAR}-02-25 17:00")
    page.get_by_label("Status").select_option(label="Open")
    page.get_by_role("button", name="Create").click()

    expect(page.get_by_text("Cohort 'Python Masterclass – Batch 3' created.")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Batch 3")
    expect(row).to_contain_text("0 / 30")
    expect(row).to_contain_text("Python Masterclass")
    expect(row).to_contain_text("Open")
    cohort = Cohort.objects.get()
    assert (cohort.course_id, cohort.name, cohort.capacity, cohort.status) == (
        course.pk, "Batch 3", 30, "open"
    )  # fmt: skip
    assert (cohort.starts_on, cohort.ends_on) == (date(NEXT_YEAR, 3, 1), date(NEXT_YEAR, 4, 5))
    assert cohort.timezone == "America/New_York"
    assert cohort.enrollment_deadline == datetime(NEXT_YEAR, 2, 25, 17, tzinfo=UTC)


def test_an_end_before_the_start_is_shown_at_the_field_and_saves_nothing(page, teacher, course):
    sign_in(page, teacher)
    page.goto("/admin/cohorts/new/")
    page.get_by_label("Course").select_option(label="Python Masterclass")
    page.get_by_label("Name").fill("Batch 3")
    page.get_by_label("Starts on").fill(f"{NEXT_YEAR}-03-01")
    page.get_by_label("Ends on").fill(f"{NEXT_YEAR}-02-01")
    page.get_by_label("Timezone").fill("America/New_York")
    page.get_by_label("Capacity").fill("30")
    page.get_by_label("Enrollment deadline").fill(f"{NEXT_YEAR}-02-25 17:00")
    page.get_by_role("button", name="Create").click()

    expect(page.get_by_text("The cohort could not be created due to errors.")).to_be_visible()
    ends_on = page.locator("[data-field-wrapper]").filter(has=page.get_by_label("Ends on"))
    expect(ends_on).to_contain_text("A cohort cannot end before it starts.")
    expect(page.get_by_label("Ends on")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Ends on")).to_have_value(f"{NEXT_YEAR}-02-01")  # kept to mend
    assert not Cohort.objects.exists()


@pytest.fixture
def batch(course):
    return CohortFactory(
        course=course,
        name="Batch 3",
        starts_on=date(NEXT_YEAR, 3, 1),
        ends_on=date(NEXT_YEAR, 4, 5),
        enrollment_deadline=datetime(NEXT_YEAR, 2, 25, tzinfo=UTC),
    )


def test_the_specialist_schedules_and_reschedules_a_session_in_the_cohorts_zone(
    page, teacher, batch
):
    sign_in(page, teacher)
    page.get_by_role("link", name="Cohorts").click()
    row = page.get_by_role("row").filter(has_text="Batch 3")
    row.get_by_role("button", name="More options").click()
    row.get_by_role("link", name="Sessions").click()
    expect(page.get_by_text("No cohort sessions match your query.")).to_be_visible()

    page.get_by_role("link", name="Add cohort session").click()
    page.get_by_role("combobox", name="Cohort").select_option(label="Python Masterclass – Batch 3")
    page.get_by_label("Title").fill("Generators")
    page.get_by_label("Starts at").fill(f"{NEXT_YEAR}-03-16 19:00")  # after DST began
    page.get_by_label("Duration minutes").fill("90")
    page.get_by_label("Meeting url").fill("https://meet.example.com/py3")
    page.get_by_role("button", name="Create").click()

    expect(page.get_by_text("Cohort session 'Batch 3: Generators' created.")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Generators")
    expect(row).to_contain_text(f"{in_march(16)}, 7:00 PM EDT (23:00 UTC)")
    # The last two columns: the revision, and the meeting's sync state.
    expect(row.get_by_role("cell").nth(-2)).to_have_text("0")
    expect(row.get_by_role("cell").last).to_have_text("Not needed (manual link)")
    session = CohortSession.objects.get()
    assert (session.cohort, session.duration_minutes, session.revision) == (batch, 90, 0)
    assert session.starts_at == datetime(NEXT_YEAR, 3, 16, 23, tzinfo=UTC)
    assert session.meeting_url == "https://meet.example.com/py3"

    row.get_by_role("link", name="Generators").click()
    # Shown back as typed, in New York time (the form adds the seconds).
    expect(page.get_by_label("Starts at")).to_have_value(re.compile(rf"^{NEXT_YEAR}-03-16 19:00"))
    page.get_by_label("Starts at").fill(f"{NEXT_YEAR}-03-18 19:30")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_text("Cohort session 'Batch 3: Generators' updated.")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Generators")
    expect(row).to_contain_text(f"{in_march(18)}, 7:30 PM EDT (23:30 UTC)")
    expect(row.get_by_role("cell").nth(-2)).to_have_text("1")
    session.refresh_from_db()
    assert session.starts_at == datetime(NEXT_YEAR, 3, 18, 23, 30, tzinfo=UTC)
    assert session.revision == 1


def in_march(day):
    """How the session list writes a day of March next year: 'Tue 16 Mar 2027'."""
    march = date(NEXT_YEAR, 3, day)
    return f"{march:%a} {day} Mar {NEXT_YEAR}"
