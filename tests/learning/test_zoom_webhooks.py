"""Zoom webhooks: the research's signature vectors, the freshness window, Zoom's endpoint
check, repeats stored once and the task that processes what was stored."""

import json
import time
from datetime import UTC, datetime

import pytest

from learning.models import ZoomEvent, ZoomParticipantEvent
from learning.tasks import process_pending_zoom_events, process_zoom_event
from tests.api_helpers import assert_problem
from tests.learning.zoom_webhooks_helpers import deliver, participant_event, sign

pytestmark = pytest.mark.usefixtures("zoom_secret")

# Jericho/ZoomNet's vectors (research/cohorts.md §1.1), byte for byte.
VALIDATION_BODY = (
    b'{"payload":{"plainToken":"xys8n8PGS7mAU0m5-YJjRA"},"event_ts":1720705455858,'
    b'"event":"endpoint.url_validation"}'
)
VALIDATION_TS = "1720705455"
VALIDATION_SIGNATURE = "v0=93a1a675965ceb9c5a50c5dfb31f20e50f763be37a54ef74cd2d16a1a8e5c0d6"
ENCRYPTED_TOKEN = "2fffc6a967dde4f68024025a5bd991c5ae1e5313b4e6365be4883e3e81d479b3"
STARTED_BODY = (
    r'{"event":"meeting.started","payload":{"account_id":"VjZoEArIT5y-HlWxkV-tVA","object":'
    r'{"duration":60,"start_time":"2024-07-11T14:12:55Z","timezone":"America/New_York",'
    r'"topic":"Test \uD83D\uDE92\uD83D\uDE92 ? - ’ - – \uD83D\uDE97 HOLA","id":"85393847045",'
    r'"type":2,"uuid":"jUh5o3dKQIytvcsfTtKBlg==","host_id":"8lzIwvZTSOqjndWPbPqzuA"}},'
    r'"event_ts":1720707175904}'
).encode()
STARTED_TS = "1720707175"
STARTED_SIGNATURE = "v0=1a14e79349318fa1bead50ebbd3c185ae078e182d3bbd30ab8010fcb7f4357c7"


@pytest.fixture
def now(monkeypatch):
    """Freeze the clock the webhook reads at a Unix time in seconds."""

    def freeze(seconds):
        moment = datetime.fromtimestamp(int(seconds), tz=UTC)
        monkeypatch.setattr("django.utils.timezone.now", lambda: moment)

    return freeze


def encoded(event):
    return json.dumps(event).encode()


def test_the_validation_vector_is_answered_with_the_encrypted_token(db, now):
    now(VALIDATION_TS)
    response = deliver(VALIDATION_BODY, VALIDATION_TS, VALIDATION_SIGNATURE)
    assert response.status_code == 200
    assert response.json() == {
        "plainToken": "xys8n8PGS7mAU0m5-YJjRA",
        "encryptedToken": ENCRYPTED_TOKEN,
    }
    assert ZoomEvent.objects.count() == 0


def test_the_non_ascii_vector_verifies_on_the_raw_bytes_and_is_ignored(db, now):
    now(STARTED_TS)
    response = deliver(STARTED_BODY, STARTED_TS, STARTED_SIGNATURE)
    assert response.status_code == 200
    assert response.json() == {"received": True, "stored": False}  # not an event we keep
    assert ZoomEvent.objects.count() == 0


def test_a_signature_over_re_serialised_json_is_refused(db, now):
    now(STARTED_TS)
    reserialised = json.dumps(json.loads(STARTED_BODY), separators=(",", ":")).encode()
    assert sign(reserialised, STARTED_TS) != STARTED_SIGNATURE
    response = deliver(STARTED_BODY, STARTED_TS, sign(reserialised, STARTED_TS))
    assert_problem(response, 400, "bad_signature")


@pytest.mark.parametrize(
    "signature",
    [
        False,
        "",
        sign(VALIDATION_BODY, VALIDATION_TS, secret="someone-else"),
        VALIDATION_SIGNATURE.upper(),
        VALIDATION_SIGNATURE.removeprefix("v0="),
    ],
    ids=["missing", "empty", "wrong secret", "upper case", "no v0 prefix"],
)
def test_a_wrong_or_missing_signature_is_refused(db, now, signature):
    now(VALIDATION_TS)
    assert_problem(deliver(VALIDATION_BODY, VALIDATION_TS, signature), 400, "bad_signature")


