"""Google Meet through the provider-agnostic sync, as people use it: the specialist schedules
a session through the API and its Calendar event and Meet link are created on commit, the
learners' join link sends them to Meet, Google being down leaves the session failed on the
manual link until the beat's retry, and the attendance beat reads Meet's records once the
session is over. Google is faked at the HTTP boundary (tests/learning/google_fake.py)."""

from datetime import UTC, date, datetime, timedelta
from urllib.parse import parse_qs

import httpx
import pytest
from django.core.cache import cache

from learning.models import AttendanceRecord, CohortSession, SessionJoin, UnmatchedParticipant
from learning.tasks import pull_due_meeting_attendance, retry_meeting_syncs
from tests.factories import CohortFactory, SpecialistFactory, UserFactory, build_cohort_course
from tests.learning.google_fake import (
    CODE,
    EVENTS,
    MEET,
    MEET_URL,
    PEOPLE,
    FakeCalendar,
    bearer,
    claims_of,
    connection,
    sent,
    signed_in,
)
from tests.session_helpers import freeze, member_of

pytestmark = pytest.mark.django_db

NOW = datetime(2027, 1, 2, 12, tzinfo=UTC)
START = datetime(2027, 1, 12, 0, tzinfo=UTC)  # 7 PM on 11 January in New York
END = START + timedelta(minutes=60)
MINUTE = timedelta(minutes=1)
MANUAL = "https://meet.example.com/backup"
BROWSER = {"Accept": "text/html"}
ADA_ACCOUNT = "users/7001"  # Ada's Google account, as Meet names it


@pytest.fixture
def clock(monkeypatch):
    freeze(monkeypatch, NOW)
    return lambda instant: freeze(monkeypatch, instant)


@pytest.fixture
def teacher(db):
    return SpecialistFactory(email="teacher@school.example")


@pytest.fixture
def batch(clock, teacher):
    return CohortFactory(
        course=build_cohort_course(owner=teacher, title="Python Masterclass"),
        name="Batch 3",
        starts_on=date(2027, 1, 4),
        ends_on=date(2027, 2, 28),
        timezone="America/New_York",
        enrollment_deadline=datetime(2027, 1, 1, tzinfo=UTC),
        meeting_provider="google_meet",
    )


@pytest.fixture
def ada(batch):
    return member_of(batch, learner=UserFactory(email="Ada@Learners.example"))


@pytest.fixture
def calendar(google):
    return FakeCalendar(google)


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run what the request queued on commit (Celery is eager in tests)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def schedule(api_client, teacher, cohort):
    api_client.force_authenticate(teacher)
    response = api_client.post(
        f"/api/v1/cohorts/{cohort.pk}/sessions/",
        {"title": "Decorators", "starts_at": START.isoformat(), "duration_minutes": 60,
         "meeting_url": MANUAL},
    )  # fmt: skip
    assert response.status_code == 201, response.content
    return CohortSession.objects.get(pk=response.json()["id"])


def shown_to(api_client, teacher, session):
    """The session's sync state and error as the specialist's session list shows them."""
    api_client.force_authenticate(teacher)
    response = api_client.get(f"/api/v1/cohorts/{session.cohort_id}/sessions/")
    assert response.status_code == 200
    [shown] = response.json()["results"]
    return shown["meeting_sync_state"], shown["meeting_sync_error"]


def join(api_client, user, session):
    api_client.force_authenticate(user)
    return api_client.get(
        f"/api/v1/cohorts/{session.cohort_id}/sessions/{session.pk}/join/", headers=BROWSER
    )


