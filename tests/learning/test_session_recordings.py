"""Session recordings: attached by the specialist (upload or https link), replaced and removed;
downloaded from Zoom's `recording.completed` with the event's token (retried, then failed);
watched by members through signed links once the session is over; learners told once; every
refusal from the refused side; the query counts of the session list and detail."""

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

import httpx
import pytest
import respx
from celery.exceptions import Retry
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from learning.models import Enrollment, Notification, SessionRecording, ZoomEvent
from learning.tasks import download_zoom_recording
from tests.api_helpers import assert_problem
from tests.factories import CohortFactory, CohortSessionFactory, SpecialistFactory, UserFactory
from tests.learning.zoom_webhooks_helpers import deliver
from tests.session_helpers import freeze, member_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("zoom_secret")]

START = datetime(2024, 3, 6, 0, tzinfo=UTC)
END = START + timedelta(minutes=60)
AFTER = END + timedelta(hours=2)
SECOND = timedelta(seconds=1)
MEETING = 1234567890
INSTANCE = "4444AAAiAAAAAiAiAiiAii=="
TOKEN = "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzUxMiJ9.download-token"
SCREEN_URL = "https://us06web.zoom.us/rec/download/screen-with-speaker"
SPEAKER_URL = "https://us06web.zoom.us/rec/download/speaker"
AUDIO_URL = "https://us06web.zoom.us/rec/download/audio"
# The first bytes of an MP4 (an ISO media `ftyp` box) and of a WebM (the EBML magic).
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64
WEBM = b"\x1a\x45\xdf\xa3" + b"\x00" * 64


@pytest.fixture(autouse=True)
def download_retries(settings):
    settings.RECORDING_DOWNLOAD_MAX_RETRIES = 2


@pytest.fixture
def clock(monkeypatch):
    """Stand the clock at an instant; starts two hours after the session."""

    def at(instant):
        freeze(monkeypatch, instant)
        return instant

    at(AFTER)
    return at


@pytest.fixture
def session(clock):
    cohort = CohortFactory(name="Batch 3")
    return CohortSessionFactory(
        cohort=cohort, title="Decorators", starts_at=START, zoom_meeting_id=str(MEETING)
    )


@pytest.fixture
def teacher(session):
    return session.cohort.course.owner


@pytest.fixture
def members(session):
    """Learners of the cohort: two with access, one refunded, one still paying."""
    return {
        "active": member_of(session.cohort),
        "completed": member_of(session.cohort, status=Enrollment.Status.COMPLETED),
        "refunded": member_of(session.cohort, status=Enrollment.Status.REFUNDED),
        "pending": member_of(session.cohort, status=Enrollment.Status.PENDING_PAYMENT),
    }


@pytest.fixture
def zoom():
    """Zoom's file servers; any other outgoing request fails the test."""
    with respx.mock(assert_all_mocked=True, assert_all_called=False) as router:
        yield router


def recording_url(session):
    return f"/api/v1/cohorts/{session.cohort_id}/sessions/{session.pk}/recording/"


def sessions_url(session):
    return f"/api/v1/cohorts/{session.cohort_id}/sessions/"


def session_url(session):
    return f"/api/v1/cohorts/{session.cohort_id}/sessions/{session.pk}/"


