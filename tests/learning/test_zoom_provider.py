"""The Zoom provider through the API and the tasks, with Zoom faked at the HTTP boundary:
what we send Zoom (token, meeting, occurrences, registrants), the session's sync state,
the join redirect per person with the manual link as the fallback, and Zoom's refusals."""

import base64
from datetime import UTC, date, datetime, timedelta

import httpx
import pytest

from coursepages.models import CoursePage
from learning.meetings import MeetingProviderError
from learning.meetings.zoom import ZoomClient
from learning.models import CohortSession, Enrollment, MeetingSyncState, ZoomRegistrant
from learning.services import enrollment_refund
from learning.tasks import retry_meeting_syncs
from tests.api_helpers import assert_problem
from tests.factories import CohortFactory, UserFactory
from tests.learning.zoom_fake import API, FIRST_MEETING_ID, zoom_time
from tests.session_helpers import freeze, member_of

pytestmark = pytest.mark.django_db

NOW = datetime(2024, 2, 1, 12, tzinfo=UTC)
FIRST = datetime(2024, 3, 6, 0, tzinfo=UTC)  # 7 PM on 5 March in New York
MEETING = str(FIRST_MEETING_ID)
MANUAL = "https://meet.example.com/backup"
BROWSER = {"Accept": "text/html"}


@pytest.fixture
def clock(monkeypatch):
    freeze(monkeypatch, NOW)
    return lambda instant: freeze(monkeypatch, instant)


@pytest.fixture
def batch(clock):
    return CohortFactory(
        name="Batch 3",
        starts_on=date(2024, 3, 1),
        ends_on=date(2024, 4, 5),
        timezone="America/New_York",
        enrollment_deadline=datetime(2024, 2, 25, 5, tzinfo=UTC),
        meeting_provider="zoom",
    )


@pytest.fixture
def teacher(batch):
    return batch.course.owner


@pytest.fixture
def ada(batch):
    learner = UserFactory(first_name="Ada", last_name="Lovelace", email="ada@example.com")
    return member_of(batch, learner=learner)


@pytest.fixture
def alan(batch):
    learner = UserFactory(first_name="Alan", last_name="Turing", email="alan@example.com")
    return member_of(batch, learner=learner)


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run what the request queued on commit (Celery is eager in tests)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def schedule(api_client, teacher, cohort, starts_at, **fields):
    api_client.force_authenticate(teacher)
    response = api_client.post(
        f"/api/v1/cohorts/{cohort.pk}/sessions/",
        {"title": "Decorators", "starts_at": starts_at.isoformat(), "duration_minutes": 60,
         "meeting_url": MANUAL, **fields},
    )  # fmt: skip
    assert response.status_code == 201, response.content
    return CohortSession.objects.get(pk=response.json()["id"]), response.json()


def join(api_client, user, session):
    api_client.force_authenticate(user)
    return api_client.get(
        f"/api/v1/cohorts/{session.cohort_id}/sessions/{session.pk}/join/", headers=BROWSER
    )


def basic(client_id, secret):
    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


# Creating the cohort's meeting


