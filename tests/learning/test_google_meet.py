"""The Google Meet provider, with Google faked at the HTTP boundary: the service account's
signed assertion and its cached token, the Calendar event and its Meet link, guests kept in
line with the cohort, Google's refusals as errors a specialist can read, and attendance read
from Meet's conference records, mapped by account e-mail and never by name."""

import json
from datetime import UTC, date, datetime, timedelta
from urllib.parse import parse_qs

import httpx
import jwt
import pytest
from django.core.cache import cache

from learning.meetings import MeetingProviderError, meeting_provider, providers_offered
from learning.models import (
    AttendanceChange,
    AttendanceRecord,
    CohortSession,
    Enrollment,
    UnmatchedParticipant,
)
from learning.services.zoom_attendance import unmatched_participant_resolve
from tests.factories import (
    CohortFactory,
    CohortSessionFactory,
    SpecialistFactory,
    UserFactory,
    build_cohort_course,
)
from tests.learning.google_fake import (
    CODE,
    EVENTS,
    MEET,
    MEET_URL,
    PEOPLE,
    TOKEN_URL,
    bearer,
    claims_of,
    connection,
    event,
    paged,
    sent,
    signed_in,
)

START = datetime(2027, 1, 12, 0, 0, tzinfo=UTC)  # 7 PM in New York, the evening before
END = START + timedelta(minutes=60)
MINUTE = timedelta(minutes=1)

SCOPES = (
    "https://www.googleapis.com/auth/calendar.events "
    "https://www.googleapis.com/auth/meetings.space.readonly "
    "https://www.googleapis.com/auth/directory.readonly"
)

pytestmark = pytest.mark.usefixtures("google_configured")


@pytest.fixture(autouse=True)
def attendance_rules(settings):
    settings.ATTENDANCE_PRESENT_SHARE = 0.5
    settings.ATTENDANCE_LATE_GRACE_MINUTES = 10


@pytest.fixture
def clock(monkeypatch):
    class Clock:
        now = START - timedelta(days=10)

    clock = Clock()
    monkeypatch.setattr("django.utils.timezone.now", lambda: clock.now)
    return clock


@pytest.fixture
def provider():
    return meeting_provider("google_meet")


@pytest.fixture
def teacher(db):
    return SpecialistFactory(email="teacher@school.example")


@pytest.fixture
def cohort(teacher):
    return CohortFactory(
        course=build_cohort_course(owner=teacher, title="Python Masterclass"),
        name="Batch 3",
        meeting_provider="google_meet",
        starts_on=date(2027, 1, 4),
        ends_on=date(2027, 2, 28),
        enrollment_deadline=datetime(2027, 1, 1, tzinfo=UTC),
    )


@pytest.fixture
def session(cohort):
    return CohortSessionFactory(
        cohort=cohort, title="Session 1", starts_at=START, duration_minutes=60, description=""
    )


def learner_in(cohort, email, *, status="active", **user_fields):
    return Enrollment.objects.create(
        learner=UserFactory(email=email, **user_fields),
        course=cohort.course,
        cohort=cohort,
        status=status,
    )


def synced(session, **fields):
    values = {
        "google_event_id": session.ical_uid.hex,
        "google_calendar_owner": "teacher@school.example",
        "google_conference_request_id": session.ical_uid.hex,
        "google_meet_url": MEET_URL,
        "google_meet_code": CODE,
        **fields,
    }
    CohortSession.objects.filter(pk=session.pk).update(**values)
    session.refresh_from_db()
    return session


# Configuration


@pytest.mark.parametrize(
    "value",
    ["", "not json", json.dumps(["a list"]), json.dumps({"client_email": "a@b.example"})],
)
def test_without_a_usable_service_account_google_meet_is_not_offered(settings, provider, value):
    settings.GOOGLE_SERVICE_ACCOUNT_JSON = value
    assert not provider.is_configured()
    assert "google_meet" not in [p.name for p in providers_offered()]


