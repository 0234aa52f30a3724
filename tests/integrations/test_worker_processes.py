"""Delivery workers as real OS processes on a database server: one killed mid-delivery leaves
the delivery to the next worker, which sends it with the same webhook-id; two side by side
deliver 1,000 events to three endpoints, each exactly once to the healthy ones, and the one
that failed every other time catches up once it recovers."""

import json

import pytest
from django.db import connection
from django.db.models import Sum
from django.utils import timezone

from integrations.models import Delivery, Endpoint, Event
from integrations.outbox import event_body, new_webhook_id
from integrations.signing import new_secret
from tests.integrations.delivery_worker import run_workers, start_worker

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="worker processes share the database: needs a database server",
    ),
]

EVENTS = 1000


def pending_events(staff, endpoints, count):
    """`count` committed events, each with a due delivery per endpoint, as the outbox writes
    them (no worker has seen them yet)."""
    events = Event.objects.bulk_create(
        Event(type="enrollment.created", body=event_body("enrollment.created", {"id": n}))
        for n in range(count)
    )
    return Delivery.objects.bulk_create(
        Delivery(
            event=event,
            endpoint=endpoint,
            webhook_id=new_webhook_id(),
            next_attempt_at=timezone.now(),
        )
        for event in events
        for endpoint in endpoints
    )


def endpoint_for(staff, receiver):
    return Endpoint.objects.create(created_by=staff, url=receiver.url, secret=new_secret())


def test_a_worker_killed_mid_delivery_leaves_it_to_the_next_with_the_same_webhook_id(
    staff, receiver
):
    receiver.script = ["hang", 200]
    [delivery] = pending_events(staff, [endpoint_for(staff, receiver)], 1)

    worker = start_worker()
    assert len(receiver.wait_for(1, seconds=60)) == 1
    worker.kill()
    assert worker.wait(timeout=10) != 0

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("pending", 0)  # nothing recorded
    assert delivery.claim is not None and delivery.next_attempt_at > timezone.now()
    run_workers(1)  # the dead worker's lease still holds: nobody takes the delivery
    assert len(receiver.requests) == 1

    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())  # lease over
    run_workers(1)

    first, second = receiver.requests
    assert first["headers"]["webhook-id"] == second["headers"]["webhook-id"] == delivery.webhook_id
    assert first["body"] == second["body"]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.claim) == ("succeeded", 1, None)


def test_two_workers_deliver_a_thousand_events_to_three_endpoints_exactly_once(staff, receivers):
    healthy_a, healthy_b, flaky = receivers
    flaky.script = [500, 200] * (EVENTS // 2) + [200]  # fails every other time, then recovers
    endpoints = [endpoint_for(staff, receiver) for receiver in receivers]
    deliveries = pending_events(staff, endpoints, EVENTS)

    run_workers(2)
    for _ in range(5):  # a retry is due 5 s after a 500: the clock moves on, the test waits not
        if not Delivery.objects.filter(status="pending").update(next_attempt_at=timezone.now()):
            break
        run_workers(2)

    assert not Delivery.objects.exclude(status="succeeded").exists()
    expected = {
        endpoint.url: {d.webhook_id for d in deliveries if d.endpoint_id == endpoint.pk}
        for endpoint in endpoints
    }
    for receiver in (healthy_a, healthy_b):
        ids = [request["headers"]["webhook-id"] for request in receiver.requests]
        assert len(ids) == EVENTS and set(ids) == expected[receiver.url]
        assert {json.loads(request["body"])["data"]["id"] for request in receiver.requests} == set(
            range(EVENTS)
        )
    answered = [
        request["headers"]["webhook-id"]
        for number, request in enumerate(flaky.requests)
        if flaky.script[min(number, len(flaky.script) - 1)] == 200
    ]
    assert len(answered) == EVENTS and set(answered) == expected[flaky.url]
    failures = flaky.script.count(500)
    assert len(flaky.requests) == EVENTS + failures
    assert Delivery.objects.filter(endpoint=endpoints[2]).aggregate(n=Sum("attempts"))["n"] == (
        EVENTS + failures
    )
    assert Delivery.objects.filter(endpoint__in=endpoints[:2], attempts=1).count() == 2 * EVENTS
