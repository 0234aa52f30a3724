"""A cohort's sessions through the API: the calendar, scheduling, rescheduling and cancelling,
every rule at its boundary, the learners told, and every refusal from the refused side."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core import mail

from learning.models import Cohort, CohortSession, Enrollment, Notification
from tests.api_helpers import assert_problem
from tests.factories import CohortFactory, CohortSessionFactory, SpecialistFactory, UserFactory
from tests.session_helpers import freeze, member_of

pytestmark = pytest.mark.django_db

NEW_YORK = ZoneInfo("America/New_York")
SECOND = timedelta(seconds=1)
NOW = datetime(2024, 2, 1, 12, tzinfo=UTC)


def new_york(*args):
    return datetime(*args, tzinfo=NEW_YORK)


@pytest.fixture
def batch(monkeypatch):
    """Python Masterclass – Batch 3: 1 March to 5 April 2024 in New York, seen on 1 February."""
    freeze(monkeypatch, NOW)
    return CohortFactory(
        name="Batch 3",
        starts_on=date(2024, 3, 1),
        ends_on=date(2024, 4, 5),
        timezone="America/New_York",
        enrollment_deadline=datetime(2024, 2, 25, 5, tzinfo=UTC),
    )


@pytest.fixture
def teacher(batch, api_client):
    api_client.force_authenticate(batch.course.owner)
    return batch.course.owner


def sessions_url(cohort):
    return f"/api/v1/cohorts/{cohort.pk}/sessions/"


def session_url(session, action=""):
    return f"/api/v1/cohorts/{session.cohort_id}/sessions/{session.pk}/{action}"


def schedule(api_client, cohort, starts_at, duration_minutes=60, **fields):
    payload = {
        "title": "Decorators",
        "starts_at": starts_at.isoformat(),
        "duration_minutes": duration_minutes,
        **fields,
    }
    return api_client.post(sessions_url(cohort), payload)


def session_at(cohort, starts_at, **fields):
    return CohortSessionFactory(cohort=cohort, starts_at=starts_at, **fields)


def notified(kind):
    return Notification.objects.filter(kind=kind)


def snapshot(session):
    session.refresh_from_db()
    return (session.starts_at, session.duration_minutes, session.status, session.revision)


# Scheduling


def test_the_teacher_schedules_a_session_and_its_learners_are_told(
    api_client, batch, teacher, django_capture_on_commit_callbacks
):
    active, completed = member_of(batch), member_of(batch, status=Enrollment.Status.COMPLETED)
    member_of(batch, status=Enrollment.Status.REFUNDED)
    member_of(batch, status=Enrollment.Status.PENDING_PAYMENT)
    member_of(batch, suspended_at=NOW)
    member_of(CohortFactory(course=batch.course, starts_on=batch.starts_on))

    with django_capture_on_commit_callbacks(execute=True):
        response = schedule(
            api_client,
            batch,
            new_york(2024, 3, 5, 19),
            description="Functions that wrap functions.",
            meeting_url="https://meet.example.com/py3",
        )

    assert response.status_code == 201
    body = response.json()
    session = CohortSession.objects.get()
    assert body == {
        "id": session.pk,
        "title": "Decorators",
        "description": "Functions that wrap functions.",
        "status": "scheduled",
        "starts_at": "2024-03-06T00:00:00Z",
        "ends_at": "2024-03-06T01:00:00Z",
        "duration_minutes": 60,
        "timezone": "America/New_York",
        "local_starts_at": "2024-03-05T19:00:00-05:00",
        "revision": 0,
        "join_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/")
        + f"/api/v1/cohorts/{batch.pk}/sessions/{session.pk}/join/",
        "meeting_url": "https://meet.example.com/py3",
        "recording": None,
        "meeting_provider": "",
        "meeting_sync_state": "not_needed",
        "meeting_sync_error": "",
    }
    told = notified("session_scheduled")
    assert {n.user for n in told} == {active.learner, completed.learner}
    assert {n.enrollment for n in told} == {active, completed}
    note = told.first()
    assert note.title == "New session: Decorators"
    assert note.body == (
        "Batch 3: “Decorators” is scheduled for Tue 5 Mar 2024, 7:00 PM EST "
        "(Wed 6 Mar, 00:00 UTC), for 60 minutes."
    )
    assert note.link == body["join_url"]
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [active.learner.email, completed.learner.email]
    )
    assert "7:00 PM EST (Wed 6 Mar, 00:00 UTC)" in mail.outbox[0].body


def test_a_7pm_new_york_session_stays_7pm_local_across_the_march_change(api_client, batch, teacher):
    member_of(batch)
    assert schedule(api_client, batch, new_york(2024, 3, 5, 19)).status_code == 201
    assert schedule(api_client, batch, new_york(2024, 3, 12, 19)).status_code == 201

    bodies = [n.body for n in notified("session_scheduled").order_by("pk")]
    assert "Tue 5 Mar 2024, 7:00 PM EST (Wed 6 Mar, 00:00 UTC)" in bodies[0]
    assert "Tue 12 Mar 2024, 7:00 PM EDT (23:00 UTC)" in bodies[1]
    listed = api_client.get(sessions_url(batch)).json()["results"]
    assert [(s["starts_at"], s["local_starts_at"]) for s in listed] == [
        ("2024-03-06T00:00:00Z", "2024-03-05T19:00:00-05:00"),
        ("2024-03-12T23:00:00Z", "2024-03-12T19:00:00-04:00"),
    ]


@pytest.mark.parametrize(
    ("starts_at", "inside"),
    [
        (new_york(2024, 2, 29, 23, 59), False),  # already 1 March in UTC: the zone decides
        (new_york(2024, 3, 1, 0, 0), True),
        (new_york(2024, 4, 5, 23, 59), True),
        (new_york(2024, 4, 6, 0, 0), False),
    ],
)
def test_a_session_starts_on_a_day_of_the_cohort_in_its_zone(
    api_client, batch, teacher, starts_at, inside
):
    member_of(batch)
    response = schedule(api_client, batch, starts_at, duration_minutes=5)

    if inside:
        assert response.status_code == 201
    else:
        assert_problem(response, 400, "session_outside_cohort")
        assert not CohortSession.objects.exists()
        assert not Notification.objects.exists()


@pytest.mark.parametrize(
    ("starts_at", "duration", "overlaps"),
    [
        (new_york(2024, 3, 5, 20, 0), 60, False),  # starts as the other ends
        (new_york(2024, 3, 5, 19, 59), 60, True),
        (new_york(2024, 3, 5, 18, 0), 60, False),  # ends as the other starts
        (new_york(2024, 3, 5, 18, 0), 61, True),
        (new_york(2024, 3, 5, 9, 0), 600, False),  # the longest session, ending at 19:00
        (new_york(2024, 3, 5, 19, 30), 5, True),  # inside the other
    ],
)
def test_sessions_of_a_cohort_do_not_overlap_but_may_touch(
    api_client, batch, teacher, starts_at, duration, overlaps
):
    other = session_at(batch, new_york(2024, 3, 5, 19), duration_minutes=60)

    response = schedule(api_client, batch, starts_at, duration_minutes=duration)

    if overlaps:
        body = assert_problem(response, 409, "session_overlap")
        assert body["session"] == other.pk
        assert CohortSession.objects.count() == 1
    else:
        assert response.status_code == 201


def test_a_cancelled_session_leaves_its_slot_free(api_client, batch, teacher):
    session_at(batch, new_york(2024, 3, 5, 19), status=CohortSession.Status.CANCELLED)
    assert schedule(api_client, batch, new_york(2024, 3, 5, 19)).status_code == 201


def test_sessions_of_another_cohort_do_not_count(api_client, batch, teacher):
    other = CohortFactory(course=batch.course, starts_on=batch.starts_on, ends_on=batch.ends_on)
    session_at(other, new_york(2024, 3, 5, 19))
    assert schedule(api_client, batch, new_york(2024, 3, 5, 19)).status_code == 201


@pytest.mark.parametrize(("offset", "accepted"), [(timedelta(0), False), (SECOND, True)])
def test_a_session_starts_in_the_future(api_client, batch, teacher, monkeypatch, offset, accepted):
    now = new_york(2024, 3, 5, 19)
    freeze(monkeypatch, now)

    response = schedule(api_client, batch, now + offset)

    if accepted:
        assert response.status_code == 201
    else:
        assert_problem(response, 400, "session_in_past")
        assert not CohortSession.objects.exists()


@pytest.mark.parametrize("status", [Cohort.Status.CANCELLED, Cohort.Status.COMPLETED])
def test_a_cancelled_or_completed_cohort_takes_no_sessions(api_client, batch, teacher, status):
    Cohort.objects.filter(pk=batch.pk).update(status=status)
    assert_problem(
        schedule(api_client, batch, new_york(2024, 3, 5, 19)), 409, "cohort_not_schedulable"
    )
    assert not CohortSession.objects.exists()


@pytest.mark.parametrize("status", [Cohort.Status.DRAFT, Cohort.Status.CLOSED])
def test_a_draft_or_closed_cohort_takes_sessions(api_client, batch, teacher, status):
    Cohort.objects.filter(pk=batch.pk).update(status=status)
    assert schedule(api_client, batch, new_york(2024, 3, 5, 19)).status_code == 201


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"duration_minutes": 4}, "duration_minutes"),
        ({"duration_minutes": 601}, "duration_minutes"),
        ({"title": ""}, "title"),
        ({"meeting_url": "not a link"}, "meeting_url"),
        ({"starts_at": "next tuesday"}, "starts_at"),
    ],
)
def test_bad_input_is_a_400_that_schedules_nothing(api_client, batch, teacher, fields, field):
    member_of(batch)
    payload = {
        "title": "Decorators",
        "starts_at": new_york(2024, 3, 5, 19).isoformat(),
        "duration_minutes": 60,
        **fields,
    }
    body = assert_problem(api_client.post(sessions_url(batch), payload), 400, "invalid")
    assert field in body["errors"]
    assert not CohortSession.objects.exists()
    assert not Notification.objects.exists()


@pytest.mark.parametrize("duration", [5, 600])
def test_durations_at_the_limits_are_accepted(api_client, batch, teacher, duration):
    assert schedule(api_client, batch, new_york(2024, 3, 5, 9), duration).status_code == 201


# Rescheduling and editing


@pytest.fixture
def session(batch):
    return session_at(batch, new_york(2024, 3, 5, 19), meeting_url="https://meet.example.com/a")


def test_a_new_time_raises_the_revision_and_tells_old_and_new_time(
    api_client, batch, teacher, session
):
    member = member_of(batch)

    response = api_client.patch(
        session_url(session), {"starts_at": new_york(2024, 3, 7, 19).isoformat()}
    )

    assert response.status_code == 200
    assert response.json()["revision"] == 1
    assert response.json()["starts_at"] == "2024-03-08T00:00:00Z"
    session.refresh_from_db()
    assert (session.revision, session.starts_at) == (1, new_york(2024, 3, 7, 19))
    note = notified("session_rescheduled").get()
    assert note.user == member.learner
    assert note.title == f"Session moved: {session.title}"
    assert note.body == (
        f"Batch 3: “{session.title}” has moved from Tue 5 Mar 2024, 7:00 PM EST "
        "(Wed 6 Mar, 00:00 UTC) to Thu 7 Mar 2024, 7:00 PM EST (Fri 8 Mar, 00:00 UTC), "
        "for 60 minutes."
    )


def test_a_new_duration_raises_the_revision(api_client, batch, teacher, session):
    member_of(batch)
    response = api_client.patch(session_url(session), {"duration_minutes": 90})
    assert response.status_code == 200
    assert snapshot(session)[1:] == (90, "scheduled", 1)
    assert notified("session_rescheduled").count() == 1


def test_text_and_link_edits_keep_the_revision_and_tell_nobody(api_client, batch, teacher, session):
    member_of(batch)
    response = api_client.patch(
        session_url(session),
        {
            "title": "Decorators, again",
            "description": "Bring questions.",
            "meeting_url": "https://meet.example.com/b",
            "starts_at": session.starts_at.isoformat(),  # the same time is no change
        },
    )
    assert response.status_code == 200
    session.refresh_from_db()
    assert (session.title, session.meeting_url, session.revision) == (
        "Decorators, again",
        "https://meet.example.com/b",
        0,
    )
    assert not Notification.objects.exists()


@pytest.mark.parametrize(("offset", "accepted"), [(timedelta(0), False), (-SECOND, True)])
def test_a_session_that_started_cannot_be_moved(
    api_client, batch, teacher, session, monkeypatch, offset, accepted
):
    freeze(monkeypatch, session.starts_at + offset)

    response = api_client.patch(
        session_url(session), {"starts_at": new_york(2024, 3, 7, 19).isoformat()}
    )

    if accepted:
        assert response.status_code == 200
    else:
        assert_problem(response, 409, "session_started")
        assert snapshot(session) == (new_york(2024, 3, 5, 19), 60, "scheduled", 0)


def test_the_link_of_a_running_session_can_still_be_changed(
    api_client, batch, teacher, session, monkeypatch
):
    freeze(monkeypatch, session.starts_at + timedelta(minutes=5))  # the meeting is down
    response = api_client.patch(session_url(session), {"meeting_url": "https://meet.example.com/b"})
    assert response.status_code == 200
    assert response.json()["revision"] == 0


def test_a_cancelled_session_cannot_be_changed(api_client, batch, teacher, session):
    CohortSession.objects.filter(pk=session.pk).update(status="cancelled", revision=1)
    response = api_client.patch(session_url(session), {"duration_minutes": 90})
    assert_problem(response, 409, "session_cancelled")
    assert snapshot(session) == (new_york(2024, 3, 5, 19), 60, "cancelled", 1)


@pytest.mark.parametrize(
    ("starts_at", "status", "code"),
    [
        (new_york(2024, 4, 6, 19), 400, "session_outside_cohort"),
        (new_york(2024, 3, 7, 19, 30), 409, "session_overlap"),
        (new_york(2024, 1, 30, 19), 400, "session_in_past"),
    ],
)
def test_a_refused_reschedule_changes_nothing(
    api_client, batch, teacher, session, starts_at, status, code
):
    member_of(batch)
    session_at(batch, new_york(2024, 3, 7, 19))

    assert_problem(
        api_client.patch(session_url(session), {"starts_at": starts_at.isoformat()}), status, code
    )

    assert snapshot(session) == (new_york(2024, 3, 5, 19), 60, "scheduled", 0)
    assert not Notification.objects.exists()


def test_a_session_may_be_moved_onto_its_own_slot_shifted(api_client, batch, teacher, session):
    """Its own old time does not count as an overlap."""
    response = api_client.patch(
        session_url(session), {"starts_at": new_york(2024, 3, 5, 19, 30).isoformat()}
    )
    assert response.status_code == 200


# Cancelling


def test_cancelling_keeps_the_session_raises_the_revision_and_tells_learners(
    api_client, batch, teacher, session
):
    member = member_of(batch)

    response = api_client.post(session_url(session, "cancel/"))

    assert response.status_code == 200
    assert (response.json()["status"], response.json()["revision"]) == ("cancelled", 1)
    assert snapshot(session)[2:] == ("cancelled", 1)
    note = notified("session_cancelled").get()
    assert note.user == member.learner
    assert note.body == (
        f"Batch 3: “{session.title}” on Tue 5 Mar 2024, 7:00 PM EST (Wed 6 Mar, 00:00 UTC) "
        "is cancelled."
    )


def test_cancelling_twice_is_refused(api_client, batch, teacher, session):
    member_of(batch)
    api_client.post(session_url(session, "cancel/"))
    assert_problem(api_client.post(session_url(session, "cancel/")), 409, "session_cancelled")
    assert snapshot(session)[2:] == ("cancelled", 1)
    assert notified("session_cancelled").count() == 1


@pytest.mark.parametrize(("offset", "accepted"), [(timedelta(0), False), (-SECOND, True)])
def test_a_session_that_started_cannot_be_cancelled(
    api_client, batch, teacher, session, monkeypatch, offset, accepted
):
    freeze(monkeypatch, session.starts_at + offset)
    response = api_client.post(session_url(session, "cancel/"))
    if accepted:
        assert response.status_code == 200
    else:
        assert_problem(response, 409, "session_started")
        assert snapshot(session)[2:] == ("scheduled", 0)


# The calendar


def fill(cohort, count):
    for day in range(count):
        status = "cancelled" if day % 4 == 3 else "scheduled"
        session_at(cohort, new_york(2024, 3, 1 + day, 19), status=status)


@pytest.mark.parametrize("count", [8, 20])
def test_learners_see_every_session_with_our_join_link_only(
    api_client, batch, count, django_assert_num_queries
):
    fill(batch, count)
    member = member_of(batch)
    api_client.force_authenticate(member.learner)

    with django_assert_num_queries(4):  # the cohort, is it taught by the caller, count, page
        response = api_client.get(sessions_url(batch))

    assert response.status_code == 200
    results = response.json()["results"]
    assert len(results) == response.json()["count"] == count
    assert [r["starts_at"] for r in results] == sorted(r["starts_at"] for r in results)
    assert {r["status"] for r in results} == {"scheduled", "cancelled"}
    assert all("meeting_url" not in r for r in results)
    first = results[0]
    assert first["join_url"].endswith(f"/api/v1/cohorts/{batch.pk}/sessions/{first['id']}/join/")


@pytest.mark.parametrize("count", [8, 20])
def test_the_teacher_sees_the_meeting_links_too(
    api_client, batch, teacher, count, django_assert_num_queries
):
    fill(batch, count)
    with django_assert_num_queries(4):
        response = api_client.get(sessions_url(batch))
    assert response.status_code == 200
    results = response.json()["results"]
    assert len(results) == count
    assert results[0]["meeting_url"] == "https://meet.example.com/room"


# Refused


def outsiders(batch):
    other_cohort = CohortFactory(course=batch.course, starts_on=batch.starts_on)
    return {
        "stranger": UserFactory(),
        "other_specialist": SpecialistFactory(),
        "refunded": member_of(batch, status=Enrollment.Status.REFUNDED).learner,
        "pending_payment": member_of(batch, status=Enrollment.Status.PENDING_PAYMENT).learner,
        "suspended": member_of(batch, suspended_at=NOW).learner,
        "other_cohort": member_of(other_cohort).learner,
    }


def every_call(api_client, batch, session):
    return [
        api_client.get(sessions_url(batch)),
        schedule(api_client, batch, new_york(2024, 3, 9, 19)),
        api_client.patch(session_url(session), {"duration_minutes": 90}),
        api_client.post(session_url(session, "cancel/")),
    ]


def test_anonymous_callers_are_401_everywhere(api_client, batch, session):
    for response in every_call(api_client, batch, session):
        assert_problem(response, 401, "not_authenticated")
    assert snapshot(session) == (new_york(2024, 3, 5, 19), 60, "scheduled", 0)
    assert CohortSession.objects.count() == 1


@pytest.mark.parametrize(
    "who",
    ["stranger", "other_specialist", "refunded", "pending_payment", "suspended", "other_cohort"],
)
def test_people_outside_the_cohort_get_404_everywhere(api_client, batch, session, who):
    api_client.force_authenticate(outsiders(batch)[who])
    for response in every_call(api_client, batch, session):
        assert_problem(response, 404, "not_found")
    assert snapshot(session) == (new_york(2024, 3, 5, 19), 60, "scheduled", 0)
    assert CohortSession.objects.count() == 1


def test_learners_may_read_but_not_change_the_calendar(api_client, batch, session):
    api_client.force_authenticate(member_of(batch).learner)
    read, *changes = every_call(api_client, batch, session)
    assert read.status_code == 200
    for response in changes:
        assert_problem(response, 403, "permission_denied")
    assert snapshot(session) == (new_york(2024, 3, 5, 19), 60, "scheduled", 0)
    assert CohortSession.objects.count() == 1
    assert not Notification.objects.exists()


def test_a_session_of_another_cohort_is_404_under_this_one(api_client, batch, teacher):
    elsewhere = session_at(CohortFactory(starts_on=batch.starts_on), new_york(2024, 3, 5, 19))
    response = api_client.patch(
        f"/api/v1/cohorts/{batch.pk}/sessions/{elsewhere.pk}/", {"duration_minutes": 90}
    )
    assert_problem(response, 404, "not_found")
    assert snapshot(elsewhere)[1] == 60


def test_a_superuser_may_schedule(api_client, batch):
    api_client.force_authenticate(UserFactory(is_superuser=True, is_staff=True))
    assert schedule(api_client, batch, new_york(2024, 3, 5, 19)).status_code == 201
