"""Unmatched Zoom participants in the Wagtail admin: the cohort's specialist picks the
learner each one was (or dismisses them), linked and counted from the cohort's pages;
others are refused."""

import re

import pytest
from wagtail.test.utils.form_data import querydict_from_html

from coursepages.selectors import course_teacher
from learning.models import AttendanceChange, AttendanceRecord, UnmatchedParticipant
from tests.admin_helpers import assert_refused, messages_of, staff_without_roles
from tests.factories import CohortSessionFactory, SpecialistFactory, UserFactory
from tests.learning.zoom_webhooks_helpers import MINUTE, START, meeting_ended, participant
from tests.session_helpers import member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort(zoom_session):
    return zoom_session.cohort


@pytest.fixture
def teacher(cohort):
    return course_teacher(cohort.course)


@pytest.fixture
def jill(cohort):
    return member_of(cohort, learner=UserFactory(first_name="Jill", last_name="Chill"))


@pytest.fixture
def strangers(zoom_session, zoom_send, jill):
    """Two people Zoom saw whom nobody can identify: Jill from home, and a guest speaker."""
    participant(zoom_send, "joined", START, uuid="p1", name="Jill Chill", email="jill@home.example")
    participant(zoom_send, "left", START + 50 * MINUTE, uuid="p1", name="Jill Chill")
    participant(
        zoom_send, "joined", START, uuid="p2", name="Guest Speaker", email="guest@talk.example"
    )
    meeting_ended(zoom_send)
    return (
        UnmatchedParticipant.objects.get(name="Jill Chill"),
        UnmatchedParticipant.objects.get(name="Guest Speaker"),
    )


def url(cohort):
    return f"/admin/cohorts/unmatched/{cohort.pk}/"


def form_data(client, cohort, **choices):
    response = client.get(url(cohort))
    assert response.status_code == 200
    data = querydict_from_html(response.content.decode(), form_id="unmatched-participants")
    for name, value in choices.items():
        data[name] = value
    return data


def test_the_specialist_sees_who_zoom_saw_with_the_cohorts_learners_to_pick(
    client_for, teacher, cohort, strangers
):
    response = client_for(teacher).get(url(cohort))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Jill Chill" in page and "jill@home.example" in page
    assert "Guest Speaker" in page and "guest@talk.example" in page
    assert "Not a learner" in page
    assert page.count(f"{cohort.enrollments.get().learner.email}") == 2  # a choice per row


def test_picking_a_learner_and_dismissing_a_guest_saves_both(
    client_for, teacher, cohort, zoom_session, strangers, jill
):
    from_home, speaker = strangers
    client = client_for(teacher)
    data = form_data(
        client,
        cohort,
        **{f"participant_{from_home.pk}": str(jill.pk), f"participant_{speaker.pk}": "dismiss"},
    )

    response = client.post(url(cohort), data)

    assert response.status_code == 302 and response.url == url(cohort)
    assert "2 participant(s) assigned or dismissed." in messages_of(response)
    from_home.refresh_from_db()
    speaker.refresh_from_db()
    assert (from_home.resolved_to, from_home.resolved_by) == (jill, teacher)
    assert (speaker.state, speaker.dismissed_by) == ("dismissed", teacher)
    record = AttendanceRecord.objects.get(session=zoom_session, enrollment=jill)
    assert (record.status, record.minutes_attended) == ("present", 50)
    assert record.changes.get().changed_by == teacher
    page = client.get(url(cohort)).content.decode()
    assert "Assigned to Jill Chill" in page and "participant_" not in page


def test_rows_left_undecided_stay_open(client_for, teacher, cohort, strangers):
    client = client_for(teacher)

    response = client.post(url(cohort), form_data(client, cohort))

    assert response.status_code == 302
    assert UnmatchedParticipant.objects.filter(resolved_at=None, dismissed_at=None).count() == 2


def test_a_learner_who_lost_access_meanwhile_saves_nothing(
    client_for, teacher, cohort, strangers, jill
):
    from_home, speaker = strangers
    client = client_for(teacher)
    data = form_data(
        client,
        cohort,
        **{f"participant_{from_home.pk}": str(jill.pk), f"participant_{speaker.pk}": "dismiss"},
    )
    jill.status = "refunded"
    jill.save()

    response = client.post(url(cohort), data)

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert UnmatchedParticipant.objects.filter(resolved_at=None, dismissed_at=None).count() == 2
    assert not AttendanceChange.objects.exists()


def test_the_cohort_list_shows_a_badge_and_links_here(client_for, teacher, cohort, strangers):
    client = client_for(teacher)
    page = client.get("/admin/cohorts/").content.decode()
    assert url(cohort) in page
    assert re.search(r"w-status--primary[^>]*>\s*2\s*<", page)
    edit = client.get(f"/admin/cohorts/edit/{cohort.pk}/").content.decode()
    assert "Unmatched participants (2)" in edit and url(cohort) in edit
    grid = client.get(f"/admin/cohorts/attendance/{cohort.pk}/").content.decode()
    assert "Zoom saw 2 participants it could not identify." in grid and url(cohort) in grid


def test_with_nothing_left_to_assign_there_is_no_badge(client_for, teacher, cohort, strangers):
    UnmatchedParticipant.objects.update(dismissed_at=START)
    client = client_for(teacher)
    page = client.get("/admin/cohorts/").content.decode()
    assert "w-status--primary" not in page
    edit = client.get(f"/admin/cohorts/edit/{cohort.pk}/").content.decode()
    assert "Unmatched participants (" not in edit and url(cohort) in edit


@pytest.mark.parametrize("rows", [2, 12])
def test_the_page_costs_the_same_queries_for_2_or_12_rows(
    client_for, teacher, cohort, zoom_session, rows, django_assert_max_num_queries
):
    for number in range(rows):
        UnmatchedParticipant.objects.create(
            session=zoom_session, key=f"connection:{number}", name=f"Guest {number}"
        )
        member_of(cohort)
    client = client_for(teacher)
    with django_assert_max_num_queries(14):
        response = client.get(url(cohort))
    assert response.content.decode().count("Guest ") >= rows


def test_another_specialist_gets_a_404(client_for, cohort, strangers, jill):
    client = client_for(SpecialistFactory())
    assert client.get(url(cohort)).status_code == 404
    assert client.post(url(cohort), {f"participant_{strangers[0].pk}": jill.pk}).status_code == 404
    assert UnmatchedParticipant.objects.filter(resolved_at=None).count() == 2


def test_learners_are_sent_to_sign_in(client_for, cohort, jill):
    response = client_for(jill.learner).get(url(cohort))
    assert response.status_code == 302 and "/admin/login/" in response.url


def test_admin_users_without_a_role_are_refused(client, cohort):
    client.force_login(staff_without_roles())
    assert_refused(client.get(url(cohort)))
    assert_refused(client.post(url(cohort), {}))


def test_a_cohort_with_no_unmatched_participants_says_so(client_for, teacher, cohort):
    CohortSessionFactory(cohort=cohort)
    page = client_for(teacher).get(url(cohort)).content.decode()
    assert "Everyone Zoom saw in this cohort" in page