def test_with_a_service_account_key_google_meet_is_offered(provider):
    assert provider.is_configured()
    assert "google_meet" in [p.name for p in providers_offered()]


# Creating the session's event


def test_the_event_is_created_as_the_specialist_with_a_meet_link_and_the_learners_as_guests(
    google, google_token, provider, session, clock, client_email
):
    cohort = session.cohort
    learner_in(cohort, "zoe@learners.example")
    learner_in(cohort, "Adam@Learners.example", status="completed")
    learner_in(cohort, "refunded@learners.example", status="refunded")
    learner_in(cohort, "unpaid@learners.example", status="pending_payment")
    suspended = learner_in(cohort, "disputed@learners.example")
    Enrollment.objects.filter(pk=suspended.pk).update(suspended_at=clock.now)
    learner_in(CohortFactory(course=cohort.course), "other-batch@learners.example")
    insert = google.post(EVENTS).respond(200, json=event(session))

    provider.session_sync(session)

    assert google_token.call_count == 1
    form = parse_qs(google_token.calls.last.request.content.decode())
    assert form["grant_type"] == ["urn:ietf:params:oauth:grant-type:jwt-bearer"]
    assertion = form["assertion"][0]
    assert jwt.get_unverified_header(assertion) == {"alg": "RS256", "typ": "JWT", "kid": "key-1"}
    claims = claims_of(google_token.calls.last)
    issued = int(clock.now.timestamp())
    assert claims == {
        "iss": client_email, "sub": "teacher@school.example", "scope": SCOPES,
        "aud": TOKEN_URL, "iat": issued, "exp": issued + 3600,
    }  # fmt: skip

    request = insert.calls.last.request
    assert dict(request.url.params) == {"conferenceDataVersion": "1", "sendUpdates": "none"}
    assert bearer(insert) == "Bearer token-1"
    body = sent(insert)
    description = body.pop("description")
    assert description.startswith("Join: http")
    assert description.endswith(f"/api/v1/cohorts/{cohort.pk}/sessions/{session.pk}/join/")
    assert body == {
        "id": session.ical_uid.hex,
        "summary": "Python Masterclass – Batch 3: Session 1",
        "start": {"dateTime": "2027-01-11T19:00:00-05:00", "timeZone": "America/New_York"},
        "end": {"dateTime": "2027-01-11T20:00:00-05:00", "timeZone": "America/New_York"},
        "attendees": [{"email": "adam@learners.example"}, {"email": "zoe@learners.example"}],
        "status": "confirmed",
        "guestsCanSeeOtherGuests": False,
        "guestsCanInviteOthers": False,
        "conferenceData": {
            "createRequest": {
                "requestId": session.ical_uid.hex,
                "conferenceSolutionKey": {"type": "hangoutsMeet"},
            }
        },
    }
    session.refresh_from_db()
    assert (session.google_event_id, session.google_calendar_owner) == (
        session.ical_uid.hex,
        "teacher@school.example",
    )
    assert (session.google_meet_url, session.google_meet_code) == (MEET_URL, CODE)
    assert session.meeting_url == "https://meet.example.com/room"  # the fallback stays
    enrollment = Enrollment.objects.get(learner__email="zoe@learners.example")
    assert provider.join_url(session=session, enrollment=enrollment) == MEET_URL
    assert provider.join_url(session=session, enrollment=None) == MEET_URL


def test_the_instructor_rather_than_the_author_owns_the_event(
    google, google_token, provider, session
):
    course = session.cohort.course
    course.instructor = SpecialistFactory(email="instructor@school.example")
    course.save()
    google.post(EVENTS).respond(200, json=event(session))

    provider.session_sync(session)

    claims = claims_of(google_token.calls.last)
    assert claims["sub"] == "instructor@school.example"
    session.refresh_from_db()
    assert session.google_calendar_owner == "instructor@school.example"


def test_a_specialist_without_an_email_is_a_clear_error_and_nothing_is_sent(
    google, google_token, provider, session, teacher
):
    teacher.email = ""
    teacher.save()
    with pytest.raises(MeetingProviderError, match="no e-mail address"):
        provider.session_sync(session)
    assert google_token.call_count == 0