def test_a_session_scheduled_on_a_meet_cohort_gets_its_event_and_learners_join_on_meet(
    api_client, batch, teacher, ada, calendar, google_token, commit, clock
):
    with commit():
        session = schedule(api_client, teacher, batch)

    assert google_token.call_count == 1
    assert claims_of(google_token.calls.last)["sub"] == "teacher@school.example"
    assert calendar.insert.call_count == 1
    request = calendar.insert.calls.last.request
    assert dict(request.url.params) == {"conferenceDataVersion": "1", "sendUpdates": "none"}
    assert bearer(calendar.insert) == "Bearer token-1"
    body = sent(calendar.insert)
    assert body["description"].endswith(f"/api/v1/cohorts/{batch.pk}/sessions/{session.pk}/join/")
    assert {key: body[key] for key in ("id", "summary", "start", "end", "attendees")} == {
        "id": session.ical_uid.hex,
        "summary": "Python Masterclass – Batch 3: Decorators",
        "start": {"dateTime": "2027-01-11T19:00:00-05:00", "timeZone": "America/New_York"},
        "end": {"dateTime": "2027-01-11T20:00:00-05:00", "timeZone": "America/New_York"},
        "attendees": [{"email": "ada@learners.example"}],
    }
    assert body["conferenceData"] == {
        "createRequest": {
            "requestId": session.ical_uid.hex,
            "conferenceSolutionKey": {"type": "hangoutsMeet"},
        }
    }
    # Then each member is brought in line: the guests read and written back unchanged.
    assert calendar.read.call_count == 1 and calendar.patch.call_count == 1
    assert calendar.patch.calls.last.request.url.path.endswith(f"/events/{session.ical_uid.hex}")
    assert sent(calendar.patch) == {"attendees": [{"email": "ada@learners.example"}]}
    assert bearer(calendar.patch) == "Bearer token-1"  # the cached token is reused

    session.refresh_from_db()
    assert (session.google_meet_url, session.google_meet_code) == (MEET_URL, CODE)
    assert shown_to(api_client, teacher, session) == ("synced", "")

    clock(START - 15 * MINUTE)
    for person in (ada.learner, teacher):
        response = join(api_client, person, session)
        assert (response.status_code, response["Location"]) == (302, MEET_URL)
    assert SessionJoin.objects.filter(session=session).count() == 2
    outsider = member_of(CohortFactory(course=batch.course)).learner
    assert join(api_client, outsider, session).status_code == 404
    assert calendar.insert.call_count == 1  # joining calls Google for nothing


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (httpx.Response(503, json={"error": {"code": 503, "message": "Backend Error"}}),
         "Google refused to create the session's Calendar event: HTTP 503, Backend Error."),
        (httpx.ReadTimeout("slow"),
         "Google did not answer in time to create the session's Calendar event."),
        (httpx.ConnectError("connection refused"),
         "Google could not be reached to create the session's Calendar event "
         "(connection refused)."),
    ],
)  # fmt: skip
def test_google_down_leaves_the_session_failed_on_the_manual_link_until_the_beat_retries(
    api_client, batch, teacher, ada, calendar, google_token, commit, clock, answer, message
):
    calendar.insert.side_effect = answer
    with commit():
        session = schedule(api_client, teacher, batch)

    session.refresh_from_db()
    assert (session.meeting_sync_state, session.meeting_sync_error) == ("failed", message)
    assert shown_to(api_client, teacher, session) == ("failed", message)
    assert (session.google_event_id, session.google_meet_url) == ("", "")
    assert calendar.patch.call_count == 0  # no member is synced to an event that failed
    clock(START - 15 * MINUTE)
    response = join(api_client, ada.learner, session)
    assert (response.status_code, response["Location"]) == (302, MANUAL)

    calendar.insert.side_effect = calendar._insert  # Google is back: the beat's retry syncs it
    clock(NOW)
    retry_meeting_syncs.delay()

    session.refresh_from_db()
    assert (session.meeting_sync_state, session.meeting_sync_error) == ("synced", "")
    assert shown_to(api_client, teacher, session) == ("synced", "")
    assert calendar.insert.call_count == 2
    assert sent(calendar.insert, 0)["id"] == sent(calendar.insert, 1)["id"] == session.ical_uid.hex
    assert list(calendar.events) == [session.ical_uid.hex]
    clock(START - 15 * MINUTE)
    response = join(api_client, ada.learner, session)
    assert (response.status_code, response["Location"]) == (302, MEET_URL)


def test_the_beat_retries_nothing_once_the_session_is_synced(
    api_client, batch, teacher, ada, calendar, google_token, commit
):
    with commit():
        schedule(api_client, teacher, batch)
    calls = len(google_token.calls) + len(calendar.insert.calls) + len(calendar.patch.calls)

    assert retry_meeting_syncs.delay().get() == 0

    assert len(google_token.calls) + len(calendar.insert.calls) + len(calendar.patch.calls) == calls


def edit(api_client, teacher, session, **fields):
    api_client.force_authenticate(teacher)
    response = api_client.patch(
        f"/api/v1/cohorts/{session.cohort_id}/sessions/{session.pk}/", fields, format="json"
    )
    assert response.status_code == 200, response.content
    return response.json()


