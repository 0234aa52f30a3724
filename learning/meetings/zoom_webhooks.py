"""Zoom webhooks: verified on the raw body, stored once, acknowledged, processed by a task.

Zoom wants an answer within 3 seconds, so a delivery is only verified, stored and
queued here; `zoom_event_process` (run by `learning.tasks.process_zoom_event`) does
the rest, and a beat sweep (`zoom_events_process_pending`) picks up events whose task
was never queued or was lost. Zoom delivers some events more than once with different
envelopes, so each stored event carries a key made from its natural keys (meeting
instance, participant, time) under a unique constraint: a repeat is acknowledged and
changes nothing.
Event types we do not subscribe to are acknowledged, logged and not stored.

`meeting.ended` computes the attendance of the session that meeting instance belongs to
(`learning.services.zoom_attendance`), from the participant events stored so far, and
queues the pull of Zoom's participants report to fill what the webhooks missed.

`recording.completed` queues the download of the session's recording into our storage
(`learning.services.recordings`), unless the session has one already.

"""

import hashlib
import hmac
import json
import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from learning.exceptions import ZoomWebhookRefused, ZoomWebhooksNotConfigured
from learning.models import ZoomEvent, ZoomParticipantEvent

logger = logging.getLogger(__name__)

URL_VALIDATION = "endpoint.url_validation"
PARTICIPANT_JOINED = "meeting.participant_joined"
PARTICIPANT_LEFT = "meeting.participant_left"
MEETING_ENDED = "meeting.ended"
RECORDING_COMPLETED = "recording.completed"
MAX_FUTURE_SECONDS = 5 * 60


def _secret() -> bytes:
    if not settings.ZOOM_WEBHOOK_SECRET_TOKEN:
        raise ZoomWebhooksNotConfigured()
    return settings.ZOOM_WEBHOOK_SECRET_TOKEN.encode()


def _hex_hmac(message: bytes) -> str:
    return hmac.new(_secret(), message, hashlib.sha256).hexdigest()


def zoom_signature(*, body: bytes, timestamp: str) -> str:
    """The `x-zm-signature` Zoom sends: `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{body}`."""
    return "v0=" + _hex_hmac(b"v0:" + timestamp.encode() + b":" + body)


def zoom_webhook_verify(*, body: bytes, signature: str, timestamp: str) -> dict:
    """The event in a delivery, if it is signed with our secret token and recent enough."""
    _secret()  # unconfigured answers 503 before anything is compared
    if not (timestamp.isascii() and timestamp.isdigit()):
        raise ZoomWebhookRefused("The request timestamp is missing or not a number.")
    expected = zoom_signature(body=body, timestamp=timestamp).encode()
    # Bytes on both sides: compare_digest raises TypeError for non-ASCII text.
    if not hmac.compare_digest(expected, signature.encode("utf-8", "replace")):
        raise ZoomWebhookRefused("The signature does not match this body.")
    age = timezone.now().timestamp() - int(timestamp)
    if age > settings.ZOOM_WEBHOOK_MAX_AGE_SECONDS or age < -MAX_FUTURE_SECONDS:
        raise ZoomWebhookRefused("The request timestamp is too old or in the future.")
    try:
        event = json.loads(body)
    except ValueError:
        raise ZoomWebhookRefused("The body is not JSON.") from None
    if not isinstance(event, dict) or not isinstance(event.get("event"), str):
        raise ZoomWebhookRefused("The body is not a Zoom event.")
    return event


def _member(mapping, name) -> dict:
    """A JSON object inside a signed event, or {} when Zoom sent something else."""
    value = mapping.get(name)
    return value if isinstance(value, dict) else {}


def zoom_url_validation_answer(event: dict) -> dict:
    """The answer to Zoom's endpoint check: the plain token and its HMAC with our secret."""
    plain_token = _member(event, "payload").get("plainToken")
    if not isinstance(plain_token, str) or not plain_token:
        raise ZoomWebhookRefused("The validation request has no plainToken.")
    return {"plainToken": plain_token, "encryptedToken": _hex_hmac(plain_token.encode())}


def _object(event: dict) -> dict:
    return _member(_member(event, "payload"), "object")


def _participant_key(event):
    obj = _object(event)
    participant = _member(obj, "participant")
    return (
        obj.get("uuid"),
        participant.get("participant_uuid") or participant.get("user_id"),
        participant.get("join_time") or participant.get("leave_time"),
    )


def _instance_key(event):
    return (_object(event).get("uuid"),)


# The natural keys of each event we store (research §1.2, pitfall 5).
NATURAL_KEYS = {
    PARTICIPANT_JOINED: _participant_key,
    PARTICIPANT_LEFT: _participant_key,
    MEETING_ENDED: _instance_key,
    RECORDING_COMPLETED: _instance_key,
}


def _dedupe_key(event: dict, body: bytes) -> str:
    parts = NATURAL_KEYS[event["event"]](event)
    if not all(isinstance(part, (str, int)) and part != "" for part in parts):
        # Without its natural keys only an exact repeat of the body can be recognised.
        parts = ("body", hashlib.sha256(body).hexdigest())
    return hashlib.sha256(
        "\x1f".join([event["event"], *(str(part) for part in parts)]).encode()
    ).hexdigest()