def test_the_first_session_creates_the_cohort_meeting_and_registers_each_learner(
    api_client, batch, teacher, ada, alan, zoom, commit
):
    member_of(batch, status=Enrollment.Status.REFUNDED)
    member_of(batch, status=Enrollment.Status.PENDING_PAYMENT)

    with commit():
        session, body = schedule(api_client, teacher, batch, FIRST)

    assert body["meeting_provider"] == ""
    assert body["meeting_sync_state"] == "pending"  # answered before the task ran
    session.refresh_from_db()
    assert (session.meeting_sync_state, session.meeting_sync_error) == ("synced", "")
    assert session.zoom_meeting_id == MEETING
    assert session.zoom_occurrence_id == str(int(FIRST.timestamp() * 1000))

    token = zoom.token.calls.last.request
    assert token.method == "POST"
    assert dict(token.url.params) == {"grant_type": "account_credentials", "account_id": "acct-1"}
    assert token.headers["Authorization"] == basic("client-1", "secret-1")
    assert zoom.token.call_count == 1  # one token for every call that followed

    created = zoom.create.calls.last.request
    assert created.headers["Authorization"] == "Bearer token-1"
    assert zoom.bodies(zoom.create) == [
        {
            "topic": f"{batch.course.title} – Batch 3",
            "type": 8,
            "start_time": "2024-03-06T00:00:00Z",
            "timezone": "America/New_York",
            "duration": 60,
            "recurrence": {"type": 1, "repeat_interval": 1, "end_times": 50},
            "settings": {
                "approval_type": 0,
                "registration_type": 1,
                "registrants_email_notification": False,
                "registrants_confirmation_email": False,
                "join_before_host": False,
                "waiting_room": False,
                "meeting_authentication": False,
                "auto_recording": "cloud",
            },
        }
    ]
    assert not zoom.update.called  # the first occurrence starts when the session does
    assert sorted(zoom.bodies(zoom.register), key=lambda b: b["email"]) == [
        {"email": "ada@example.com", "first_name": "Ada", "last_name": "Lovelace",
         "auto_approve": True},
        {"email": "alan@example.com", "first_name": "Alan", "last_name": "Turing",
         "auto_approve": True},
    ]  # fmt: skip
    assert all(call.request.url.path == f"/v2/meetings/{MEETING}/registrants"
               for call in zoom.register.calls)  # fmt: skip
    assert {(r.enrollment, r.registrant_id) for r in ZoomRegistrant.objects.all()} == {
        (ada, f"reg-{MEETING}-ada"),
        (alan, f"reg-{MEETING}-alan"),
    }


def test_a_session_at_another_hour_takes_a_free_occurrence_and_moves_it(
    api_client, batch, teacher, ada, zoom, commit
):
    with commit():
        schedule(api_client, teacher, batch, FIRST)
    later = FIRST + timedelta(days=2, hours=1)

    with commit():
        session, _body = schedule(api_client, teacher, batch, later, duration_minutes=90)

    session.refresh_from_db()
    assert session.meeting_sync_state == "synced"
    second_day = str(int((FIRST + timedelta(days=1)).timestamp() * 1000))
    assert session.zoom_occurrence_id == second_day  # the earliest no session holds
    moved = zoom.update.calls.last.request
    assert moved.url.path == f"/v2/meetings/{MEETING}"
    assert dict(moved.url.params) == {"occurrence_id": second_day}
    assert zoom.bodies(zoom.update) == [
        {"start_time": zoom_time(later), "duration": 90, "timezone": "America/New_York"}
    ]
    assert zoom.create.call_count == 1 and zoom.register.call_count == 1  # Ada once
    assert zoom.token.call_count == 1


def test_a_session_that_starts_on_an_occurrence_takes_it_unmoved(
    api_client, batch, teacher, zoom, commit
):
    with commit():
        schedule(api_client, teacher, batch, FIRST)
    with commit():
        session, _body = schedule(api_client, teacher, batch, FIRST + timedelta(days=7))
    session.refresh_from_db()
    assert session.zoom_occurrence_id == str(int((FIRST + timedelta(days=7)).timestamp() * 1000))
    assert not zoom.update.called