def test_a_link_still_pending_is_read_again_at_once(google, google_token, provider, session):
    google.post(EVENTS).respond(200, json=event(session, status="pending", link=False))
    read = google.get(f"{EVENTS}/{session.ical_uid.hex}").respond(200, json=event(session))

    provider.session_sync(session)

    assert read.call_count == 1
    session.refresh_from_db()
    assert (session.google_meet_url, session.google_meet_code) == (MEET_URL, CODE)


def test_a_link_still_pending_after_a_second_look_is_an_error_the_next_sync_clears(
    google, google_token, provider, session
):
    pending = event(session, status="pending", link=False)
    google.post(EVENTS).respond(200, json=pending)
    url = f"{EVENTS}/{session.ical_uid.hex}"
    read = google.get(url).respond(200, json=pending)
    with pytest.raises(MeetingProviderError, match="still creating"):
        provider.session_sync(session)
    session.refresh_from_db()
    assert session.google_event_id == session.ical_uid.hex
    assert session.google_meet_url == ""
    assert provider.join_url(session=session, enrollment=None) == ""

    patch = google.patch(url).respond(200, json=event(session))
    provider.session_sync(session)

    assert read.call_count == 2  # the re-read, then the next sync's read before its patch
    assert sent(patch)["conferenceData"]["createRequest"]["requestId"] == session.ical_uid.hex
    session.refresh_from_db()
    assert (session.google_meet_url, session.google_meet_code) == (MEET_URL, CODE)


def test_a_refused_link_is_asked_for_again_with_a_new_request_id(
    google, google_token, provider, session
):
    google.post(EVENTS).respond(200, json=event(session, status="failure", link=False))
    with pytest.raises(MeetingProviderError, match="could not add a Meet link"):
        provider.session_sync(session)
    session.refresh_from_db()
    retry_id = session.google_conference_request_id
    assert retry_id and retry_id != session.ical_uid.hex

    url = f"{EVENTS}/{session.ical_uid.hex}"
    google.get(url).respond(200, json=event(session, status="failure", link=False))
    patch = google.patch(url).respond(200, json=event(session))
    provider.session_sync(session)

    assert sent(patch)["conferenceData"]["createRequest"]["requestId"] == retry_id
    session.refresh_from_db()
    assert session.google_meet_url == MEET_URL


def test_an_insert_whose_answer_was_lost_is_found_again_not_doubled(
    google, google_token, provider, session
):
    insert = google.post(EVENTS).respond(409, json={"error": {"code": 409, "message": "duplicate"}})
    patch = google.patch(f"{EVENTS}/{session.ical_uid.hex}").respond(200, json=event(session))

    provider.session_sync(session)

    assert insert.call_count == 1 and patch.call_count == 1
    body = sent(patch)
    assert body["status"] == "confirmed" and body["summary"].endswith("Session 1")
    session.refresh_from_db()
    assert session.google_meet_url == MEET_URL


def test_a_reschedule_patches_the_event_and_keeps_guests_added_by_hand(
    google, google_token, provider, session
):
    synced(session)
    learner_in(session.cohort, "zoe@learners.example")
    learner_in(session.cohort, "gone@learners.example", status="refunded")
    guests = [
        {"email": "co-host@school.example", "responseStatus": "accepted"},
        {"email": "zoe@learners.example", "responseStatus": "tentative"},
        {"email": "gone@learners.example", "responseStatus": "needsAction"},
    ]
    url = f"{EVENTS}/{session.ical_uid.hex}"
    google.get(url).respond(200, json=event(session, attendees=guests))
    patch = google.patch(url).respond(200, json=event(session))
    session.starts_at = START + timedelta(days=1, hours=1)
    session.save()

    provider.session_sync(session)

    request = patch.calls.last.request
    assert dict(request.url.params) == {"conferenceDataVersion": "1", "sendUpdates": "none"}
    body = sent(patch)
    assert "conferenceData" not in body  # the link stays the same
    assert body["status"] == "confirmed"
    assert body["start"]["dateTime"] == "2027-01-12T20:00:00-05:00"
    assert body["end"]["dateTime"] == "2027-01-12T21:00:00-05:00"
    assert body["attendees"] == [
        {"email": "co-host@school.example", "responseStatus": "accepted"},
        {"email": "zoe@learners.example", "responseStatus": "tentative"},
    ]
    session.refresh_from_db()
    assert session.google_meet_url == MEET_URL


