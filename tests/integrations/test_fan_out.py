"""Many events to three endpoints, one failing every other time: every healthy endpoint
gets each event exactly once by webhook-id, and the failing one catches up."""

import pytest
from django.utils import timezone

from integrations.models import Delivery
from integrations.outbox import event_emit
from integrations.services import endpoint_create
from integrations.tasks import dispatch_due_deliveries

pytestmark = pytest.mark.django_db

EVENTS = 40


def test_every_event_reaches_every_endpoint_once(
    staff, receivers, django_capture_on_commit_callbacks
):
    healthy_a, healthy_b, flaky = receivers
    flaky.script = [500, 200] * EVENTS * 2
    for receiver in receivers:
        endpoint_create(by=staff, url=receiver.url)

    for number in range(EVENTS):
        with django_capture_on_commit_callbacks(execute=True):
            event_emit(event_type="enrollment.created", data={"id": number})
    rounds = 0
    while (
        Delivery.objects.filter(status="pending").exists() and rounds < 10
    ):  # each round halves what the flaky one missed
        Delivery.objects.filter(status="pending").update(next_attempt_at=timezone.now())
        dispatch_due_deliveries()
        rounds += 1

    assert not Delivery.objects.exclude(status="succeeded").exists()
    for receiver in (healthy_a, healthy_b):
        ids = [r["headers"]["webhook-id"] for r in receiver.requests]
        assert len(ids) == len(set(ids)) == EVENTS
    delivered_ok = [
        r["headers"]["webhook-id"]
        for r, answer in zip(flaky.requests, flaky.script, strict=False)
        if answer == 200
    ]
    assert len(delivered_ok) == len(set(delivered_ok)) == EVENTS