def test_rescheduling_moves_the_occurrence_and_cancelling_deletes_it(
    api_client, batch, teacher, zoom, commit
):
    with commit():
        session, _body = schedule(api_client, teacher, batch, FIRST)
    occurrence = session.zoom_occurrence_id if session.refresh_from_db() is None else None
    moved_to = FIRST + timedelta(hours=2)

    with commit():
        response = api_client.patch(
            f"/api/v1/cohorts/{batch.pk}/sessions/{session.pk}/",
            {"starts_at": moved_to.isoformat()},
        )
    assert response.status_code == 200
    assert dict(zoom.update.calls.last.request.url.params) == {"occurrence_id": occurrence}
    assert zoom.bodies(zoom.update)[-1]["start_time"] == "2024-03-06T02:00:00Z"
    session.refresh_from_db()
    assert session.meeting_sync_state == "synced"

    with commit():
        response = api_client.post(f"/api/v1/cohorts/{batch.pk}/sessions/{session.pk}/cancel/")
    assert response.status_code == 200
    deleted = zoom.delete.calls.last.request
    assert deleted.url.path == f"/v2/meetings/{MEETING}"
    assert dict(deleted.url.params) == {"occurrence_id": occurrence}
    session.refresh_from_db()
    assert (session.status, session.meeting_sync_state) == ("cancelled", "synced")


def test_a_text_edit_calls_zoom_for_nothing(api_client, batch, teacher, zoom, commit):
    with commit():
        session, _body = schedule(api_client, teacher, batch, FIRST)
    calls = len(zoom.router.calls)
    with commit():
        response = api_client.patch(
            f"/api/v1/cohorts/{batch.pk}/sessions/{session.pk}/", {"title": "Closures"}
        )
    assert response.status_code == 200
    assert len(zoom.router.calls) == calls


# Zoom refuses or is down


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (httpx.Response(503, json={"code": 503, "message": "Service unavailable"}),
         "Zoom refused POST /users/me/meetings: 503 Service unavailable."),
        (httpx.ReadTimeout("timed out"), "Zoom did not answer in time; try again later."),
        (httpx.ConnectError("connection refused"),
         "Zoom could not be reached (connection refused)."),
    ],
)  # fmt: skip
def test_zoom_down_leaves_the_session_failed_and_learners_join_by_the_manual_link(
    api_client, batch, teacher, ada, zoom, commit, clock, answer, message
):
    zoom.create.side_effect = [answer]
    with commit():
        session, _body = schedule(api_client, teacher, batch, FIRST)

    session.refresh_from_db()
    assert (session.meeting_sync_state, session.meeting_sync_error) == ("failed", message)
    api_client.force_authenticate(teacher)
    shown = api_client.get(f"/api/v1/cohorts/{batch.pk}/sessions/").json()["results"][0]
    assert (shown["meeting_sync_state"], shown["meeting_sync_error"]) == ("failed", message)
    clock(FIRST - timedelta(minutes=15))
    response = join(api_client, ada.learner, session)
    assert (response.status_code, response["Location"]) == (302, MANUAL)

    zoom.create.side_effect = zoom._create  # Zoom is back: the beat's retry syncs it
    clock(NOW)
    retry_meeting_syncs.delay()
    session.refresh_from_db()
    assert (session.meeting_sync_state, session.meeting_sync_error) == ("synced", "")
    clock(FIRST - timedelta(minutes=15))
    response = join(api_client, ada.learner, session)
    assert response["Location"] == f"https://zoom.us/w/{MEETING}?tk=reg-{MEETING}-ada"


def test_a_401_fetches_a_fresh_token_once_and_goes_on(api_client, batch, teacher, zoom, commit):
    zoom.create.side_effect = [httpx.Response(401, json={"code": 124, "message": "Invalid access token."}),
                               zoom._create]  # fmt: skip
    with commit():
        session, _body = schedule(api_client, teacher, batch, FIRST)

    session.refresh_from_db()
    assert session.meeting_sync_state == "synced"
    assert zoom.token.call_count == 2
    assert [c.request.headers["Authorization"] for c in zoom.create.calls] == [
        "Bearer token-1",
        "Bearer token-2",
    ]


