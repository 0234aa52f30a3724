"""The outbox: an event and its deliveries are written in the transaction of the change, so
a rolled-back change sends nothing and a committed one is never lost (the dispatcher finds
it even if the broker was down when it committed).

Who wants an event is read from the cache (`integrations.subscriptions`), and on PostgreSQL
the event and its deliveries are one statement: an event costs the write that emits it one
query.
"""

import json
import logging
import uuid

from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.utils import timezone

from integrations.models import Delivery, Endpoint, Event
from integrations.payloads import instant
from integrations.subscriptions import subscribers
from integrations.tasks import send_delivery

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 20 * 1024


def new_webhook_id() -> str:
    return f"msg_{uuid.uuid4().hex}"


def event_body(event_type: str, data: dict, at=None) -> str:
    """The exact bytes we sign and send: compact JSON, `{type, timestamp, data}`."""
    payload = {"type": event_type, "timestamp": instant(at or timezone.now()), "data": data}
    body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False)
    if len(body.encode()) >= MAX_BODY_BYTES:
        raise ValueError(f"A {event_type} payload is over 20 KB: thin it.")
    return body


def event_emit(*, event_type: str, data: dict, course=None) -> Event | None:
    """Record an event for every enabled endpoint that wants it (platform endpoints, and the
    endpoints of the course's teacher); nothing is written when none does."""
    specialist_id = None if course is None else course.instructor_id or course.owner_id
    endpoint_ids = subscribers(event_type, specialist_id)
    if not endpoint_ids:
        return None
    return _write(event_type, data, course, endpoint_ids)


def event_emit_to(*, endpoint: Endpoint, event_type: str, data: dict) -> Delivery:
    """Record an event for one endpoint whatever it subscribes to (the ping)."""
    event = _write(event_type, data, None, [endpoint.pk])
    return event.deliveries.get()


@transaction.atomic(savepoint=False)  # inside the change's transaction: no savepoint round trips
def _write(event_type, data, course, endpoint_ids):
    event = Event(type=event_type, body=event_body(event_type, data), course=course)
    now = timezone.now()
    deliveries = [
        Delivery(endpoint_id=pk, webhook_id=new_webhook_id(), next_attempt_at=now)
        for pk in endpoint_ids
    ]
    if connection.vendor == "postgresql":
        ids = _insert_together(event, deliveries)
    else:
        event.save()
        for delivery in deliveries:
            delivery.event = event
        ids = [delivery.pk for delivery in Delivery.objects.bulk_create(deliveries)]
    transaction.on_commit(lambda: deliveries_queue(ids))
    return event


def _columns(obj, db, *, skip=()):
    """(column names, values as the database `db` takes them) of a new row, leaving out what
    is NULL (every such column is nullable) and `skip`."""
    columns, values = [], []
    for field in obj._meta.concrete_fields:
        if field.primary_key or field.name in skip:
            continue
        value = field.get_db_prep_save(field.pre_save(obj, add=True), db)
        if value is not None:
            columns.append(db.ops.quote_name(field.column))
            values.append(value)
    return columns, values


def _insert_together(event, deliveries) -> list[int]:
    """The event and its deliveries in one statement (one round trip, where two inserts cost
    every write that emits an event a second one); sets the event's id, returns the
    deliveries'."""
    db = connections[DEFAULT_DB_ALIAS]  # the connection itself: the proxy costs a lookup a use
    event_columns, params = _columns(event, db)
    rows = []
    for delivery in deliveries:
        delivery_columns, values = _columns(delivery, db, skip={"event"})
        rows.append(f"({', '.join(['%s'] * len(values))})")
        params += values
    names = ", ".join(delivery_columns)
    sql = (
        f"WITH event AS (INSERT INTO {Event._meta.db_table} ({', '.join(event_columns)}) "
        f"VALUES ({', '.join(['%s'] * len(event_columns))}) RETURNING id) "
        f"INSERT INTO {Delivery._meta.db_table} (event_id, {names}) "
        f"SELECT event.id, {names} FROM event, (VALUES {', '.join(rows)}) AS given ({names}) "
        "RETURNING event_id, id"
    )
    with db.cursor() as cursor:
        cursor.execute(sql, params)
        returned = cursor.fetchall()
    event.pk = returned[0][0]
    event._state.adding = False
    return [delivery_id for _, delivery_id in returned]


def deliveries_queue(delivery_ids: list[int]) -> None:
    """Attempt each delivery now (eager: in this process, right after commit). A broker that
    is down loses nothing: the deliveries are due, and the dispatcher will find them."""
    for delivery_id in delivery_ids:
        if send_delivery.delay(delivery_id) is None:  # not queued (logged): no use trying more
            return