def test_an_event_deleted_in_google_calendar_is_restored_by_the_next_sync(
    google, google_token, provider, session
):
    synced(session)
    url = f"{EVENTS}/{session.ical_uid.hex}"
    read = google.get(url).respond(404)
    insert = google.post(EVENTS).respond(409, json={"error": {"message": "duplicate"}})
    patch = google.patch(url).respond(200, json=event(session))

    provider.session_sync(session)

    assert read.call_count == insert.call_count == patch.call_count == 1
    assert sent(insert)["id"] == session.ical_uid.hex
    body = sent(patch)
    assert body["status"] == "confirmed" and "conferenceData" not in body
    session.refresh_from_db()
    assert session.google_meet_url == MEET_URL


@pytest.mark.parametrize("status", [200, 204, 404, 410])
def test_a_cancelled_session_deletes_its_event_and_one_already_gone_is_fine(
    google, google_token, provider, session, status
):
    synced(session)
    delete = google.delete(f"{EVENTS}/{session.ical_uid.hex}").respond(status)
    session.status = CohortSession.Status.CANCELLED
    session.save()

    provider.session_sync(session)

    assert delete.call_count == 1
    assert dict(delete.calls.last.request.url.params) == {"sendUpdates": "none"}
    session.refresh_from_db()
    assert (session.google_event_id, session.google_meet_url, session.google_meet_code) == (
        "",
        "",
        "",
    )
    assert provider.join_url(session=session, enrollment=None) == ""


def test_a_session_moved_to_another_provider_loses_its_event(
    google, google_token, provider, session
):
    synced(session)
    delete = google.delete(f"{EVENTS}/{session.ical_uid.hex}").respond(204)
    session.meeting_provider = "manual"
    session.save()

    provider.session_sync(session)

    assert delete.call_count == 1
    session.refresh_from_db()
    assert session.google_event_id == ""


def test_a_cancelled_session_never_synced_calls_nothing(google, google_token, provider, session):
    session.status = CohortSession.Status.CANCELLED
    session.save()
    provider.session_sync(session)
    assert google_token.call_count == 0


# Guests


def test_member_sync_adds_a_new_learner_and_removes_one_refunded(
    google, google_token, provider, session
):
    synced(session)
    newcomer = learner_in(session.cohort, "new@learners.example")
    refunded = learner_in(session.cohort, "gone@learners.example", status="refunded")
    url = f"{EVENTS}/{session.ical_uid.hex}"
    guests = [{"email": "co-host@school.example"}, {"email": "gone@learners.example"}]
    google.get(url).respond(200, json=event(session, attendees=guests))
    patch = google.patch(url).respond(200, json=event(session))

    provider.member_sync(session=session, enrollment=newcomer)
    provider.member_sync(session=session, enrollment=refunded)

    assert sent(patch) == {
        "attendees": [{"email": "co-host@school.example"}, {"email": "new@learners.example"}]
    }
    assert dict(patch.calls.last.request.url.params) == {
        "conferenceDataVersion": "1",
        "sendUpdates": "none",
    }


def test_member_sync_before_the_event_exists_calls_nothing(google, google_token, provider, session):
    newcomer = learner_in(session.cohort, "new@learners.example")
    provider.member_sync(session=session, enrollment=newcomer)
    assert google_token.call_count == 0