def test_a_second_401_is_an_error_with_zooms_message(api_client, batch, teacher, zoom, commit):
    refused = httpx.Response(401, json={"code": 124, "message": "Invalid access token."})
    zoom.create.side_effect = [refused, refused]
    with commit():
        session, _body = schedule(api_client, teacher, batch, FIRST)

    session.refresh_from_db()
    assert session.meeting_sync_state == "failed"
    assert session.meeting_sync_error == (
        "Zoom refused POST /users/me/meetings: 401 Invalid access token."
    )
    assert zoom.create.call_count == 2 and zoom.token.call_count == 2


def test_refused_credentials_are_reported(api_client, batch, teacher, zoom, commit):
    zoom.token.side_effect = [httpx.Response(400, json={"reason": "Invalid client_id or client_secret", "error": "invalid_client"})]  # fmt: skip
    with commit():
        session, _body = schedule(api_client, teacher, batch, FIRST)
    session.refresh_from_db()
    assert session.meeting_sync_state == "failed"
    assert session.meeting_sync_error.startswith("Zoom refused the platform's credentials: 400")
    assert not zoom.create.called


# The token: cached for its lifetime less a minute


def test_the_token_is_reused_until_a_minute_before_it_expires(zoom, clock):
    zoom.router.get(f"{API}/users/me").mock(return_value=httpx.Response(200, json={}))
    client = ZoomClient()
    client.call("GET", "/users/me")
    clock(NOW + timedelta(seconds=3600 - 61))  # the last second it is used
    client.call("GET", "/users/me")
    assert zoom.token.call_count == 1

    clock(NOW + timedelta(seconds=3600 - 60))
    client.call("GET", "/users/me")
    assert zoom.token.call_count == 2
    assert zoom.router.calls.last.request.headers["Authorization"] == "Bearer token-2"


def test_a_404_is_an_error_unless_the_caller_expects_one(zoom):
    zoom.router.get(f"{API}/meetings/1/registrants").mock(
        return_value=httpx.Response(404, json={"code": 3001, "message": "Meeting does not exist."})
    )
    client = ZoomClient()
    assert client.call("GET", "/meetings/1/registrants", missing_ok=True) is None
    with pytest.raises(MeetingProviderError, match="404 Meeting does not exist"):
        client.call("GET", "/meetings/1/registrants")


# Learners come and go


def test_a_learner_who_enrolls_later_is_registered(api_client, batch, teacher, zoom, commit):
    with commit():
        schedule(api_client, teacher, batch, FIRST)
    newcomer = UserFactory(first_name="Grace", last_name="Hopper", email="grace@example.com")
    api_client.force_authenticate(newcomer)

    with commit():
        response = api_client.post(f"/api/v1/cohorts/{batch.pk}/enroll/")

    assert response.status_code == 201
    assert zoom.bodies(zoom.register)[-1] == {
        "email": "grace@example.com", "first_name": "Grace", "last_name": "Hopper",
        "auto_approve": True,
    }  # fmt: skip
    assert ZoomRegistrant.objects.get().enrollment.learner == newcomer


def test_a_refund_cancels_the_registrant_and_the_old_link_stops(
    api_client, batch, teacher, ada, alan, zoom, commit, clock
):
    with commit():
        session, _body = schedule(api_client, teacher, batch, FIRST)
    CoursePage.objects.filter(pk=batch.course_id).update(enrollment_count=2)

    with commit():
        enrollment_refund(ada)

    assert zoom.bodies(zoom.registrant_status) == [
        {"action": "cancel", "registrants": [{"id": f"reg-{MEETING}-ada", "email": "ada@example.com"}]}
    ]  # fmt: skip
    assert zoom.registrant_status.calls.last.request.url.path == (
        f"/v2/meetings/{MEETING}/registrants/status"
    )
    assert list(ZoomRegistrant.objects.values_list("enrollment", flat=True)) == [alan.pk]
    clock(FIRST)
    assert join(api_client, ada.learner, session).status_code == 404  # no longer a member


