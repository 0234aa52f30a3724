"""Zoom's webhooks as the tests send them: signed with HMAC like Zoom does
(research/cohorts.md §1.1), and the events of one meeting that a session holds."""

import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta

from django.test import Client

from tests.learning.zoom_fake import zoom_time

WEBHOOK = "/api/v1/webhooks/zoom/"
SECRET = "4fv1RkqGQUq5sWbEz6hA5A"

# The meeting `zoom_session` (tests/conftest.py) holds, and its one instance.
START = datetime(2021, 7, 13, 21, tzinfo=UTC)
END = START + timedelta(minutes=60)
MINUTE = timedelta(minutes=1)
MEETING = "1234567890"
INSTANCE = "4444AAAiAAAAAiAiAiiAii=="


def sign(body, timestamp, secret=SECRET):
    digest = hmac.new(secret.encode(), f"v0:{timestamp}:".encode() + body, hashlib.sha256)
    return "v0=" + digest.hexdigest()


def deliver(body, timestamp, signature=None):
    """POST the raw body as Zoom would; `signature=False` sends none, None signs it."""
    headers = {"x-zm-request-timestamp": timestamp}
    if signature is not False:
        headers["x-zm-signature"] = sign(body, timestamp) if signature is None else signature
    return Client().post(WEBHOOK, body, content_type="application/json", headers=headers)


def deliver_event(event, obj, *, at):
    """Deliver a signed event about `obj`, stamped at the instant `at`."""
    body = json.dumps({"event": event, "event_ts": 1, "payload": {"object": obj}}).encode()
    return deliver(body, str(int(at.timestamp())))


def participant_event(event, *, time, participant_uuid="55555AAAiAAAAAiAiAiiAii", event_ts=1):
    """A participant event exactly as Zoom's documentation shows it."""
    time_field = "join_time" if event.endswith("joined") else "leave_time"
    return {
        "event": event,
        "event_ts": event_ts,
        "payload": {"account_id": "AAAAAABBBB", "object": {
            "id": "1234567890", "uuid": "4444AAAiAAAAAiAiAiiAii==", "host_id": "x1yCzABCDEfg23HiJKl4mN",
            "topic": "My Meeting", "type": 8, "start_time": "2021-07-13T21:44:51Z", "duration": 60,
            "participant": {
                "user_id": "16778240", "user_name": "Jill Chill", "id": "iFxeBPYun6SAiWUzBcEkX",
                "participant_uuid": participant_uuid, time_field: time,
                "email": "jchill@example.com", "registrant_id": "abcdefghij0-klmnopq23456",
            },
        }},
    }  # fmt: skip


def participant(send, kind, at, *, uuid, name="Jill Chill", email="", registrant_id=""):
    """Send that a participant `kind` ("joined" or "left") MEETING at `at`."""
    time_field = "join_time" if kind == "joined" else "leave_time"
    send(f"meeting.participant_{kind}", {
        "id": MEETING, "uuid": INSTANCE, "participant": {
            "user_id": "1", "user_name": name, "participant_uuid": uuid,
            time_field: zoom_time(at), "email": email, "registrant_id": registrant_id,
        },
    })  # fmt: skip


def meeting_ended(send):
    send("meeting.ended", {"id": MEETING, "uuid": INSTANCE, "start_time": zoom_time(START),
                           "end_time": zoom_time(END)})  # fmt: skip
