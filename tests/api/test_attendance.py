"""Attendance through the API: the specialist records and corrects it in bulk, all or nothing
and audited; the learner reads their standing. Every refusal from the refused side."""

from datetime import UTC, date, datetime, timedelta

import pytest

from learning.models import AttendanceChange, AttendanceRecord, Enrollment, SessionJoin
from tests.api_helpers import assert_problem
from tests.factories import (
    CohortFactory,
    CohortSessionFactory,
    CompletedEnrollmentFactory,
    SpecialistFactory,
    UserFactory,
)
from tests.session_helpers import freeze, member_of

pytestmark = pytest.mark.django_db

NOW = datetime(2024, 3, 20, 12, tzinfo=UTC)


@pytest.fixture
def batch(monkeypatch):
    """Batch 3, 1 March to 5 April 2024, seen on 20 March."""
    freeze(monkeypatch, NOW)
    return CohortFactory(
        starts_on=date(2024, 3, 1),
        ends_on=date(2024, 4, 5),
        enrollment_deadline=datetime(2024, 2, 25, tzinfo=UTC),
    )


def session_on(cohort, day, **fields):
    return CohortSessionFactory(
        cohort=cohort, starts_at=datetime(2024, 3, day, 19, tzinfo=UTC), **fields
    )


@pytest.fixture
def held(batch):
    return session_on(batch, 5)


def url(cohort):
    return f"/api/v1/cohorts/{cohort.pk}/attendance/"


def post(client, cohort, session, *records):
    return client.post(
        url(cohort), {"session": session.pk, "records": list(records)}, format="json"
    )


# Recording


def test_the_teacher_records_a_session_in_bulk(api_client, batch, held):
    ann, ben, cat = (member_of(batch) for _ in range(3))
    SessionJoin.objects.create(
        session=held,
        user=ann.learner,
        enrollment=ann,
        joined_at=held.starts_at + timedelta(minutes=2),
    )
    api_client.force_authenticate(batch.course.owner)
    response = post(
        api_client,
        batch,
        held,
        {"enrollment": ann.pk, "status": "present", "minutes": 55},
        {"enrollment": ben.pk, "status": "late", "minutes": 40},
        {"enrollment": cat.pk, "status": "excused", "note": "Doctor's appointment"},
    )
    assert response.status_code == 200, response.json()
    by_enrollment = {row["enrollment"]: row for row in response.json()}
    assert by_enrollment[ann.pk]["status"] == "present"
    assert by_enrollment[ann.pk]["minutes"] == 55
    assert by_enrollment[ann.pk]["first_joined_at"] == "2024-03-05T19:02:00Z"
    assert by_enrollment[ben.pk]["first_joined_at"] is None
    assert by_enrollment[cat.pk]["minutes"] == 0
    assert {row["source"] for row in response.json()} == {"manual"}
    record = AttendanceRecord.objects.get(enrollment=ann)
    assert (record.changed_by, record.changed_at) == (batch.course.owner, NOW)
    change = AttendanceChange.objects.get(record=record)
    assert (change.old_status, change.new_status, change.changed_by, change.changed_at) == (
        "",
        "present",
        batch.course.owner,
        NOW,
    )


def test_a_correction_is_audited_and_an_unchanged_row_is_not(api_client, batch, held):
    ann, ben = member_of(batch), member_of(batch)
    teacher = batch.course.owner
    api_client.force_authenticate(teacher)
    post(
        api_client,
        batch,
        held,
        {"enrollment": ann.pk, "status": "absent"},
        {"enrollment": ben.pk, "status": "present", "minutes": 60},
    )
    response = post(
        api_client,
        batch,
        held,
        {"enrollment": ann.pk, "status": "excused", "note": "Was ill; certificate seen"},
        {"enrollment": ben.pk, "status": "present", "minutes": 60},
    )
    assert response.status_code == 200
    assert AttendanceRecord.objects.count() == 2
    changes = list(AttendanceChange.objects.filter(record__enrollment=ann).order_by("pk"))
    assert [(c.old_status, c.new_status) for c in changes] == [
        ("", "absent"),
        ("absent", "excused"),
    ]
    assert changes[-1].note == "Was ill; certificate seen"
    assert AttendanceChange.objects.filter(record__enrollment=ben).count() == 1


def test_minutes_left_out_are_kept_on_a_correction(api_client, batch, held):
    ann = member_of(batch)
    api_client.force_authenticate(batch.course.owner)
    post(api_client, batch, held, {"enrollment": ann.pk, "status": "present", "minutes": 50})
    post(api_client, batch, held, {"enrollment": ann.pk, "status": "late"})
    record = AttendanceRecord.objects.get()
    assert (record.status, record.minutes_attended) == ("late", 50)


def test_a_session_under_way_can_be_recorded(api_client, monkeypatch, batch, held):
    ann = member_of(batch)
    freeze(monkeypatch, held.starts_at)
    api_client.force_authenticate(batch.course.owner)
    response = post(api_client, batch, held, {"enrollment": ann.pk, "status": "present"})
    assert response.status_code == 200


# Refused, nothing saved


