"""Live sessions in the Wagtail admin, as the specialist teaching the cohort and as those who
must be refused: the same rules, revisions and notifications as the API."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from learning.models import CohortSession, Notification
from tests.admin_helpers import assert_refused, messages_of, staff_without_roles
from tests.factories import CohortFactory, CohortSessionFactory, SpecialistFactory
from tests.session_helpers import freeze, member_of

pytestmark = pytest.mark.django_db

NEW_YORK = ZoneInfo("America/New_York")


@pytest.fixture
def batch(monkeypatch):
    freeze(monkeypatch, datetime(2024, 2, 1, 12, tzinfo=UTC))
    return CohortFactory(
        name="Batch 3",
        starts_on=date(2024, 3, 1),
        ends_on=date(2024, 4, 5),
        enrollment_deadline=datetime(2024, 2, 25, tzinfo=UTC),
    )


@pytest.fixture
def teacher(batch):
    return batch.course.owner


@pytest.fixture
def session(batch):
    return CohortSessionFactory(
        cohort=batch, title="Decorators", starts_at=datetime(2024, 3, 5, 19, tzinfo=NEW_YORK)
    )


def form_data(cohort, **fields):
    return {
        "cohort": cohort.pk,
        "title": "Generators",
        "starts_at": "2024-03-07 19:00",
        "duration_minutes": 60,
        "description": "",
        "meeting_url": "https://meet.example.com/py3",
        **fields,
    }


def test_the_index_url_other_pages_link_to():
    assert reverse("cohort_sessions:index") == "/admin/cohort-sessions/"


def test_the_teacher_schedules_at_7pm_in_the_cohorts_zone(client_for, batch, teacher):
    learner = member_of(batch).learner
    client = client_for(teacher)
    form = client.get("/admin/cohort-sessions/new/")
    assert form.status_code == 200
    assert "Batch 3" in form.content.decode()

    response = client.post("/admin/cohort-sessions/new/", form_data(batch))

    assert response.status_code == 302
    session = CohortSession.objects.get()
    assert session.starts_at == datetime(2024, 3, 8, 0, tzinfo=UTC)  # 7 PM EST
    assert session.revision == 0
    note = Notification.objects.get(kind="session_scheduled")
    assert note.user == learner
    assert "Thu 7 Mar 2024, 7:00 PM EST" in note.body


def test_the_cohort_list_offers_only_cohorts_the_user_teaches(client_for, batch, teacher):
    elsewhere = CohortFactory(name="Someone else's batch")
    page = client_for(teacher).get("/admin/cohort-sessions/new/").content.decode()
    assert "Batch 3" in page and "Someone else&#x27;s batch" not in page

    response = client_for(teacher).post("/admin/cohort-sessions/new/", form_data(elsewhere))

    assert response.status_code == 200
    assert not CohortSession.objects.exists()


def test_a_rule_error_is_shown_on_the_form_and_saves_nothing(client_for, batch, teacher, session):
    member_of(batch)
    response = client_for(teacher).post(
        "/admin/cohort-sessions/new/", form_data(batch, starts_at="2024-03-05 19:30")
    )
    assert response.status_code == 200
    assert "overlaps the session “Decorators”" in response.content.decode()
    assert CohortSession.objects.count() == 1
    assert not Notification.objects.exists()


def test_the_edit_form_shows_and_takes_local_time_and_raises_the_revision(
    client_for, batch, teacher, session
):
    member_of(batch)
    client = client_for(teacher)
    page = client.get(f"/admin/cohort-sessions/edit/{session.pk}/").content.decode()
    assert "2024-03-05 19:00" in page

    response = client.post(
        f"/admin/cohort-sessions/edit/{session.pk}/",
        form_data(batch, title="Decorators", starts_at="2024-03-12 19:00"),
    )

    assert response.status_code == 302
    session.refresh_from_db()
    assert session.starts_at == datetime(2024, 3, 12, 23, tzinfo=UTC)  # 7 PM EDT
    assert session.revision == 1
    note = Notification.objects.get(kind="session_rescheduled")
    assert "to Tue 12 Mar 2024, 7:00 PM EDT (23:00 UTC)" in note.body


def test_a_title_edit_keeps_the_revision(client_for, batch, teacher, session):
    member_of(batch)
    response = client_for(teacher).post(
        f"/admin/cohort-sessions/edit/{session.pk}/",
        form_data(batch, title="Decorators, part 1", starts_at="2024-03-05 19:00"),
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.title, session.revision) == ("Decorators, part 1", 0)
    assert not Notification.objects.exists()


def test_the_teacher_cancels_a_session(client_for, batch, teacher, session):
    member_of(batch)
    client = client_for(teacher)
    confirm = client.get(f"/admin/cohort-sessions/cancel/{session.pk}/")
    assert confirm.status_code == 200
    assert "Yes, cancel this session" in confirm.content.decode()

    response = client.post(f"/admin/cohort-sessions/cancel/{session.pk}/")

    assert response.status_code == 302
    assert response.url == f"/admin/cohort-sessions/?cohort={batch.pk}"
    session.refresh_from_db()
    assert (session.status, session.revision) == ("cancelled", 1)
    assert Notification.objects.filter(kind="session_cancelled").count() == 1

    again = client.post(f"/admin/cohort-sessions/cancel/{session.pk}/")
    assert any("cancelled" in m for m in messages_of(again))
    session.refresh_from_db()
    assert session.revision == 1


def test_the_index_filters_by_cohort(client_for, batch, teacher, session):
    second = CohortFactory(course=batch.course, name="Batch 4", starts_on=date(2024, 5, 1))
    CohortSessionFactory(cohort=second, title="Closures")
    CohortSessionFactory(title="Someone else's session")
    client = client_for(teacher)

    everything = client.get("/admin/cohort-sessions/").content.decode()
    filtered = client.get(f"/admin/cohort-sessions/?cohort={batch.pk}").content.decode()

    assert "Decorators" in everything and "Closures" in everything
    assert "Someone else" not in everything
    assert "Decorators" in filtered and "Closures" not in filtered
    assert "Tue 5 Mar 2024, 7:00 PM EST" in filtered


# Refused


def test_another_specialist_gets_404_for_a_session_not_theirs(client_for, batch, session):
    client = client_for(SpecialistFactory())
    assert "Decorators" not in client.get("/admin/cohort-sessions/").content.decode()
    assert client.get(f"/admin/cohort-sessions/edit/{session.pk}/").status_code == 404
    assert (
        client.post(
            f"/admin/cohort-sessions/edit/{session.pk}/",
            form_data(batch, starts_at="2024-03-12 19:00"),
        ).status_code
        == 404
    )
    assert client.get(f"/admin/cohort-sessions/cancel/{session.pk}/").status_code == 404
    assert client.post(f"/admin/cohort-sessions/cancel/{session.pk}/").status_code == 404
    session.refresh_from_db()
    assert (session.status, session.revision) == ("scheduled", 0)


def test_admin_users_without_a_role_are_refused(client_for, session):
    client = client_for(staff_without_roles())
    assert_refused(client.get("/admin/cohort-sessions/"))
    assert_refused(client.get("/admin/cohort-sessions/new/"))
    assert_refused(client.get(f"/admin/cohort-sessions/edit/{session.pk}/"))
    assert_refused(client.post(f"/admin/cohort-sessions/cancel/{session.pk}/"))
    session.refresh_from_db()
    assert session.status == "scheduled"


def test_a_learner_without_admin_access_is_sent_to_sign_in(client_for, batch, session):
    client = client_for(member_of(batch).learner)
    for url in ("/admin/cohort-sessions/", f"/admin/cohort-sessions/cancel/{session.pk}/"):
        response = client.post(url) if "cancel" in url else client.get(url)
        assert response.status_code == 302
        assert response.url.startswith("/admin/login/")
    session.refresh_from_db()
    assert session.status == "scheduled"


def test_anonymous_is_sent_to_sign_in(client, session):
    response = client.get("/admin/cohort-sessions/")
    assert response.status_code == 302 and response.url.startswith("/admin/login/")


def test_a_refused_reschedule_is_a_form_error_that_changes_nothing(
    client_for, batch, teacher, session
):
    member_of(batch)
    response = client_for(teacher).post(
        f"/admin/cohort-sessions/edit/{session.pk}/",
        form_data(batch, title="Decorators", starts_at="2024-04-06 19:00"),
    )
    assert response.status_code == 200
    assert "The cohort runs from 2024-03-01 to 2024-04-05" in response.content.decode()
    session.refresh_from_db()
    assert (session.starts_at, session.revision) == (datetime(2024, 3, 6, 0, tzinfo=UTC), 0)
    assert not Notification.objects.exists()


def test_adding_from_a_cohorts_sessions_starts_with_that_cohort_and_returns_there(
    client_for, batch, teacher
):
    client = client_for(teacher)
    index = client.get(f"/admin/cohort-sessions/?cohort={batch.pk}").content.decode()
    assert f'href="/admin/cohort-sessions/new/?cohort={batch.pk}"' in index

    form = client.get(f"/admin/cohort-sessions/new/?cohort={batch.pk}")
    assert form.context["form"].initial["cohort"] == str(batch.pk)
    saved = client.post(f"/admin/cohort-sessions/new/?cohort={batch.pk}", form_data(batch))

    assert saved.status_code == 302
    assert saved["Location"] == f"/admin/cohort-sessions/?cohort={batch.pk}"


def test_another_teachers_cohort_in_the_add_link_is_not_offered(client_for, batch):
    stranger = SpecialistFactory()
    form = client_for(stranger).get(f"/admin/cohort-sessions/new/?cohort={batch.pk}")
    assert form.status_code == 200
    assert batch not in form.context["form"].fields["cohort"].queryset


def test_the_edit_form_shows_the_start_without_seconds(client_for, teacher, session):
    form = client_for(teacher).get(f"/admin/cohort-sessions/edit/{session.pk}/")
    assert 'value="2024-03-05 19:00"' in form.content.decode()