def zoom_event_record(*, event: dict, body: bytes) -> ZoomEvent | None:
    """Store a verified event and queue its processing; None for repeats and ignored types."""
    if event["event"] not in NATURAL_KEYS:
        logger.info("Zoom event %s acknowledged and ignored", event["event"])
        return None
    event_ts = event.get("event_ts")
    try:
        with transaction.atomic():
            stored = ZoomEvent.objects.create(
                event=event["event"],
                event_ts=event_ts if isinstance(event_ts, int) else 0,
                dedupe_key=_dedupe_key(event, body),
                payload=event,
            )
            # robust: a broker that is down must not turn Zoom's 200 into a 500 once the
            # event is stored; the beat sweep processes what was not queued.
            transaction.on_commit(lambda: _queue_processing(stored.pk), robust=True)
    except IntegrityError:
        logger.info("Zoom event %s delivered again; nothing stored", event["event"])
        return None
    return stored


def _queue_processing(zoom_event_id):
    from learning.tasks import process_zoom_event  # tasks import the services

    process_zoom_event.delay(zoom_event_id)


def _zoom_time(value):
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _participant_event(kind, time_field):
    def store(zoom_event):
        obj = _object(zoom_event.payload)
        participant = _member(obj, "participant")
        if not participant.get(time_field):
            logger.warning("Zoom event %s has no %s; kept raw only", zoom_event.pk, time_field)
            return
        ZoomParticipantEvent.objects.get_or_create(
            zoom_event=zoom_event,
            defaults={
                "kind": kind,
                "meeting_id": str(obj.get("id", "")),
                "meeting_uuid": obj.get("uuid", ""),
                "participant_uuid": participant.get("participant_uuid") or "",
                "participant_user_id": participant.get("user_id") or "",
                "registrant_id": participant.get("registrant_id") or "",
                "email": participant.get("email") or "",
                "name": participant.get("user_name") or "",
                "occurred_at": _zoom_time(participant[time_field]),
            },
        )

    return store


def _instance_session(zoom_event):
    """The session of ours the event's meeting instance was held for, or None."""
    from learning.services.zoom_attendance import meeting_instance_session  # services import models

    obj = _object(zoom_event.payload)
    meeting_id, meeting_uuid = str(obj.get("id", "")), obj.get("uuid")
    fallback = obj.get("start_time")
    try:
        fallback = _zoom_time(fallback) if isinstance(fallback, str) else None
    except ValueError:
        fallback = None
    session = (
        meeting_instance_session(
            meeting_id=meeting_id, meeting_uuid=meeting_uuid, fallback=fallback
        )
        if meeting_id and isinstance(meeting_uuid, str)
        else None
    )
    if session is None:
        logger.info(
            "Zoom %s for meeting %s: no session of ours holds it", zoom_event.event, meeting_id
        )
    return session


def _meeting_ended(zoom_event):
    """Close the attendance of the session this meeting instance was held for."""
    from learning.services.meetings import session_attendance_pull_request
    from learning.services.zoom_attendance import zoom_attendance_compute

    session = _instance_session(zoom_event)
    if session is not None:
        zoom_attendance_compute(session=session)
        session_attendance_pull_request(session)  # Zoom is called after this transaction


def _recording_completed(zoom_event):
    """Queue the download of the recording of the session this meeting instance was held for."""
    from learning.services.recordings import zoom_recording_queue

    session = _instance_session(zoom_event)
    if session is not None:
        zoom_recording_queue(zoom_event=zoom_event, session=session)


HANDLERS = {
    PARTICIPANT_JOINED: _participant_event(ZoomParticipantEvent.Kind.JOINED, "join_time"),
    PARTICIPANT_LEFT: _participant_event(ZoomParticipantEvent.Kind.LEFT, "leave_time"),
    MEETING_ENDED: _meeting_ended,
    RECORDING_COMPLETED: _recording_completed,
}


@transaction.atomic
def zoom_event_process(*, zoom_event_id: int) -> bool:
    """Act on a stored event once; False when it was processed already."""
    zoom_event = ZoomEvent.objects.select_for_update().filter(pk=zoom_event_id).first()
    if zoom_event is None or zoom_event.processed_at is not None:
        return False
    HANDLERS[zoom_event.event](zoom_event)
    zoom_event.processed_at = timezone.now()
    zoom_event.save(update_fields=["processed_at"])
    return True


def zoom_events_process_pending(*, older_than: timedelta = timedelta(minutes=5)) -> int:
    """Process stored events whose task never ran (a lost message, a broker outage)."""
    cutoff = timezone.now() - older_than
    pending = ZoomEvent.objects.filter(processed_at__isnull=True, received_at__lt=cutoff)
    return sum(
        zoom_event_process(zoom_event_id=pk)
        for pk in pending.order_by("pk").values_list("pk", flat=True)[:500]
    )
