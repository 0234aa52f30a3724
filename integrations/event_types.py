"""The catalog of events we send: each type, what it means, and the JSON Schema of its
`data` (the payload is always `{"type", "timestamp", "data"}`)."""

from dataclasses import dataclass

PING = "webhook.test"

_ID = {"type": "integer"}
_TIME = {"type": "string", "format": "date-time"}
_MAYBE_TIME = {"type": ["string", "null"], "format": "date-time"}
_URL = {"type": "string", "format": "uri"}
_COURSE = {
    "type": "object",
    "required": ["id", "title", "url"],
    "properties": {"id": _ID, "title": {"type": "string"}, "url": _URL},
}
_LEARNER = {"type": "object", "required": ["id"], "properties": {"id": _ID}}


def _object(**properties) -> dict:
    return {
        "type": "object",
        "required": list(properties),
        "properties": properties,
        "additionalProperties": False,
    }


_ENROLLMENT = _object(
    id=_ID,
    url=_URL,
    status={"enum": ["pending_payment", "active", "completed", "refunded", "cancelled", "expired"]},
    course=_COURSE,
    learner=_LEARNER,
    cohort={"type": ["integer", "null"]},
    created_at=_TIME,
    activated_at=_MAYBE_TIME,
    completed_at=_MAYBE_TIME,
)
_ORDER = _object(
    id=_ID,
    enrollment=_ID,
    status={"enum": ["paid", "partially_refunded", "refunded"]},
    course=_COURSE,
    learner=_LEARNER,
    amount={"type": "integer", "description": "In the currency's minor unit (cents)."},
    refunded_amount={"type": "integer", "description": "In the currency's minor unit."},
    currency={"type": "string", "pattern": "^[A-Z]{3}$"},
    paid_at=_MAYBE_TIME,
)
_CERTIFICATE = _object(
    code={"type": "string"},
    enrollment=_ID,
    status={"enum": ["valid", "revoked"]},
    course=_COURSE,
    learner=_LEARNER,
    issued_at=_TIME,
    revoked_at=_MAYBE_TIME,
    verification_url=_URL,
)
_SUBMISSION = _object(
    id=_ID,
    enrollment=_ID,
    assignment_title={"type": "string"},
    status={"enum": ["passed", "failed"]},
    score={"type": ["string", "null"], "description": "Percent, as a decimal string."},
    course=_COURSE,
    learner=_LEARNER,
    graded_at=_MAYBE_TIME,
)
_COURSE_EVENT = _object(
    id=_ID, title={"type": "string"}, url=_URL, live={"type": "boolean"}, archived_at=_MAYBE_TIME
)
_SESSION = _object(
    id=_ID,
    cohort=_ID,
    course=_COURSE,
    title={"type": "string"},
    status={"enum": ["scheduled", "cancelled"]},
    starts_at=_TIME,
    ends_at=_TIME,
    duration_minutes={"type": "integer"},
    revision={"type": "integer", "description": "Raised by every change of time or status."},
    join_url={**_URL, "description": "Our join link; it redirects to the meeting."},
)
_ATTENDANCE = _object(
    id=_ID,
    session=_ID,
    cohort=_ID,
    course=_COURSE,
    enrollment=_ID,
    learner=_LEARNER,
    status={"enum": ["present", "late", "absent", "excused"]},
    minutes_attended={"type": "integer"},
    source={"type": "string", "description": "Where the record came from (manual, zoom…)."},
)
_PING = _object(endpoint=_ID, message={"type": "string"})


@dataclass(frozen=True)
class EventType:
    name: str
    description: str
    schema: dict


EVENT_TYPES = {
    event.name: event
    for event in [
        EventType(
            "enrollment.created", "A learner enrolled (paid: awaiting payment).", _ENROLLMENT
        ),
        EventType("enrollment.activated", "The learner has access to the course.", _ENROLLMENT),
        EventType("enrollment.completed", "Every certificate criterion holds.", _ENROLLMENT),
        EventType("enrollment.refunded", "Access ended by a refund.", _ENROLLMENT),
        EventType("order.paid", "The payment for an enrollment is recorded.", _ORDER),
        EventType("order.refunded", "Money went back to the learner (part or all).", _ORDER),
        EventType("certificate.issued", "A certificate was issued or reissued.", _CERTIFICATE),
        EventType("certificate.revoked", "A certificate stopped being valid.", _CERTIFICATE),
        EventType("submission.graded", "An assignment submission was graded.", _SUBMISSION),
        EventType(
            "course.published", "A course was published (first time or again).", _COURSE_EVENT
        ),
        EventType(PING, "Sent by “test” to check an endpoint; never sent otherwise.", _PING),
    ]
}

# What an endpoint may subscribe to (the ping goes to whoever asks for it).
SUBSCRIBABLE = sorted(name for name in EVENT_TYPES if name != PING)