def test_a_transfer_moves_the_registration_to_the_other_cohorts_meeting(
    api_client, batch, teacher, ada, zoom, commit
):
    other = CohortFactory(
        course=batch.course, name="Batch 4", starts_on=batch.starts_on, ends_on=batch.ends_on,
        timezone=batch.timezone, meeting_provider="zoom",
    )  # fmt: skip
    with commit():
        schedule(api_client, teacher, batch, FIRST)
    with commit():
        schedule(api_client, teacher, other, FIRST + timedelta(days=1))
    assert zoom.register.call_count == 1

    api_client.force_authenticate(teacher)
    with commit():
        response = api_client.post(
            f"/api/v1/cohorts/{batch.pk}/transfer/", {"enrollment": ada.pk, "to_cohort": other.pk}
        )

    assert response.status_code == 200, response.content
    assert zoom.registrant_status.calls.last.request.url.path == (
        f"/v2/meetings/{MEETING}/registrants/status"
    )
    second_meeting = FIRST_MEETING_ID + 1
    assert zoom.register.calls.last.request.url.path == (
        f"/v2/meetings/{second_meeting}/registrants"
    )
    registrant = ZoomRegistrant.objects.get()
    assert (registrant.cohort, registrant.enrollment) == (other, ada)


def test_a_refused_registration_fails_the_session_until_the_retry(
    api_client, batch, teacher, ada, zoom, commit
):
    zoom.register.side_effect = [
        httpx.Response(429, json={"code": 429, "message": "Too many requests."})
    ]
    with commit():
        session, _body = schedule(api_client, teacher, batch, FIRST)
    session.refresh_from_db()
    assert session.meeting_sync_state == "failed"
    assert session.meeting_sync_error == (
        f"Zoom refused POST /meetings/{MEETING}/registrants: 429 Too many requests."
    )

    zoom.register.side_effect = zoom._register
    retry_meeting_syncs.delay()
    session.refresh_from_db()
    assert session.meeting_sync_state == "synced"
    assert zoom.create.call_count == 1  # the meeting is not created twice
    assert ZoomRegistrant.objects.get().enrollment == ada


# Joining through us


def test_each_person_is_sent_to_their_own_link(
    api_client, batch, teacher, ada, alan, zoom, commit, clock, django_assert_max_num_queries
):
    with commit():
        session, _body = schedule(api_client, teacher, batch, FIRST)
    clock(FIRST - timedelta(minutes=15))  # the first instant the link works

    with django_assert_max_num_queries(7):
        to_ada = join(api_client, ada.learner, session)
    to_alan = join(api_client, alan.learner, session)
    to_teacher = join(api_client, teacher, session)

    assert (to_ada.status_code, to_ada["Location"]) == (
        302, f"https://zoom.us/w/{MEETING}?tk=reg-{MEETING}-ada"
    )  # fmt: skip
    assert to_alan["Location"] == f"https://zoom.us/w/{MEETING}?tk=reg-{MEETING}-alan"
    assert to_teacher["Location"] == f"https://zoom.us/j/{MEETING}"
    outsider = member_of(CohortFactory(course=batch.course, meeting_provider="zoom"))
    assert join(api_client, outsider.learner, session).status_code == 404


def test_switching_a_session_to_the_manual_link_sends_everyone_there(
    api_client, batch, teacher, ada, zoom, commit, clock
):
    with commit():
        session, _body = schedule(api_client, teacher, batch, FIRST)
    occurrence = CohortSession.objects.get(pk=session.pk).zoom_occurrence_id

    with commit():
        response = api_client.patch(
            f"/api/v1/cohorts/{batch.pk}/sessions/{session.pk}/", {"meeting_provider": "manual"}
        )

    assert response.status_code == 200
    assert response.json()["meeting_provider"] == "manual"
    # Its occurrence is released, so Zoom holds nothing for a session no longer on it.
    deleted = zoom.delete.calls.last.request
    assert deleted.url.path == f"/v2/meetings/{MEETING}"
    assert dict(deleted.url.params) == {"occurrence_id": occurrence}
    session.refresh_from_db()
    assert (session.meeting_sync_state, session.zoom_meeting_id) == ("not_needed", "")
    clock(FIRST)
    assert join(api_client, ada.learner, session)["Location"] == MANUAL


