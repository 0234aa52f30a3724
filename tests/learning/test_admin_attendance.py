"""The attendance grid in the Wagtail admin: the cohort's specialist records and corrects
attendance (learners × sessions that have started), and others are refused."""

from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.test.utils.form_data import querydict_from_html

from learning.models import AttendanceChange, AttendanceRecord, CohortSession, Enrollment
from tests.admin_helpers import assert_refused, messages_of, staff_without_roles
from tests.factories import (
    CohortFactory,
    CohortSessionFactory,
    SpecialistFactory,
    UserFactory,
    build_cohort_course,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort(specialist):
    course = build_cohort_course(owner=specialist, title="Python Masterclass")
    return CohortFactory(course=course, name="Batch 3")


@pytest.fixture
def sessions(cohort):
    now = timezone.now()
    return [
        CohortSessionFactory(cohort=cohort, title="Kick-off", starts_at=now - timedelta(days=2)),
        CohortSessionFactory(cohort=cohort, title="Loops", starts_at=now - timedelta(days=1)),
        CohortSessionFactory(
            cohort=cohort,
            title="Dropped",
            starts_at=now - timedelta(hours=5),
            status=CohortSession.Status.CANCELLED,
        ),
        CohortSessionFactory(cohort=cohort, title="Future", starts_at=now + timedelta(days=3)),
    ]


def enroll(cohort, count):
    return [
        Enrollment.objects.create(
            learner=UserFactory(first_name="Ada", last_name=f"Learner{n}"),
            course=cohort.course,
            cohort=cohort,
            status="active",
            activated_at=timezone.now(),
        )
        for n in range(count)
    ]


def record(session, enrollment, status, note=""):
    return AttendanceRecord.objects.create(
        session=session,
        enrollment=enrollment,
        status=status,
        minutes_attended=60,
        source="manual",
        note=note,
        changed_at=timezone.now(),
    )


def url(cohort):
    return f"/admin/cohorts/attendance/{cohort.pk}/"


def grid_data(client, cohort, **changes):
    response = client.get(url(cohort))
    assert response.status_code == 200
    data = querydict_from_html(response.content.decode(), form_id="attendance-grid")
    for name, value in changes.items():
        data[name] = value
    return data


def test_the_specialist_sees_the_grid_with_recorded_values(
    client_for, specialist, cohort, sessions
):
    ada, bob = enroll(cohort, 2)
    record(sessions[0], ada, "present")
    record(sessions[1], ada, "absent")
    client = client_for(specialist)

    response = client.get(url(cohort))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Ada Learner0" in page and "Ada Learner1" in page
    assert "Kick-off" in page and "Loops" in page
    assert "Dropped" not in page and "Future" not in page
    assert "EST" in page or "EDT" in page  # the session time in the cohort's zone
    data = grid_data(client, cohort)
    assert data[f"cell_{sessions[0].pk}_{ada.pk}"] == "present"
    assert data[f"cell_{sessions[1].pk}_{ada.pk}"] == "absent"
    assert data[f"cell_{sessions[0].pk}_{bob.pk}"] == ""
    assert "50.0%" in page  # Ada: one of two held sessions
    assert "0.0%" in page  # Bob: nothing recorded counts as not attended


def test_the_grid_is_linked_from_the_cohort_list_and_edit_header(client_for, specialist, cohort):
    client = client_for(specialist)
    assert url(cohort) in client.get("/admin/cohorts/").content.decode()
    assert url(cohort) in client.get(f"/admin/cohorts/edit/{cohort.pk}/").content.decode()


def test_posting_the_grid_records_the_changes_with_an_audit_trail(
    client_for, specialist, cohort, sessions
):
    ada, bob = enroll(cohort, 2)
    record(sessions[0], ada, "absent")
    client = client_for(specialist)
    data = grid_data(
        client,
        cohort,
        **{
            f"cell_{sessions[0].pk}_{ada.pk}": "late",
            f"cell_{sessions[1].pk}_{bob.pk}": "excused",
            f"note_{bob.pk}": "Doctor's appointment",
        },
    )

    response = client.post(url(cohort), data)

    assert response.status_code == 302 and response.url == url(cohort)
    assert "Attendance saved: 2 change(s)." in messages_of(response)
    assert AttendanceRecord.objects.get(session=sessions[0], enrollment=ada).status == "late"
    excused = AttendanceRecord.objects.get(session=sessions[1], enrollment=bob)
    assert (excused.status, excused.note, excused.changed_by) == (
        "excused",
        "Doctor's appointment",
        specialist,
    )
    assert AttendanceRecord.objects.count() == 2  # blank cells stay unrecorded
    changes = AttendanceChange.objects.order_by("pk")
    assert [(c.old_status, c.new_status) for c in changes] == [("absent", "late"), ("", "excused")]
    assert {c.changed_by for c in changes} == {specialist}


def test_an_unchanged_grid_writes_nothing(client_for, specialist, cohort, sessions):
    ada = enroll(cohort, 1)[0]
    record(sessions[0], ada, "present")
    client = client_for(specialist)

    response = client.post(url(cohort), grid_data(client, cohort))

    assert response.status_code == 302
    assert AttendanceChange.objects.count() == 0


def test_excused_without_a_note_is_refused_and_nothing_is_saved(
    client_for, specialist, cohort, sessions
):
    ada, bob = enroll(cohort, 2)
    client = client_for(specialist)
    data = grid_data(
        client,
        cohort,
        **{
            f"cell_{sessions[0].pk}_{ada.pk}": "present",
            f"cell_{sessions[1].pk}_{bob.pk}": "excused",
        },
    )

    response = client.post(url(cohort), data)

    assert response.status_code == 200
    assert "An excused absence needs a note saying why" in response.content.decode()
    assert AttendanceRecord.objects.count() == 0
    assert AttendanceChange.objects.count() == 0


def test_a_service_refusal_rolls_back_every_session(
    client_for, specialist, cohort, sessions, monkeypatch
):
    ada = enroll(cohort, 1)[0]
    client = client_for(specialist)
    data = grid_data(
        client,
        cohort,
        **{
            f"cell_{sessions[0].pk}_{ada.pk}": "present",
            f"cell_{sessions[1].pk}_{ada.pk}": "present",
        },
    )
    # The second session is cancelled after the grid was shown: the service refuses it.
    CohortSession.objects.filter(pk=sessions[1].pk).update(status=CohortSession.Status.CANCELLED)
    # Shown again as the specialist had it, so the grid still posts a cell for it.
    monkeypatch.setattr(
        "learning.attendance_admin.CohortAttendanceView.sessions", sessions[:2], raising=True
    )

    response = client.post(url(cohort), data)

    assert response.status_code == 200
    assert "cancelled" in response.content.decode()
    assert "nothing changed" in " ".join(messages_of(response))
    assert AttendanceRecord.objects.count() == 0


@pytest.mark.parametrize("learners", [3, 10])
def test_the_grid_costs_the_same_queries_for_3_or_10_learners(
    client_for, specialist, cohort, sessions, learners, django_assert_max_num_queries
):
    for enrollment in enroll(cohort, learners):
        record(sessions[0], enrollment, "present")
    client = client_for(specialist)
    with django_assert_max_num_queries(16):
        response = client.get(url(cohort))
    assert response.content.decode().count("Ada Learner") >= learners


def test_another_specialist_gets_a_404(client_for, cohort, sessions):
    ada = enroll(cohort, 1)[0]
    client = client_for(SpecialistFactory())
    assert client.get(url(cohort)).status_code == 404
    data = {f"cell_{sessions[0].pk}_{ada.pk}": "present"}
    assert client.post(url(cohort), data).status_code == 404
    assert AttendanceRecord.objects.count() == 0


def test_learners_are_sent_to_sign_in(client_for, cohort):
    response = client_for(UserFactory()).get(url(cohort))
    assert response.status_code == 302 and "/admin/login/" in response.url


def test_admin_users_without_a_role_are_refused(client, cohort):
    client.force_login(staff_without_roles())
    assert_refused(client.get(url(cohort)))
    assert_refused(client.post(url(cohort), {}))


def test_learners_without_access_are_not_rows(client_for, specialist, cohort, sessions):
    enroll(cohort, 1)
    Enrollment.objects.create(
        learner=UserFactory(first_name="Gone"),
        course=cohort.course,
        cohort=cohort,
        status="cancelled",
    )
    page = client_for(specialist).get(url(cohort)).content.decode()
    assert "Ada Learner0" in page and "Gone" not in page
