"""What Zoom would have sent during the demo's finished batch, replayed through our own
webhook endpoint: signed, verified, stored and processed exactly as a live meeting's are.

The batch is given the Zoom identity its provider would have created (one recurring meeting,
a registrant per learner) and every session its participants' join and leave events and a
`meeting.ended`; attendance is then what our mapping computes from them, not written here.
"""

import hashlib
import hmac
import json
import time
from datetime import UTC, timedelta

from django.test import Client, override_settings
from django.urls import reverse

from learning.meetings.zoom_webhooks import zoom_events_process_pending
from learning.models import ZoomRegistrant

DEMO_MEETING_ID = "84512345678"
# Signs the replayed events only: the demo's server keeps the webhook switched off unless
# ZOOM_WEBHOOK_SECRET_TOKEN is set.
DEMO_WEBHOOK_SECRET = "demo-replay-secret"


def _registrant_id(enrollment):
    return hashlib.sha256(f"demo-registrant-{enrollment.pk}".encode()).hexdigest()[:22]


def zoom_identity_give(batch, enrollments):
    """The meeting and registrants the Zoom provider would have made for the batch."""
    batch.sessions.update(zoom_meeting_id=DEMO_MEETING_ID)
    for enrollment in enrollments:
        registrant_id = _registrant_id(enrollment)
        ZoomRegistrant.objects.get_or_create(
            registrant_id=registrant_id,
            defaults={
                "cohort": batch,
                "enrollment": enrollment,
                "join_url": f"https://zoom.example.com/w/{DEMO_MEETING_ID}?tk={registrant_id}",
            },
        )


def _zoom_time(instant):
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class _Replay:
    def __init__(self, session):
        self.session = session
        self.instance_uuid = f"demo{session.pk:06d}{session.ical_uid.hex[:12]}=="
        self.client = Client(headers={"host": "localhost"})
        self.delivered = 0

    def deliver(self, event, obj):
        body = json.dumps(
            {
                "event": event,
                "event_ts": int(time.time() * 1000),
                "payload": {
                    "account_id": "demo-account",
                    "object": {
                        "id": DEMO_MEETING_ID,
                        "uuid": self.instance_uuid,
                        "topic": f"{self.session.cohort}",
                        "type": 8,
                        "start_time": _zoom_time(self.session.starts_at),
                        "duration": self.session.duration_minutes,
                        **obj,
                    },
                },
            }
        ).encode()
        timestamp = str(int(time.time()))
        signature = hmac.new(
            DEMO_WEBHOOK_SECRET.encode(), f"v0:{timestamp}:".encode() + body, hashlib.sha256
        ).hexdigest()
        response = self.client.post(
            reverse("api:zoom-webhook"),
            body,
            content_type="application/json",
            headers={"x-zm-request-timestamp": timestamp, "x-zm-signature": f"v0={signature}"},
        )
        if response.status_code != 200:
            raise RuntimeError(f"The replayed {event} was refused: {response.status_code}")
        self.delivered += 1

    def connection(self, number, *, name, email, registrant_id, joined, left):
        participant = {
            "user_id": f"{self.session.pk}{number:04d}",
            "user_name": name,
            "participant_uuid": f"demo-{self.session.pk}-{number}",
            "email": email,
            "registrant_id": registrant_id,
        }
        start = self.session.starts_at
        self.deliver(
            "meeting.participant_joined",
            {
                "participant": {
                    **participant,
                    "join_time": _zoom_time(start + timedelta(minutes=joined)),
                }
            },
        )
        self.deliver(
            "meeting.participant_left",
            {
                "participant": {
                    **participant,
                    "leave_time": _zoom_time(start + timedelta(minutes=left)),
                }
            },
        )

    def end(self):
        self.deliver("meeting.ended", {"end_time": _zoom_time(self.session.ends_at)})


def zoom_meetings_replay(batch, plan) -> int:
    """Deliver each session's signed events. `plan` maps an enrollment to one entry per
    session: a list of (joined, left) minutes after the start per connection, where a
    connection may name the address it came from (`(joined, left, e-mail)`: a personal
    address and no registrant link, which nobody can identify). Returns the events sent."""
    delivered = 0
    with override_settings(ZOOM_WEBHOOK_SECRET_TOKEN=DEMO_WEBHOOK_SECRET):
        for index, session in enumerate(batch.sessions.order_by("starts_at")):
            replay = _Replay(session)
            number = 0
            for enrollment, sessions in plan.items():
                learner = enrollment.learner
                for joined, left, *address in sessions[index]:
                    number += 1
                    replay.connection(
                        number,
                        name=learner.get_full_name(),
                        email=address[0] if address else learner.email,
                        registrant_id="" if address else _registrant_id(enrollment),
                        joined=joined,
                        left=left,
                    )
            replay.end()
            delivered += replay.delivered
    # What the tasks queued on commit have not processed (none when the commits ran, all
    # when the caller's transaction holds them): the same sweep beat runs.
    zoom_events_process_pending(older_than=timedelta(0))
    return delivered