def test_member_sync_for_an_event_deleted_in_google_is_a_clear_error(
    google, google_token, provider, session
):
    synced(session)
    google.get(f"{EVENTS}/{session.ical_uid.hex}").respond(404)
    with pytest.raises(MeetingProviderError, match="no longer exists"):
        provider.member_sync(session=session, enrollment=learner_in(session.cohort, "a@b.example"))


# The token: cached per user under its lifetime, renewed once on 401


def test_the_token_is_reused_until_a_minute_before_it_expires_and_is_per_user(
    google, google_token, provider, session, clock
):
    synced(session)
    other = synced(
        CohortSessionFactory(cohort=session.cohort, starts_at=START + timedelta(days=7)),
        google_calendar_owner="someone-else@school.example",
    )
    enrollment = learner_in(session.cohort, "zoe@learners.example")
    for each in (session, other):
        url = f"{EVENTS}/{each.ical_uid.hex}"
        google.get(url).respond(200, json=event(each))
        google.patch(url).respond(200, json=event(each))
    issued_at = clock.now

    provider.member_sync(session=session, enrollment=enrollment)
    clock.now = issued_at + timedelta(seconds=3600 - 60) - timedelta(microseconds=1)
    provider.member_sync(session=session, enrollment=enrollment)
    assert google_token.call_count == 1

    provider.member_sync(session=other, enrollment=enrollment)  # another specialist: own token
    assert google_token.call_count == 2

    clock.now = issued_at + timedelta(seconds=3600 - 60)
    provider.member_sync(session=session, enrollment=enrollment)
    assert google_token.call_count == 3
    subjects = [claims_of(call)["sub"] for call in google_token.calls]
    assert subjects == [
        "teacher@school.example",
        "someone-else@school.example",
        "teacher@school.example",
    ]


def test_a_401_fetches_a_new_token_and_tries_once_more(google, google_token, provider, session):
    synced(session)
    url = f"{EVENTS}/{session.ical_uid.hex}"
    read = google.get(url).mock(
        side_effect=[httpx.Response(401), httpx.Response(200, json=event(session))]
    )
    google.patch(url).respond(200, json=event(session))

    provider.member_sync(session=session, enrollment=learner_in(session.cohort, "a@b.example"))

    assert google_token.call_count == 2
    assert [call.request.headers["Authorization"] for call in read.calls] == [
        "Bearer token-1",
        "Bearer token-2",
    ]


def test_a_second_401_is_an_error_without_a_third_try(google, google_token, provider, session):
    synced(session)
    read = google.get(f"{EVENTS}/{session.ical_uid.hex}").respond(
        401, json={"error": {"code": 401, "message": "Invalid Credentials"}}
    )
    with pytest.raises(MeetingProviderError, match="HTTP 401, Invalid Credentials"):
        provider.member_sync(session=session, enrollment=learner_in(session.cohort, "a@b.example"))
    assert read.call_count == 2 and google_token.call_count == 2


def test_a_refused_delegation_says_what_to_check(google, provider, session):
    google.post(TOKEN_URL).respond(
        401,
        json={
            "error": "unauthorized_client",
            "error_description": "Client is unauthorized to retrieve access tokens using this method",
        },
    )
    insert = google.post(EVENTS).respond(200, json=event(session))
    with pytest.raises(MeetingProviderError) as refused:
        provider.session_sync(session)
    message = str(refused.value)
    assert "act as teacher@school.example" in message
    assert "Client is unauthorized" in message and "domain-wide delegation" in message
    assert insert.call_count == 0
    session.refresh_from_db()
    assert session.google_event_id == ""


# Google's failures