def test_a_session_moved_off_zoom_while_zoom_is_down_sends_everyone_to_the_manual_link(
    api_client, batch, teacher, ada, zoom, commit, clock
):
    with commit():
        session, _body = schedule(api_client, teacher, batch, FIRST)
    zoom.delete.side_effect = [httpx.Response(503, json={"message": "Service unavailable"})]

    with commit():
        response = api_client.patch(
            f"/api/v1/cohorts/{batch.pk}/sessions/{session.pk}/", {"meeting_provider": "manual"}
        )

    assert response.status_code == 200
    session.refresh_from_db()
    assert (session.meeting_sync_state, session.meeting_sync_error) == (
        "failed",
        f"Zoom refused DELETE /meetings/{MEETING}: 503 Service unavailable.",
    )
    clock(FIRST)
    assert join(api_client, ada.learner, session)["Location"] == MANUAL

    zoom.delete.side_effect = None  # Zoom is back: the beat's retry releases the occurrence
    clock(NOW)
    with commit():
        retry_meeting_syncs()
    session.refresh_from_db()
    assert (session.meeting_sync_state, session.zoom_occurrence_id) == ("not_needed", "")


# Choosing the provider


def test_zoom_is_offered_and_accepted_once_configured(api_client, batch, teacher, zoom, commit):
    cohort = CohortFactory(course=batch.course, starts_on=batch.starts_on, ends_on=batch.ends_on)
    with commit():
        session, _body = schedule(api_client, teacher, cohort, FIRST)
    assert session.meeting_sync_state == "not_needed"

    with commit():
        response = api_client.patch(f"/api/v1/cohorts/{cohort.pk}/", {"meeting_provider": "zoom"})

    assert response.status_code == 200
    assert response.json()["meeting_provider"] == "zoom"
    session.refresh_from_db()
    assert session.meeting_sync_state == "synced"
    assert zoom.create.called


def test_zoom_not_configured_is_neither_offered_nor_accepted(
    api_client, client_for, batch, teacher, settings
):
    settings.ZOOM_CLIENT_SECRET = ""
    api_client.force_authenticate(teacher)
    cohort = CohortFactory(course=batch.course, starts_on=batch.starts_on, ends_on=batch.ends_on)

    refused = api_client.patch(f"/api/v1/cohorts/{cohort.pk}/", {"meeting_provider": "zoom"})
    body = assert_problem(refused, 400, "invalid")
    assert body["errors"]["meeting_provider"] == [
        "“zoom” is not offered here; choose one of: manual."
    ]
    created = api_client.post(
        "/api/v1/cohorts/",
        {"course": batch.course.pk, "name": "Batch 9", "starts_on": "2024-03-01",
         "ends_on": "2024-04-05", "timezone": "America/New_York", "capacity": 10,
         "enrollment_deadline": "2024-02-20T00:00:00Z", "meeting_provider": "zoom"},
    )  # fmt: skip
    assert set(assert_problem(created, 400, "invalid")["errors"]) == {"meeting_provider"}
    scheduled = api_client.post(
        f"/api/v1/cohorts/{cohort.pk}/sessions/",
        {"title": "Decorators", "starts_at": FIRST.isoformat(), "duration_minutes": 60,
         "meeting_provider": "zoom"},
    )  # fmt: skip
    assert_problem(scheduled, 400, "invalid")
    unknown = api_client.patch(f"/api/v1/cohorts/{cohort.pk}/", {"meeting_provider": "webex"})
    assert_problem(unknown, 400, "invalid")
    cohort.refresh_from_db()
    assert cohort.meeting_provider == "manual" and not cohort.sessions.exists()

    form = client_for(teacher).get(f"/admin/cohorts/edit/{cohort.pk}/").content.decode()
    assert 'value="manual"' in form and 'value="zoom"' not in form
    session_form = client_for(teacher).get("/admin/cohort-sessions/new/").content.decode()
    assert 'value="zoom"' not in session_form