def refused(response, *fields):
    body = assert_problem(response, 400, "invalid")
    assert set(body["errors"]) == set(fields), body["errors"]
    assert not AttendanceRecord.objects.exists()
    assert not AttendanceChange.objects.exists()
    return body


@pytest.mark.parametrize("status", ["present ", "PRESENT", "attended", ""])
def test_a_status_outside_the_four_is_refused(api_client, batch, held, status):
    ann, ben = member_of(batch), member_of(batch)
    api_client.force_authenticate(batch.course.owner)
    response = post(
        api_client,
        batch,
        held,
        {"enrollment": ann.pk, "status": "present"},
        {"enrollment": ben.pk, "status": status},
    )
    refused(response, "records.1.status")


def test_an_enrollment_outside_the_cohort_is_refused_and_nothing_saved(api_client, batch, held):
    ann = member_of(batch)
    elsewhere = member_of(CohortFactory(course=batch.course))
    refunded = member_of(batch, status=Enrollment.Status.REFUNDED)
    api_client.force_authenticate(batch.course.owner)
    response = post(
        api_client,
        batch,
        held,
        {"enrollment": ann.pk, "status": "present"},
        {"enrollment": elsewhere.pk, "status": "present"},
        {"enrollment": refunded.pk, "status": "absent"},
        {"enrollment": ann.pk, "status": "absent"},
    )
    body = refused(response, "records.1.enrollment", "records.2.enrollment", "records.3.enrollment")
    assert body["errors"]["records.3.enrollment"] == ["This enrollment is listed twice."]


def test_an_excused_absence_needs_a_note(api_client, batch, held):
    ann = member_of(batch)
    api_client.force_authenticate(batch.course.owner)
    response = post(api_client, batch, held, {"enrollment": ann.pk, "status": "excused"})
    refused(response, "records.0.note")


def test_more_minutes_than_the_session_lasts_are_refused(api_client, batch, held):
    ann = member_of(batch)
    api_client.force_authenticate(batch.course.owner)
    response = post(
        api_client, batch, held, {"enrollment": ann.pk, "status": "present", "minutes": 61}
    )
    refused(response, "records.0.minutes")


def test_a_session_of_another_cohort_is_refused(api_client, batch):
    ann = member_of(batch)
    other = CohortSessionFactory(
        cohort=CohortFactory(
            course=batch.course,
            starts_on=date(2024, 3, 1),
            ends_on=date(2024, 4, 5),
            enrollment_deadline=datetime(2024, 2, 25, tzinfo=UTC),
        )
    )
    api_client.force_authenticate(batch.course.owner)
    refused(post(api_client, batch, other, {"enrollment": ann.pk, "status": "present"}), "session")


def test_a_cancelled_session_is_refused(api_client, batch):
    ann = member_of(batch)
    cancelled = session_on(batch, 6, status="cancelled")
    api_client.force_authenticate(batch.course.owner)
    refused(
        post(api_client, batch, cancelled, {"enrollment": ann.pk, "status": "absent"}), "session"
    )


def test_a_session_not_started_is_refused_until_its_start(api_client, monkeypatch, batch):
    ann = member_of(batch)
    later = session_on(batch, 25)
    freeze(monkeypatch, later.starts_at - timedelta(seconds=1))
    api_client.force_authenticate(batch.course.owner)
    refused(post(api_client, batch, later, {"enrollment": ann.pk, "status": "present"}), "session")


def test_an_empty_list_is_refused(api_client, batch, held):
    api_client.force_authenticate(batch.course.owner)
    refused(post(api_client, batch, held), "records.non_field_errors")


# Who may record


def test_anonymous_is_401(api_client, batch, held):
    ann = member_of(batch)
    response = post(api_client, batch, held, {"enrollment": ann.pk, "status": "present"})
    assert_problem(response, 401, "not_authenticated")


def test_a_learner_of_the_cohort_is_403(api_client, batch, held):
    ann = member_of(batch)
    api_client.force_authenticate(ann.learner)
    response = post(api_client, batch, held, {"enrollment": ann.pk, "status": "present"})
    assert_problem(response, 403, "permission_denied")
    assert not AttendanceRecord.objects.exists()


@pytest.mark.parametrize("who", ["another specialist", "a stranger"])
def test_someone_outside_the_cohort_is_404(api_client, batch, held, who):
    ann = member_of(batch)
    api_client.force_authenticate(
        SpecialistFactory() if who == "another specialist" else UserFactory()
    )
    response = post(api_client, batch, held, {"enrollment": ann.pk, "status": "present"})
    assert_problem(response, 404, "not_found")
    assert not AttendanceRecord.objects.exists()


# The learner's standing


def standing_url(enrollment):
    return f"/api/v1/enrollments/{enrollment.pk}/attendance/"


def record(session, enrollment, status, minutes=0):
    return AttendanceRecord.objects.create(
        session=session,
        enrollment=enrollment,
        status=status,
        minutes_attended=minutes,
        source="manual",
        changed_at=NOW,
    )