def test_a_reschedule_moves_the_event_and_keeps_its_meet_link(
    api_client, batch, teacher, ada, calendar, google_token, commit
):
    with commit():
        session = schedule(api_client, teacher, batch)
    patches = calendar.patch.call_count

    with commit():
        edit(api_client, teacher, session, starts_at=(START + timedelta(hours=1)).isoformat())

    session.refresh_from_db()
    assert calendar.insert.call_count == 1  # the same event, moved
    body = sent(calendar.patch, patches)
    assert (body["start"], body["end"]) == (
        {"dateTime": "2027-01-11T20:00:00-05:00", "timeZone": "America/New_York"},
        {"dateTime": "2027-01-11T21:00:00-05:00", "timeZone": "America/New_York"},
    )
    assert "conferenceData" not in body  # the Meet link stays
    assert (session.meeting_sync_state, session.google_meet_url) == ("synced", MEET_URL)


def test_cancelling_deletes_the_event_without_mailing_the_guests(
    api_client, batch, teacher, ada, calendar, google, google_token, commit, clock
):
    with commit():
        session = schedule(api_client, teacher, batch)
    delete = google.delete(f"{EVENTS}/{session.ical_uid.hex}").respond(204)

    api_client.force_authenticate(teacher)
    with commit():
        response = api_client.post(f"/api/v1/cohorts/{batch.pk}/sessions/{session.pk}/cancel/")
    assert response.status_code == 200, response.content

    assert delete.call_count == 1
    assert dict(delete.calls.last.request.url.params) == {"sendUpdates": "none"}
    session.refresh_from_db()
    assert (session.google_event_id, session.google_meet_url) == ("", "")
    clock(START - 15 * MINUTE)
    assert join(api_client, ada.learner, session).status_code == 409


def test_moving_a_session_to_the_manual_link_deletes_its_meet_event(
    api_client, batch, teacher, ada, calendar, google, google_token, commit, clock
):
    with commit():
        session = schedule(api_client, teacher, batch)
    delete = google.delete(f"{EVENTS}/{session.ical_uid.hex}").respond(204)

    with commit():
        shown = edit(api_client, teacher, session, meeting_provider="manual")

    session.refresh_from_db()
    assert delete.call_count == 1  # learners keep no event with a link nobody uses
    assert (session.google_event_id, session.google_meet_url) == ("", "")
    assert (session.meeting_sync_state, shown["meeting_provider"]) == ("not_needed", "manual")
    clock(START - 15 * MINUTE)
    response = join(api_client, ada.learner, session)
    assert (response.status_code, response["Location"]) == (302, MANUAL)


def test_a_refused_delete_leaves_the_session_failed_on_its_manual_link_until_the_retry(
    api_client, batch, teacher, ada, calendar, google, google_token, commit, clock
):
    with commit():
        session = schedule(api_client, teacher, batch)
    delete = google.delete(f"{EVENTS}/{session.ical_uid.hex}")
    delete.side_effect = [
        httpx.Response(500, json={"error": {"code": 500, "message": "Backend Error"}}),
        httpx.Response(204),
    ]

    with commit():
        edit(api_client, teacher, session, meeting_provider="manual")

    session.refresh_from_db()
    assert (session.meeting_sync_state, session.meeting_sync_error) == (
        "failed",
        "Google refused to delete the session's Calendar event: HTTP 500, Backend Error.",
    )
    clock(START - 15 * MINUTE)
    assert join(api_client, ada.learner, session)["Location"] == MANUAL

    clock(NOW)
    retry_meeting_syncs.delay()
    session.refresh_from_db()
    assert (session.meeting_sync_state, session.meeting_sync_error) == ("not_needed", "")
    assert delete.call_count == 2 and session.google_event_id == ""


def test_moving_a_session_to_zoom_deletes_its_meet_event_and_creates_the_zoom_meeting(
    api_client, batch, teacher, ada, calendar, google, google_token, zoom, commit, clock
):
    with commit():
        session = schedule(api_client, teacher, batch)
    delete = google.delete(f"{EVENTS}/{session.ical_uid.hex}").respond(204)

    with commit():
        edit(api_client, teacher, session, meeting_provider="zoom")

    session.refresh_from_db()
    assert delete.call_count == 1 and zoom.create.call_count == 1
    assert (session.meeting_sync_state, session.google_event_id) == ("synced", "")
    clock(START - 15 * MINUTE)
    assert join(api_client, ada.learner, session)["Location"].startswith("https://zoom.us/w/")