@pytest.mark.parametrize(
    "answer, message",
    [
        (
            httpx.Response(500, json={"error": {"code": 500, "message": "Backend Error"}}),
            "Google refused to create the session's Calendar event: HTTP 500, Backend Error.",
        ),
        (
            httpx.Response(403, json={"error": {"code": 403, "message": "Calendar usage limits"}}),
            "HTTP 403, Calendar usage limits",
        ),
        (httpx.Response(502, text="<html>Bad Gateway</html>"), "other than JSON"),
        (httpx.Response(200, text="not json"), "other than JSON"),
        (httpx.ReadTimeout("slow"), "did not answer in time"),
        (httpx.ConnectError("refused"), "could not be reached"),
    ],
)
def test_google_failures_are_errors_a_specialist_can_read_and_nothing_is_stored(
    google, google_token, provider, session, answer, message
):
    route = google.post(EVENTS)
    route.side_effect = answer if isinstance(answer, Exception) else None
    if not isinstance(answer, Exception):
        route.return_value = answer
    with pytest.raises(MeetingProviderError, match=message.replace("(", r"\(")):
        provider.session_sync(session)
    session.refresh_from_db()
    assert (session.google_event_id, session.google_meet_url) == ("", "")


def test_an_unreachable_token_endpoint_is_an_error(google, provider, session):
    google.post(TOKEN_URL).mock(side_effect=httpx.ConnectTimeout("slow"))
    with pytest.raises(MeetingProviderError, match="did not answer in time"):
        provider.session_sync(session)


# Attendance from the Meet REST API


RECORD_A = "conferenceRecords/rec-a"
RECORD_B = "conferenceRecords/rec-b"


@pytest.fixture
def meet(google, google_token, session):
    """Two conferences of the session's code; learners join signed in (one by several
    connections over two pages), others anonymously, by phone or with unknown accounts."""
    synced(session)
    a = f"{RECORD_A}/participants"
    b = f"{RECORD_B}/participants"
    routes = {
        "records": google.get(f"{MEET}/conferenceRecords").mock(
            side_effect=paged([
                {"conferenceRecords": [{"name": RECORD_A, "startTime": START.isoformat()}],
                 "nextPageToken": "p1"},
                {"conferenceRecords": [{"name": RECORD_B}]},
            ])
        ),
        "participants_a": google.get(f"{MEET}/{a}").mock(
            side_effect=paged([
                {"participants": [
                    signed_in(f"{a}/zoe", "users/111", "Zoe"),
                    signed_in(f"{a}/sam", "users/222", "Sam"),
                ], "nextPageToken": "p1"},
                {"participants": [
                    signed_in(f"{a}/ann", "users/333", "Ann"),
                    signed_in(f"{a}/stranger", "users/999", "Stranger"),
                    {"name": f"{a}/anon", "anonymousUser": {"displayName": "Jill Chill"}},
                    {"name": f"{a}/phone", "phoneUser": {"displayName": "+1 555-***-**12"}},
                ]},
            ])
        ),
        "participants_b": google.get(f"{MEET}/{b}").respond(
            200, json={"participants": [
                signed_in(f"{b}/zoe", "users/111", "Zoe"),
                signed_in(f"{b}/ben", "users/444", "Ben"),
                signed_in(f"{b}/outsider", "users/404", "Outsider"),
            ]},
        ),
    }  # fmt: skip
    sessions = {
        # Zoe: 19:02–19:30 and 19:35–20:10 (clipped at 20:00) in A, 19:20–19:25 again in B.
        f"{a}/zoe": [
            {"participantSessions": [connection(f"{a}/zoe", 1, START + 2 * MINUTE, START + 30 * MINUTE)],
             "nextPageToken": "p1"},
            {"participantSessions": [connection(f"{a}/zoe", 2, START + 35 * MINUTE, END + 10 * MINUTE)]},
        ],
        # Sam: 30 minutes exactly, joining exactly at the end of the grace period: present.
        f"{a}/sam": [{"participantSessions": [
            connection(f"{a}/sam", 1, START + 10 * MINUTE, START + 40 * MINUTE)]}],
        # Ann: one minute short of half the session: absent.
        f"{a}/ann": [{"participantSessions": [
            connection(f"{a}/ann", 1, START, START + 29 * MINUTE)]}],
        f"{a}/stranger": [{"participantSessions": [
            connection(f"{a}/stranger", 1, START, START + 50 * MINUTE)]}],
        f"{a}/anon": [{"participantSessions": [connection(f"{a}/anon", 1, START, END)]}],
        f"{a}/phone": [{"participantSessions": [
            connection(f"{a}/phone", 1, START + 5 * MINUTE, START + 15 * MINUTE)]}],
        f"{b}/zoe": [{"participantSessions": [
            connection(f"{b}/zoe", 1, START + 20 * MINUTE, START + 25 * MINUTE)]}],
        # Ben: one minute after the grace period, still connected when the pull ran: late.
        f"{b}/ben": [{"participantSessions": [connection(f"{b}/ben", 1, START + 11 * MINUTE)]}],
        f"{b}/outsider": [{"participantSessions": [
            connection(f"{b}/outsider", 1, START, END)]}],
    }  # fmt: skip
    for participant, pages in sessions.items():
        routes[participant] = google.get(f"{MEET}/{participant}/participantSessions").mock(
            side_effect=paged(pages)
        )
    people = {
        "111": ["zoe.smith@school.example", "ZOE@learners.example"],
        "222": ["sam@learners.example"],
        "333": ["ann@learners.example"],
        "444": ["ben@learners.example"],
        "999": ["stranger@elsewhere.example"],
    }
    for account, emails in people.items():
        addresses = [{"value": emails[0], "metadata": {"primary": False}}] + [
            {"value": email, "metadata": {"primary": True}} for email in emails[1:]
        ]
        routes[f"people/{account}"] = google.get(f"{PEOPLE}/{account}").respond(
            200,
            json={
                "resourceName": f"people/{account}",
                "emailAddresses": addresses if len(emails) > 1 else [{"value": emails[0]}],
            },
        )
    routes["people/404"] = google.get(f"{PEOPLE}/404").respond(
        404, json={"error": {"code": 404, "message": "Requested entity was not found."}}
    )
    yield routes
    cache.delete_many([f"google-meet:email:users/{account}" for account in [*people, "404"]])