def test_the_learner_sees_their_standing(api_client, batch):
    ann = member_of(batch)
    first, second, third = session_on(batch, 5), session_on(batch, 12), session_on(batch, 19)
    session_on(batch, 10, status="cancelled")
    upcoming = session_on(batch, 26)
    record(first, ann, "present", 58)
    record(second, ann, "excused")
    api_client.force_authenticate(ann.learner)
    body = api_client.get(standing_url(ann)).json()
    assert [row["session"] for row in body["sessions"]] == [
        first.pk,
        second.pk,
        third.pk,
        upcoming.pk,
    ]
    assert body["sessions"][0] | {"starts_at": None} == {
        "session": first.pk,
        "title": first.title,
        "starts_at": None,
        "held": True,
        "status": "present",
        "minutes": 58,
    }
    assert body["sessions"][2]["status"] is None and body["sessions"][2]["minutes"] is None
    assert body["sessions"][3]["held"] is False
    assert {k: v for k, v in body.items() if k != "sessions"} == {
        "percent": 50.0,  # 1 of (3 held − 1 excused)
        "held": 3,
        "excused": 1,
        "attended": 1,
        "sessions_left": 1,
        "max_achievable": 66.7,  # 2 of 3
        "threshold": 80,
        "met": False,
        "reachable": False,
    }


def test_someone_elses_standing_is_404(api_client, batch):
    ann, ben = member_of(batch), member_of(batch)
    api_client.force_authenticate(ben.learner)
    assert_problem(api_client.get(standing_url(ann)), 404, "not_found")
    api_client.force_authenticate(batch.course.owner)
    assert_problem(api_client.get(standing_url(ann)), 404, "not_found")


def test_anonymous_standing_is_401(api_client, batch):
    assert_problem(api_client.get(standing_url(member_of(batch))), 401, "not_authenticated")


@pytest.mark.parametrize("sessions", [2, 8])
def test_the_standing_takes_the_same_queries_however_many_sessions(
    api_client, batch, sessions, django_assert_num_queries
):
    ann = member_of(batch)
    for day in range(1, sessions + 1):
        record(session_on(batch, day), ann, "present", 60)
    api_client.force_authenticate(ann.learner)
    with django_assert_num_queries(3):  # the enrollment with its course, sessions, records
        response = api_client.get(standing_url(ann))
    assert response.json()["held"] == sessions


# The attendance criterion of enrollments/{id}/status/


def status_criteria(client, enrollment):
    body = client.get(f"/api/v1/enrollments/{enrollment.pk}/status/").json()
    return {criterion["name"]: criterion for criterion in body["criteria"]}


def test_a_cohort_enrollment_has_an_attendance_criterion(api_client, batch):
    ann = member_of(batch)
    first, second = session_on(batch, 5), session_on(batch, 12)
    session_on(batch, 26)
    record(first, ann, "present", 60)
    record(second, ann, "absent")
    api_client.force_authenticate(ann.learner)
    assert status_criteria(api_client, ann)["attendance"] == {
        "name": "attendance",
        "required": 80,
        "current": 50.0,
        "met": False,
        "sessions_left": 1,
        "max_achievable": 66.7,
        "reachable": False,
    }
    AttendanceRecord.objects.filter(session=second).update(status="late")
    criterion = status_criteria(api_client, ann)["attendance"]
    assert (criterion["current"], criterion["met"], criterion["reachable"]) == (100.0, False, True)


def test_attendance_is_met_only_once_every_session_is_held(api_client, batch, monkeypatch):
    """Two of two held is 100 %, but not final while a session is still to come."""
    ann = member_of(batch)
    first, second, last = session_on(batch, 5), session_on(batch, 12), session_on(batch, 26)
    for session in (first, second):
        record(session, ann, "present", 60)
    api_client.force_authenticate(ann.learner)
    freeze(monkeypatch, last.ends_at - timedelta(seconds=1))
    criterion = status_criteria(api_client, ann)["attendance"]
    assert (criterion["current"], criterion["met"], criterion["sessions_left"]) == (100.0, False, 1)
    freeze(monkeypatch, last.ends_at)  # held from its end exactly: absent, 2 of 3
    criterion = status_criteria(api_client, ann)["attendance"]
    assert (criterion["current"], criterion["met"], criterion["sessions_left"]) == (66.7, False, 0)
    record(last, ann, "late", 40)
    criterion = status_criteria(api_client, ann)["attendance"]
    assert (criterion["current"], criterion["met"], criterion["sessions_left"]) == (100.0, True, 0)


def test_before_any_session_is_held_attendance_is_not_met_yet(api_client, batch):
    ann = member_of(batch)
    session_on(batch, 26)
    api_client.force_authenticate(ann.learner)
    criterion = status_criteria(api_client, ann)["attendance"]
    assert (criterion["current"], criterion["met"], criterion["reachable"]) == (None, False, True)


def test_a_self_paced_enrollment_has_no_attendance_criterion(api_client, learner):
    enrollment = CompletedEnrollmentFactory(learner=learner)
    api_client.force_authenticate(learner)
    assert "attendance" not in status_criteria(api_client, enrollment)
    response = api_client.get(standing_url(enrollment))
    assert_problem(response, 404, "not_found")