def test_a_refused_event_writes_nothing(db, now, django_capture_on_commit_callbacks):
    now(1_700_000_000)
    body = encoded(participant_event("meeting.participant_joined", time="2023-11-14T22:13:20Z"))
    with django_capture_on_commit_callbacks() as callbacks:
        response = deliver(body, "1700000000", sign(body, "1700000000", secret="wrong"))
    assert_problem(response, 400, "bad_signature")
    assert ZoomEvent.objects.count() == 0 and callbacks == []


@pytest.mark.parametrize(
    "header",
    ["v0=é" + "0" * 63, "v0=\u2603" * 8],
    ids=["latin-1", "snowman"],
)
def test_a_non_ascii_signature_header_is_a_400_not_a_500(db, now, header):
    now(VALIDATION_TS)
    assert_problem(deliver(VALIDATION_BODY, VALIDATION_TS, header), 400, "bad_signature")


@pytest.mark.parametrize("timestamp", ["", "abc", "١٧٢٠٧٠٥٤٥٥", "-1720705455", "1720705455.0"])
def test_a_missing_or_malformed_timestamp_is_refused(db, now, timestamp):
    now(VALIDATION_TS)
    response = deliver(VALIDATION_BODY, timestamp, sign(VALIDATION_BODY, timestamp))
    assert_problem(response, 400, "bad_signature")


@pytest.mark.parametrize(
    ("clock_offset", "status"),
    [
        (90 * 60, 200),  # exactly the maximum age
        (90 * 60 + 1, 400),
        (-5 * 60, 200),  # exactly 5 minutes ahead of our clock
        (-5 * 60 - 1, 400),
    ],
    ids=["oldest accepted", "one second too old", "furthest ahead", "one second too far ahead"],
)
def test_the_timestamp_window_edges(db, now, clock_offset, status):
    now(int(VALIDATION_TS) + clock_offset)
    response = deliver(VALIDATION_BODY, VALIDATION_TS, VALIDATION_SIGNATURE)
    assert response.status_code == status


def test_the_maximum_age_comes_from_settings(db, now, settings):
    settings.ZOOM_WEBHOOK_MAX_AGE_SECONDS = 60
    now(int(VALIDATION_TS) + 61)
    response = deliver(VALIDATION_BODY, VALIDATION_TS, VALIDATION_SIGNATURE)
    assert_problem(response, 400, "bad_signature")


def test_unconfigured_webhooks_answer_503_and_write_nothing(db, now, settings):
    settings.ZOOM_WEBHOOK_SECRET_TOKEN = ""
    now(VALIDATION_TS)
    response = deliver(VALIDATION_BODY, VALIDATION_TS, VALIDATION_SIGNATURE)
    assert_problem(response, 503, "zoom_webhooks_not_configured")


def test_a_signed_body_that_is_not_a_zoom_event_is_refused(db, now):
    now(VALIDATION_TS)
    for body in (b"\xff\xfe", b"[1, 2]", b'{"payload": {}}'):
        assert_problem(deliver(body, VALIDATION_TS), 400, "bad_signature")
    assert ZoomEvent.objects.count() == 0


def test_a_participant_join_is_stored_acknowledged_and_processed(
    db, now, django_capture_on_commit_callbacks
):
    now(1_626_230_700)
    event = participant_event("meeting.participant_joined", time="2021-07-13T21:44:51Z")
    with django_capture_on_commit_callbacks(execute=True):
        response = deliver(encoded(event), "1626230700")
    assert response.status_code == 200
    assert response.json() == {"received": True, "stored": True}
    stored = ZoomEvent.objects.get()
    assert stored.event == "meeting.participant_joined" and stored.payload == event
    assert stored.processed_at is not None
    row = ZoomParticipantEvent.objects.get()
    assert (row.zoom_event, row.kind) == (stored, "joined")
    assert row.meeting_id == "1234567890" and row.meeting_uuid == "4444AAAiAAAAAiAiAiiAii=="
    assert row.participant_uuid == "55555AAAiAAAAAiAiAiiAii"
    assert row.participant_user_id == "16778240"
    assert row.registrant_id == "abcdefghij0-klmnopq23456" and row.email == "jchill@example.com"
    assert row.name == "Jill Chill"
    assert row.occurred_at == datetime(2021, 7, 13, 21, 44, 51, tzinfo=UTC)