@pytest.fixture
def learners(session):
    cohort = session.cohort
    return {
        "zoe": learner_in(cohort, "zoe@learners.example"),
        "sam": learner_in(cohort, "sam@learners.example"),
        "ann": learner_in(cohort, "ann@learners.example"),
        "ben": learner_in(cohort, "Ben@Learners.example"),
        "jill": learner_in(cohort, "jill@learners.example", first_name="Jill", last_name="Chill"),
    }


def record_of(enrollment):
    record = AttendanceRecord.objects.get(session__isnull=False, enrollment=enrollment)
    return (record.status, record.minutes_attended, record.first_joined_at, record.source)


def test_attendance_pull_reads_every_page_and_maps_learners_by_account_email(
    meet, learners, provider, session, clock
):
    clock.now = END + timedelta(hours=1)

    provider.attendance_pull(session)

    records = meet["records"]
    assert records.call_count == 2
    first = records.calls[0].request
    assert first.headers["Authorization"] == "Bearer token-1"
    assert dict(first.url.params) == {
        "filter": 'space.meeting_code = "abc-mnop-xyz" AND '
        'start_time>="2027-01-11T18:00:00Z" AND start_time<="2027-01-12T01:00:00Z"',
        "pageSize": "100",
    }
    assert records.calls[1].request.url.params["pageToken"] == "p1"
    assert meet["participants_a"].calls[1].request.url.params["pageToken"] == "p1"
    assert meet[f"{RECORD_A}/participants/zoe"].call_count == 2
    assert meet["people/111"].calls.last.request.url.params["personFields"] == "emailAddresses"

    # Zoe: 28 + 25 minutes (the B connection overlaps), first join at 19:02.
    assert record_of(learners["zoe"]) == ("present", 53, START + 2 * MINUTE, "meet")
    assert record_of(learners["sam"]) == ("present", 30, START + 10 * MINUTE, "meet")
    assert record_of(learners["ann"]) == ("absent", 29, START, "meet")
    assert record_of(learners["ben"]) == ("late", 49, START + 11 * MINUTE, "meet")
    assert not AttendanceRecord.objects.filter(enrollment=learners["jill"]).exists()
    assert AttendanceChange.objects.filter(source="meet", old_status="").count() == 4
    assert AttendanceRecord.objects.filter(changed_by__isnull=True).count() == 4

    unmatched = {
        row.key: (row.name, row.email, row.minutes_attended, row.participant_ids)
        for row in UnmatchedParticipant.objects.filter(session=session)
    }
    assert unmatched == {
        "email:stranger@elsewhere.example": (
            "Stranger", "stranger@elsewhere.example", 50,
            [[RECORD_A, f"{RECORD_A}/participants/stranger"]],
        ),
        "google:users/404": ("Outsider", "", 60, [[RECORD_B, f"{RECORD_B}/participants/outsider"]]),
        f"connection:{RECORD_A}/participants/anon": (
            "Jill Chill", "", 60, [[RECORD_A, f"{RECORD_A}/participants/anon"]],
        ),
        f"connection:{RECORD_A}/participants/phone": (
            "+1 555-***-**12", "", 10, [[RECORD_A, f"{RECORD_A}/participants/phone"]],
        ),
    }  # fmt: skip