def test_the_admin_offers_zoom_once_configured_and_shows_a_failed_sync(
    client_for, batch, teacher, zoom
):
    form = client_for(teacher).get(f"/admin/cohorts/edit/{batch.pk}/").content.decode()
    assert 'value="zoom"' in form
    session = CohortSession.objects.create(
        cohort=batch, title="Decorators", starts_at=FIRST, duration_minutes=60,
        meeting_sync_state=MeetingSyncState.FAILED,
        meeting_sync_error="Zoom refused POST /users/me/meetings: 503 Service unavailable.",
    )  # fmt: skip
    listed = client_for(teacher).get(f"/admin/cohort-sessions/?cohort={batch.pk}").content.decode()
    assert "Failed: Zoom refused POST /users/me/meetings: 503 Service unavailable." in listed
    edit = client_for(teacher).get(f"/admin/cohort-sessions/edit/{session.pk}/").content.decode()
    assert "Learners are sent to the meeting link above until it syncs." in edit


def test_the_specialist_moves_one_session_to_zoom_in_the_admin(
    client_for, batch, teacher, zoom, commit
):
    cohort = CohortFactory(
        course=batch.course,
        starts_on=date(2024, 3, 1), ends_on=date(2024, 4, 5), timezone="America/New_York",
    )  # fmt: skip
    form = {
        "cohort": cohort.pk, "title": "Generators", "starts_at": "2024-03-07 19:00",
        "duration_minutes": 60, "description": "", "meeting_url": MANUAL,
        "meeting_provider": "zoom",
    }  # fmt: skip

    with commit():
        response = client_for(teacher).post("/admin/cohort-sessions/new/", form)

    assert response.status_code == 302
    session = CohortSession.objects.get(cohort=cohort)
    assert (session.meeting_provider, session.meeting_sync_state) == ("zoom", "synced")
    assert session.zoom_meeting_id == MEETING and cohort.meeting_provider == "manual"


@pytest.mark.parametrize("count", [3, 12])
def test_the_teachers_calendar_shows_sync_states_in_constant_queries(
    api_client, batch, teacher, count, django_assert_num_queries
):
    for day in range(count):
        CohortSession.objects.create(
            cohort=batch, title=f"Session {day}", starts_at=FIRST + timedelta(days=day),
            duration_minutes=60, zoom_meeting_id=MEETING,
            meeting_sync_state="failed" if day % 2 else "synced",
            meeting_sync_error="Zoom refused it." if day % 2 else "",
        )  # fmt: skip
    api_client.force_authenticate(teacher)

    with django_assert_num_queries(4):  # the cohort, is it taught by the caller, count, page
        response = api_client.get(f"/api/v1/cohorts/{batch.pk}/sessions/")

    assert response.status_code == 200
    results = response.json()["results"]
    assert len(results) == count
    assert [(r["meeting_sync_state"], r["meeting_sync_error"]) for r in results[:2]] == [
        ("synced", ""),
        ("failed", "Zoom refused it."),
    ]
    assert {r["meeting_provider"] for r in results} == {""}


def test_a_session_left_on_zoom_after_its_credentials_went_fails_without_calling_zoom(
    api_client, batch, teacher, zoom, commit, settings
):
    settings.ZOOM_ACCOUNT_ID = ""
    with commit():
        session, _body = schedule(api_client, teacher, batch, FIRST)  # the cohort's provider
    session.refresh_from_db()
    assert session.meeting_sync_state == "failed"
    assert session.meeting_sync_error == (
        "Zoom is not configured on this platform any more; choose another provider for this "
        "session."
    )
    assert not zoom.router.calls