@pytest.fixture
def meet_records(google):
    """Meet's records of the session's code: one conference, Ada signed in from 19:00 to 19:40
    and a guest by phone; Ada's account's e-mail from the People API."""
    record = "conferenceRecords/rec-1"
    ada_in, phone = f"{record}/participants/ada", f"{record}/participants/phone"
    routes = {
        "records": google.get(f"{MEET}/conferenceRecords").respond(
            200, json={"conferenceRecords": [{"name": record, "startTime": START.isoformat()}]}
        ),
        "participants": google.get(f"{MEET}/{record}/participants").respond(
            200, json={"participants": [
                signed_in(ada_in, ADA_ACCOUNT, "Ada"),
                {"name": phone, "phoneUser": {"displayName": "+1 555-***-**12"}},
            ]},
        ),
        "ada": google.get(f"{MEET}/{ada_in}/participantSessions").respond(
            200, json={"participantSessions": [connection(ada_in, 1, START, START + 40 * MINUTE)]}
        ),
        "phone": google.get(f"{MEET}/{phone}/participantSessions").respond(
            200, json={"participantSessions": [connection(phone, 1, START, END)]}
        ),
        "people": google.get(f"{PEOPLE}/{ADA_ACCOUNT.removeprefix('users/')}").respond(
            200, json={"emailAddresses": [
                {"value": "ada@learners.example", "metadata": {"primary": True}}]},
        ),
    }  # fmt: skip
    yield routes
    cache.delete(f"google-meet:email:{ADA_ACCOUNT}")


def test_the_attendance_beat_reads_meet_fifteen_minutes_after_the_end_not_a_second_before(
    api_client, batch, teacher, ada, calendar, google_token, meet_records, commit, clock
):
    with commit():
        session = schedule(api_client, teacher, batch)
    session.refresh_from_db()
    assert session.meeting_sync_state == "synced"

    clock(END + 15 * MINUTE - timedelta(seconds=1))
    assert pull_due_meeting_attendance.delay().get() == 0
    assert meet_records["records"].call_count == 0
    assert not AttendanceRecord.objects.exists()

    clock(END + 15 * MINUTE)
    assert pull_due_meeting_attendance.delay().get() == 1

    listed = meet_records["records"].calls.last.request
    assert listed.headers["Authorization"].startswith("Bearer token-")
    assert parse_qs(listed.url.query.decode())["filter"] == [
        f'space.meeting_code = "{CODE}" AND '
        'start_time>="2027-01-11T18:00:00Z" AND start_time<="2027-01-12T01:00:00Z"'
    ]
    assert meet_records["people"].calls.last.request.url.params["personFields"] == (
        "emailAddresses"
    )
    record = AttendanceRecord.objects.get(session=session)
    assert (record.enrollment, record.status, record.minutes_attended, record.source) == (
        ada, "present", 40, "meet"
    )  # fmt: skip
    assert record.first_joined_at == START
    guest = UnmatchedParticipant.objects.get(session=session)
    assert (guest.name, guest.minutes_attended) == ("+1 555-***-**12", 60)
    session.refresh_from_db()
    assert session.attendance_pulled_at == END + 15 * MINUTE

    assert pull_due_meeting_attendance.delay().get() == 0  # pulled once
    assert meet_records["records"].call_count == 1


def test_a_meet_refusal_during_the_beats_pull_is_tried_again_by_the_next_beat(
    api_client, batch, teacher, ada, calendar, google_token, meet_records, commit, clock
):
    with commit():
        session = schedule(api_client, teacher, batch)
    meet_records["records"].side_effect = [
        httpx.Response(503, json={"error": {"code": 503, "message": "Backend Error"}}),
        meet_records["records"].return_value,
    ]
    clock(END + 15 * MINUTE)

    assert pull_due_meeting_attendance.delay().get() == 1
    session.refresh_from_db()
    assert session.attendance_pulled_at is None
    assert not AttendanceRecord.objects.exists()

    clock(END + 20 * MINUTE)
    assert pull_due_meeting_attendance.delay().get() == 1
    assert AttendanceRecord.objects.get(session=session).source == "meet"
    session.refresh_from_db()
    assert session.attendance_pulled_at == END + 20 * MINUTE