def test_a_second_pull_changes_nothing_and_asks_people_once(
    meet, learners, provider, session, clock
):
    clock.now = END + timedelta(hours=1)
    provider.attendance_pull(session)
    before = (
        list(
            AttendanceRecord.objects.values_list("pk", "status", "minutes_attended", "changed_at")
        ),
        AttendanceChange.objects.count(),
        UnmatchedParticipant.objects.count(),
    )

    clock.now = END + timedelta(hours=2)
    provider.attendance_pull(session)

    after = (
        list(
            AttendanceRecord.objects.values_list("pk", "status", "minutes_attended", "changed_at")
        ),
        AttendanceChange.objects.count(),
        UnmatchedParticipant.objects.count(),
    )
    assert after == before
    assert meet["people/111"].call_count == 1 and meet["people/404"].call_count == 1
    assert meet["records"].call_count == 4


def test_the_specialists_record_is_never_overwritten(meet, learners, provider, session, clock):
    clock.now = END + timedelta(hours=1)
    AttendanceRecord.objects.create(
        session=session,
        enrollment=learners["ann"],
        status="excused",
        note="Doctor's appointment",
        source="manual",
        changed_at=clock.now,
    )
    provider.attendance_pull(session)
    record = AttendanceRecord.objects.get(enrollment=learners["ann"])
    assert (record.status, record.source, record.minutes_attended) == ("excused", "manual", 0)
    assert not AttendanceChange.objects.filter(record=record).exists()


def test_an_unmatched_participant_resolved_by_hand_is_credited_from_meets_connections(
    meet, learners, provider, session, clock, teacher
):
    clock.now = END + timedelta(hours=1)
    provider.attendance_pull(session)
    anonymous = UnmatchedParticipant.objects.get(key=f"connection:{RECORD_A}/participants/anon")

    record = unmatched_participant_resolve(
        unmatched=anonymous, enrollment_id=learners["jill"].pk, by=teacher
    )

    assert (record.status, record.minutes_attended, record.source) == ("present", 60, "meet")
    assert record.changed_by == teacher
    provider.attendance_pull(session)  # a later pull keeps the specialist's resolution
    assert record_of(learners["jill"]) == ("present", 60, START, "meet")


def test_a_session_without_a_meet_link_pulls_nothing(google, google_token, provider, session):
    provider.attendance_pull(session)
    assert google_token.call_count == 0
    assert not AttendanceRecord.objects.exists()


def test_a_meet_api_refusal_during_the_pull_records_nothing(
    google, google_token, provider, session, learners
):
    synced(session)
    google.get(f"{MEET}/conferenceRecords").respond(
        403, json={"error": {"code": 403, "message": "Permission denied on resource"}}
    )
    with pytest.raises(MeetingProviderError, match="list the session's Meet conferences"):
        provider.attendance_pull(session)
    assert not AttendanceRecord.objects.exists()