def as_user(user):
    from rest_framework.test import APIClient

    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def video(content=MP4, name="talk.mp4", content_type="video/mp4"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def upload(user, session, file=None, **fields):
    return as_user(user).post(
        recording_url(session), {"file": file or video(), **fields}, format="multipart"
    )


def link(user, session, url="https://vimeo.com/123456", **fields):
    return as_user(user).post(recording_url(session), {"url": url, **fields}, format="json")


def fetch(url):
    """Follow a signed link the way a browser does: no credentials, only the link."""
    return Client().get(urlsplit(url).path)


def body_of(response):
    """A file response's bytes; reading them to the end closes it (the test client's way)."""
    return b"".join(response.streaming_content)


def told():
    return Notification.objects.filter(kind=Notification.Kind.RECORDING_AVAILABLE)


def stored_files():
    """Every recording file in media storage (the suite shares one media folder)."""
    root = Path(settings.MEDIA_ROOT) / "recordings"
    return sorted(str(path) for path in root.rglob("*") if path.is_file())


# Attaching by upload or link


def test_the_teacher_uploads_a_video_and_members_watch_it_through_a_signed_link(
    session, teacher, members, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(teacher, session, duration_seconds=3540)

    assert response.status_code == 201
    recording = SessionRecording.objects.get(session=session)
    assert recording.file.read() == MP4
    body = response.json()
    assert body["url"].startswith("http://testserver/api/v1/files/")
    assert {key: value for key, value in body.items() if key != "url"} == {
        "available": True,
        "source": "upload",
        "duration_seconds": 3540,
        "size_bytes": len(MP4),
        "content_type": "video/mp4",
        "available_at": "2024-03-06T03:00:00Z",
        "status": "available",
        "error": "",
        "attached_by": teacher.pk,
        "attached_at": "2024-03-06T03:00:00Z",
    }

    learner = members["active"].learner
    response = as_user(learner).get(recording_url(session))
    assert response.status_code == 200
    watched = fetch(response.json()["url"])
    assert watched.status_code == 200
    assert watched["Content-Type"] == "video/mp4"
    assert not watched["Content-Disposition"].startswith("attachment")
    assert body_of(watched) == MP4


def test_the_teacher_links_an_https_page_and_the_signed_link_redirects_there(
    session, teacher, members
):
    response = link(teacher, session, "https://vimeo.com/123456")
    assert response.status_code == 201
    assert response.json()["source"] == "url" and response.json()["content_type"] == ""

    response = as_user(members["completed"].learner).get(recording_url(session))
    assert response.status_code == 200
    assert response.json()["available"] is True
    followed = fetch(response.json()["url"])
    assert followed.status_code == 302
    assert followed["Location"] == "https://vimeo.com/123456"


def test_a_webm_upload_is_kept_under_its_own_extension(session, teacher):
    response = upload(teacher, session, video(WEBM, "talk.webm", "video/webm"))
    assert response.status_code == 201
    assert SessionRecording.objects.get().file.name.endswith(".webm")


@pytest.mark.parametrize(
    "payload, field",
    [
        ({}, "non_field_errors"),
        ({"url": "http://vimeo.com/1"}, "url"),
        ({"url": "ftp://example.com/talk.mp4"}, "url"),
        ({"url": "not a link"}, "url"),
        ({"duration_seconds": 0, "url": "https://vimeo.com/1"}, "duration_seconds"),
    ],
    ids=["nothing", "http", "ftp", "not a url", "zero duration"],
)
def test_bad_links_are_400_and_save_nothing(session, teacher, payload, field):
    response = as_user(teacher).post(recording_url(session), payload, format="json")
    body = assert_problem(response, 400, "invalid")
    assert field in body["errors"]
    assert not SessionRecording.objects.exists()


@pytest.mark.parametrize(
    "file, fields",
    [
        (video(b"just some text", "notes.txt", "text/plain"), {}),
        (video(b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, "talk.mp4", "video/mp4"), {}),
        (video(MP4, "talk.avi", "video/x-msvideo"), {}),
        (video(), {"url": "https://vimeo.com/1"}),
    ],
    ids=["text file", "not an mp4 inside", "type not accepted", "file and url"],
)
def test_bad_uploads_are_400_and_store_nothing(session, teacher, file, fields):
    before = stored_files()
    body = assert_problem(upload(teacher, session, file, **fields), 400, "invalid")
    assert set(body["errors"]) <= {"file", "non_field_errors"}
    assert not SessionRecording.objects.exists()
    assert stored_files() == before


def test_an_upload_exactly_at_the_size_cap_is_taken_and_one_byte_more_is_refused(
    session, teacher, settings
):
    settings.RECORDING_MAX_UPLOAD_MB = 1
    cap = 1024 * 1024
    too_big = MP4 + b"\x00" * (cap + 1 - len(MP4))
    body = assert_problem(upload(teacher, session, video(too_big)), 400, "invalid")
    assert body["errors"]["file"] == ["Recordings can be at most 1 MB."]
    assert not SessionRecording.objects.exists()

    response = upload(teacher, session, video(too_big[:cap]))
    assert response.status_code == 201
    assert response.json()["size_bytes"] == cap


def test_a_body_longer_than_the_cap_is_refused_before_it_is_read(session, teacher, settings):
    settings.RECORDING_MAX_UPLOAD_MB = 1
    before = stored_files()
    response = as_user(teacher).generic(
        "POST",
        recording_url(session),
        b"-" * (1024 * 1024 + 64 * 1024 + 1),
        content_type="multipart/form-data; boundary=xyz",
    )
    body = assert_problem(response, 400, "invalid")
    assert body["errors"]["file"] == ["Recordings can be at most 1 MB."]
    assert not SessionRecording.objects.exists() and stored_files() == before


def test_a_recording_is_attached_from_the_last_instant_of_the_session_not_before(
    session, teacher, clock
):
    clock(END - SECOND)
    before = stored_files()
    body = assert_problem(link(teacher, session), 409, "session_not_ended")
    assert body["ends_at"] == "2024-03-06T01:00:00Z"
    assert_problem(upload(teacher, session), 409, "session_not_ended")
    assert not SessionRecording.objects.exists() and stored_files() == before

    clock(END)
    assert link(teacher, session).status_code == 201


def test_members_watch_from_the_sessions_scheduled_end_not_a_second_before(session, members, clock):
    """A Zoom meeting that ended early may have its recording ready before the scheduled end."""
    SessionRecording.objects.create(
        session=session, source="zoom", status="available", file="recordings/early.mp4"
    )
    client = as_user(members["active"].learner)
    clock(END - SECOND)
    assert_problem(client.get(recording_url(session)), 404, "not_found")
    assert client.get(session_url(session)).json()["recording"] is None

    clock(END)
    assert client.get(recording_url(session)).json()["available"] is True
    assert client.get(session_url(session)).json()["recording"]["url"]


def test_a_cancelled_session_takes_no_recording(clock, teacher, session):
    session.status = "cancelled"
    session.save()
    assert_problem(link(teacher, session), 409, "session_cancelled")
    assert not SessionRecording.objects.exists()


def test_a_superuser_may_attach(session):
    staff = UserFactory(is_superuser=True, is_staff=True)
    response = link(staff, session)
    assert response.status_code == 201
    assert response.json()["attached_by"] == staff.pk


# Replacing and removing


def test_attaching_again_replaces_the_recording_and_its_file_and_tells_nobody_again(
    session, teacher, members, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert upload(teacher, session).status_code == 201
    first_file = SessionRecording.objects.get().file.name
    assert told().count() == 2

    with django_capture_on_commit_callbacks(execute=True):
        response = link(teacher, session, "https://vimeo.com/2")

    assert response.status_code == 201
    recording = SessionRecording.objects.get()
    assert (recording.source, recording.url, recording.file.name) == (
        "url",
        "https://vimeo.com/2",
        "",
    )
    assert not default_storage.exists(first_file)
    assert told().count() == 2


def test_the_teacher_removes_the_recording_and_its_file(
    session, teacher, members, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload(teacher, session)
    name = SessionRecording.objects.get().file.name
    learner = members["active"].learner
    signed = as_user(learner).get(recording_url(session)).json()["url"]

    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(teacher).delete(recording_url(session))

    assert response.status_code == 204
    assert not SessionRecording.objects.exists() and not default_storage.exists(name)
    assert_problem(as_user(learner).get(recording_url(session)), 404, "not_found")
    assert_problem(fetch(signed), 404, "not_found")
    assert_problem(as_user(teacher).delete(recording_url(session)), 404, "not_found")


# Who may do what


@pytest.fixture
def outsiders(session, members):
    other_cohort = CohortFactory(course=session.cohort.course)
    return {
        "stranger": UserFactory(),
        "other_specialist": SpecialistFactory(),
        "refunded": members["refunded"].learner,
        "pending_payment": members["pending"].learner,
        "other_cohort": member_of(other_cohort).learner,
    }


@pytest.mark.parametrize(
    "who", ["stranger", "other_specialist", "refunded", "pending_payment", "other_cohort"]
)
def test_outsiders_neither_see_nor_change_the_recording(session, teacher, outsiders, who):
    assert link(teacher, session).status_code == 201
    client = as_user(outsiders[who])
    assert_problem(client.get(recording_url(session)), 404, "not_found")
    assert_problem(client.get(session_url(session)), 404, "not_found")
    assert_problem(link(outsiders[who], session, "https://evil.example.com/"), 404, "not_found")
    assert_problem(client.delete(recording_url(session)), 404, "not_found")
    assert SessionRecording.objects.get().url == "https://vimeo.com/123456"


def test_anonymous_callers_are_401(session, teacher):
    assert link(teacher, session).status_code == 201
    for response in [
        as_user(None).get(recording_url(session)),
        link(None, session),
        as_user(None).delete(recording_url(session)),
    ]:
        assert_problem(response, 401, "not_authenticated")
    assert SessionRecording.objects.count() == 1


def test_the_cohort_learners_may_watch_but_not_attach_or_remove(session, teacher, members):
    assert link(teacher, session).status_code == 201
    learner = members["active"].learner
    assert_problem(link(learner, session, "https://evil.example.com/"), 403, "permission_denied")
    assert_problem(as_user(learner).delete(recording_url(session)), 403, "permission_denied")
    assert SessionRecording.objects.get().url == "https://vimeo.com/123456"


def test_a_link_given_to_a_learner_stops_working_once_they_are_refunded(session, teacher, members):
    assert upload(teacher, session).status_code == 201
    enrollment = members["active"]
    signed = as_user(enrollment.learner).get(recording_url(session)).json()["url"]
    assert body_of(fetch(signed)) == MP4

    Enrollment.objects.filter(pk=enrollment.pk).update(status=Enrollment.Status.REFUNDED)
    assert_problem(fetch(signed), 404, "not_found")


def test_a_forged_link_opens_nothing(session, teacher):
    assert upload(teacher, session).status_code == 201
    assert_problem(Client().get("/api/v1/files/recording-please/"), 404, "not_found")


def test_the_signed_link_works_until_its_last_second(
    session, teacher, members, monkeypatch, settings
):
    assert upload(teacher, session).status_code == 201
    signing_clock = SimpleNamespace(time=lambda: 1_700_000_000)
    monkeypatch.setattr("django.core.signing.time", signing_clock)
    signed = as_user(members["active"].learner).get(recording_url(session)).json()["url"]

    signing_clock.time = lambda: 1_700_000_000 + settings.DOWNLOAD_LINK_MAX_AGE
    response = fetch(signed)
    assert response.status_code == 200 and body_of(response) == MP4

    signing_clock.time = lambda: 1_700_000_000 + settings.DOWNLOAD_LINK_MAX_AGE + 1
    assert_problem(fetch(signed), 410, "link_expired")


# Zoom's recording.completed


def recording_completed(*, event_ts=1709694000000, files=None, token=TOKEN):
    """Zoom's event (research/cohorts.md §1.2): the id a number, the token at the top level."""
    return {
        "event": "recording.completed",
        "event_ts": event_ts,
        "download_token": token,
        "payload": {"account_id": "AAAAAABBBB", "object": {
            "id": MEETING, "uuid": INSTANCE, "host_id": "x1yCzABCDEfg23HiJKl4mN",
            "topic": "Python Masterclass – Batch 3 ☕", "type": 8,
            "start_time": "2024-03-06T00:00:00Z", "duration": 60, "total_size": 300,
            "recording_count": 3, "share_url": "https://us06web.zoom.us/rec/share/abc",
            "recording_files": files if files is not None else [
                {"id": "a1", "recording_type": "audio_only", "file_type": "M4A",
                 "file_size": 10, "download_url": AUDIO_URL,
                 "recording_start": "2024-03-06T00:00:05Z", "recording_end": "2024-03-06T00:59:05Z"},
                {"id": "s1", "recording_type": "speaker_view", "file_type": "MP4",
                 "file_size": 100, "download_url": SPEAKER_URL,
                 "recording_start": "2024-03-06T00:00:05Z", "recording_end": "2024-03-06T00:59:05Z"},
                {"id": "v1", "recording_type": "shared_screen_with_speaker_view", "file_type": "MP4",
                 "file_size": len(MP4), "download_url": SCREEN_URL,
                 "recording_start": "2024-03-06T00:00:05Z", "recording_end": "2024-03-06T00:59:05Z"},
            ],
        }},
    }  # fmt: skip


@pytest.fixture
def send(clock, django_capture_on_commit_callbacks):
    """Deliver a signed Zoom event as Zoom does, now, and run what it queues."""

    def send(event):
        stamp = str(int(AFTER.timestamp()))
        with django_capture_on_commit_callbacks(execute=True):
            response = deliver(json.dumps(event).encode(), stamp)
        assert response.status_code == 200
        return response.json()

    return send


def test_zoom_recording_is_downloaded_with_the_event_token_into_our_storage(
    session, teacher, members, zoom, send
):
    screen = zoom.get(SCREEN_URL).mock(return_value=httpx.Response(200, content=MP4))

    assert send(recording_completed()) == {"received": True, "stored": True}

    assert screen.call_count == 1
    sent = screen.calls.last.request
    assert sent.method == "GET"
    assert sent.headers["Authorization"] == f"Bearer {TOKEN}"
    assert len(zoom.calls) == 1  # the preferred MP4 only: not the speaker view, not the audio
    recording = SessionRecording.objects.get(session=session)
    assert (recording.source, recording.status, recording.error) == ("zoom", "available", "")
    assert recording.file.read() == MP4
    assert (recording.size_bytes, recording.duration_seconds) == (len(MP4), 59 * 60)
    assert recording.attached_by is None

    learner = members["active"].learner
    response = as_user(learner).get(recording_url(session))
    assert response.status_code == 200
    assert body_of(fetch(response.json()["url"])) == MP4
    assert {n.user for n in told()} == {learner, members["completed"].learner}
    note = told().get(user=learner)
    assert note.title == "Recording available: Decorators"
    assert note.link.endswith(recording_url(session))
    assert note.enrollment == members["active"]


def test_a_replayed_recording_event_changes_nothing(session, members, zoom, send):
    screen = zoom.get(SCREEN_URL).mock(return_value=httpx.Response(200, content=MP4))
    send(recording_completed())
    recording = SessionRecording.objects.get()

    assert send(recording_completed()) == {"received": True, "stored": False}
    assert send(recording_completed(event_ts=1709694999999)) == {"received": True, "stored": False}

    assert screen.call_count == 1
    assert ZoomEvent.objects.count() == 1
    assert SessionRecording.objects.get().file.name == recording.file.name
    assert told().count() == 2


def test_a_download_zoom_keeps_failing_is_retried_with_backoff_then_marked_failed(
    session, teacher, members, zoom, send
):
    screen = zoom.get(SCREEN_URL).mock(return_value=httpx.Response(503))

    send(recording_completed())  # the first try fails: a retry is scheduled
    recording = SessionRecording.objects.get()
    assert screen.call_count == 1 and recording.status == "downloading"

    # The worker's retries (RECORDING_DOWNLOAD_MAX_RETRIES is 2): the first one is retried
    # again, two minutes later; the last one gives up.
    with pytest.raises(Retry) as retried:
        download_zoom_recording.apply(args=[recording.pk], retries=1)
    assert retried.value.when == 120
    recording.refresh_from_db()
    assert recording.status == "downloading"
    download_zoom_recording.apply(args=[recording.pk], retries=2)

    assert screen.call_count == 3
    recording.refresh_from_db()
    assert (recording.status, recording.file.name) == ("failed", "")
    assert recording.error == "Zoom answered 503 to the download."
    assert not told().exists()
    assert_problem(as_user(members["active"].learner).get(recording_url(session)), 404, "not_found")
    shown = as_user(teacher).get(recording_url(session))
    assert shown.status_code == 200
    assert shown.json()["status"] == "failed" and shown.json()["url"] is None


def test_a_download_that_breaks_off_once_succeeds_on_its_retry(session, members, zoom, send):
    screen = zoom.get(SCREEN_URL).mock(
        side_effect=[httpx.ConnectError("reset by peer"), httpx.Response(200, content=MP4)]
    )
    send(recording_completed())
    recording = SessionRecording.objects.get()
    assert recording.status == "downloading" and not told().exists()

    download_zoom_recording.apply(args=[recording.pk], retries=1)

    assert screen.call_count == 2
    recording.refresh_from_db()
    assert recording.status == "available" and recording.file.read() == MP4
    assert told().count() == 2


def test_a_refused_token_is_not_retried(session, zoom, send):
    screen = zoom.get(SCREEN_URL).mock(return_value=httpx.Response(401))
    send(recording_completed())
    assert screen.call_count == 1
    recording = SessionRecording.objects.get()
    assert (recording.status, recording.error) == ("failed", "Zoom answered 401 to the download.")


def test_a_recording_without_an_mp4_is_failed_without_a_download(session, zoom, send):
    audio_only = recording_completed()["payload"]["object"]["recording_files"][:1]
    send(recording_completed(files=audio_only))
    assert len(zoom.calls) == 0
    recording = SessionRecording.objects.get()
    assert (recording.status, recording.error) == ("failed", "Zoom's recording has no MP4 file.")


def test_a_download_address_outside_zoom_is_never_fetched(session, zoom, send):
    files = recording_completed()["payload"]["object"]["recording_files"]
    files[2]["download_url"] = "https://attacker.example.com/rec.mp4"
    send(recording_completed(files=files))
    assert len(zoom.calls) == 0
    assert SessionRecording.objects.get().status == "failed"


def test_zoom_never_overwrites_the_teachers_recording(session, teacher, zoom, send):
    assert link(teacher, session).status_code == 201

    send(recording_completed())

    assert len(zoom.calls) == 0
    assert SessionRecording.objects.get().url == "https://vimeo.com/123456"


def test_the_teachers_upload_during_zoom_download_wins(
    session, teacher, zoom, clock, django_capture_on_commit_callbacks
):
    screen = zoom.get(SCREEN_URL).mock(return_value=httpx.Response(200, content=MP4))
    body = json.dumps(recording_completed()).encode()
    with django_capture_on_commit_callbacks() as stored:
        assert deliver(body, str(int(AFTER.timestamp()))).status_code == 200
    with django_capture_on_commit_callbacks() as download:
        stored[0]()  # Zoom's event processed: the download is queued, not run yet
    assert SessionRecording.objects.get().status == "downloading"

    with django_capture_on_commit_callbacks(execute=True):
        assert link(teacher, session).status_code == 201
    download[0]()

    assert screen.call_count == 0
    recording = SessionRecording.objects.get()
    assert (recording.source, recording.url) == ("url", "https://vimeo.com/123456")


def test_a_recording_for_a_meeting_we_do_not_hold_is_acknowledged_and_ignored(session, zoom, send):
    event = recording_completed()
    event["payload"]["object"]["id"] = 999
    assert send(event) == {"received": True, "stored": True}
    assert len(zoom.calls) == 0
    assert not SessionRecording.objects.exists()


def test_learners_do_not_see_a_recording_still_downloading(
    session, teacher, members, clock, django_capture_on_commit_callbacks
):
    body = json.dumps(recording_completed()).encode()
    with django_capture_on_commit_callbacks() as stored:
        deliver(body, str(int(AFTER.timestamp())))
    with django_capture_on_commit_callbacks():
        stored[0]()

    learner = members["active"].learner
    assert_problem(as_user(learner).get(recording_url(session)), 404, "not_found")
    assert as_user(learner).get(session_url(session)).json()["recording"] is None
    shown = as_user(teacher).get(session_url(session)).json()["recording"]
    assert (shown["status"], shown["available"], shown["url"]) == ("downloading", False, None)


# Sessions show their recording without a query per session


def with_recordings(session, count):
    """`count` sessions of the session's cohort, a day apart, each with a linked recording."""
    sessions = [session] + [
        CohortSessionFactory(cohort=session.cohort, starts_at=START - timedelta(days=day))
        for day in range(1, count)
    ]
    for each in sessions:
        SessionRecording.objects.create(
            session=each,
            source="url",
            status="available",
            url=f"https://vimeo.com/{each.pk}",
            available_at=AFTER,
        )
    return sessions


@pytest.mark.parametrize("count", [3, 12])
def test_the_session_list_shows_recordings_in_a_fixed_number_of_queries(
    session, teacher, members, count, django_assert_num_queries
):
    with_recordings(session, count)
    for user in (members["active"].learner, teacher):
        client = as_user(user)
        with django_assert_num_queries(4):  # the cohort, is it taught by the caller, count, page
            response = client.get(sessions_url(session))
        assert response.status_code == 200
        results = response.json()["results"]
        assert len(results) == count
        assert all(r["recording"]["available"] and r["recording"]["url"] for r in results)


def test_the_session_detail_shows_its_recording_in_a_fixed_number_of_queries(
    session, teacher, members, django_assert_num_queries
):
    with_recordings(session, 1)
    learner = members["active"].learner
    with django_assert_num_queries(3):  # the cohort, is it taught by the caller, the session
        response = as_user(learner).get(session_url(session))
    assert response.status_code == 200
    recording = response.json()["recording"]
    assert "status" not in recording and recording["source"] == "url"
    followed = fetch(recording["url"])
    assert followed.status_code == 302 and followed["Location"].startswith("https://vimeo.com/")

    with django_assert_num_queries(3):
        response = as_user(learner).get(recording_url(session))
    assert response.status_code == 200

    with django_assert_num_queries(3):
        response = as_user(teacher).get(session_url(session))
    assert response.status_code == 200
    assert response.json()["recording"]["status"] == "available"