def test_a_duplicate_delivery_stores_once(db, now, django_capture_on_commit_callbacks):
    now(1_626_230_700)
    first = participant_event("meeting.participant_left", time="2021-07-13T22:00:00Z", event_ts=1)
    # Zoom's duplicates can carry another envelope: the natural keys decide.
    again = participant_event("meeting.participant_left", time="2021-07-13T22:00:00Z", event_ts=2)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        answers = [deliver(encoded(e), "1626230700").json() for e in (first, first, again)]
    assert [answer["stored"] for answer in answers] == [True, False, False]
    assert ZoomEvent.objects.count() == 1 and ZoomParticipantEvent.objects.count() == 1
    assert len(callbacks) == 1
    later = participant_event("meeting.participant_left", time="2021-07-13T22:05:00Z")
    assert deliver(encoded(later), "1626230700").json()["stored"] is True


def test_the_task_is_safe_to_run_twice(db, now, django_capture_on_commit_callbacks):
    now(1_626_230_700)
    event = participant_event("meeting.participant_joined", time="2021-07-13T21:44:51Z")
    with django_capture_on_commit_callbacks(execute=True):
        deliver(encoded(event), "1626230700")
    stored = ZoomEvent.objects.get()
    assert process_zoom_event(stored.pk) is False
    assert ZoomParticipantEvent.objects.count() == 1


@pytest.mark.parametrize(
    ("event", "obj"),
    [
        ("meeting.ended", {"id": "1234567890", "uuid": "4444AAAiAAAAAiAiAiiAii==",
                           "end_time": "2021-07-13T22:44:51Z"}),
        ("recording.completed", {"id": 1234567890, "uuid": "4444AAAiAAAAAiAiAiiAii==",
                                 "recording_files": []}),
    ],
)  # fmt: skip
def test_meeting_ended_and_recordings_are_stored_and_marked_processed(
    db, now, django_capture_on_commit_callbacks, event, obj
):
    now(1_626_230_700)
    body = encoded({"event": event, "event_ts": 1626234291000, "payload": {"object": obj}})
    with django_capture_on_commit_callbacks(execute=True):
        assert deliver(body, "1626230700").json()["stored"] is True
        assert deliver(body, "1626230700").json()["stored"] is False
    stored = ZoomEvent.objects.get()
    assert stored.event == event and stored.event_ts == 1626234291000
    assert stored.processed_at is not None and ZoomParticipantEvent.objects.count() == 0


@pytest.mark.parametrize(
    "event",
    [
        {"event": "endpoint.url_validation", "payload": ["not", "an", "object"]},
        {"event": "endpoint.url_validation", "payload": {"plainToken": 7}},
        {"event": "meeting.participant_joined", "payload": {"object": "nope"}, "event_ts": 1},
    ],
    ids=["validation payload a list", "token not text", "object not an object"],
)
def test_odd_shapes_in_a_signed_body_do_not_become_500s(
    db, now, django_capture_on_commit_callbacks, event
):
    now(VALIDATION_TS)
    with django_capture_on_commit_callbacks(execute=True):
        response = deliver(encoded(event), VALIDATION_TS)
    assert response.status_code in (200, 400)


def test_events_whose_task_never_ran_are_processed_by_the_beat_sweep(
    db, now, django_capture_on_commit_callbacks, settings
):
    entry = settings.CELERY_BEAT_SCHEDULE["process-pending-zoom-events"]
    assert entry == {"task": process_pending_zoom_events.name, "schedule": 600}
    signed_at = int(time.time())
    event = participant_event("meeting.participant_joined", time="2021-07-13T21:44:51Z")
    with django_capture_on_commit_callbacks(execute=False):  # the message is lost
        assert deliver(encoded(event), str(signed_at)).json()["stored"] is True
    assert process_pending_zoom_events() == 0  # too recent: its task may still be on the way
    now(signed_at + 6 * 60)
    assert process_pending_zoom_events() == 1
    assert ZoomEvent.objects.get().processed_at is not None
    assert ZoomParticipantEvent.objects.count() == 1
    assert process_pending_zoom_events() == 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # on_commit runs for real
def test_a_broker_outage_after_storing_still_answers_200(now, monkeypatch):
    def broker_down(*args, **kwargs):
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr(process_zoom_event, "delay", broker_down)
    now(1_626_230_700)
    event = participant_event("meeting.participant_joined", time="2021-07-13T21:44:51Z")
    response = deliver(encoded(event), "1626230700")
    assert response.status_code == 200 and response.json()["stored"] is True
    assert ZoomEvent.objects.get().processed_at is None  # left for the beat sweep
