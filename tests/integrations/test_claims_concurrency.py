"""Dispatchers racing on a real database server: each due delivery is claimed exactly once."""

import threading

import pytest
from django.db import connection
from django.utils import timezone

from integrations.delivery import deliveries_claim_due
from integrations.models import Delivery, Endpoint, Event
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs a database server: SQLite serialises every writer anyway",
    ),
]


def test_racing_dispatchers_claim_each_due_delivery_once():
    staff = UserFactory(is_staff=True)
    endpoints = [
        Endpoint.objects.create(created_by=staff, url=f"https://h{n}.example.com/", secret="x")
        for n in range(30)
    ]
    event = Event.objects.create(type="enrollment.created", body="{}")
    Delivery.objects.bulk_create(
        Delivery(event=event, endpoint=e, webhook_id=f"msg_{e.pk}", next_attempt_at=timezone.now())
        for e in endpoints
    )
    barrier = threading.Barrier(4)
    claimed = []

    def dispatch():
        try:
            barrier.wait()
            claimed.extend(pk for pk, _ in deliveries_claim_due(limit=20))
        finally:
            connection.close()

    threads = [threading.Thread(target=dispatch) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(claimed) == sorted(Delivery.objects.values_list("pk", flat=True))
