"""`bench_webhooks`, run as an operator runs it, leaving nothing behind."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection

from integrations.models import Delivery, Endpoint, Event
from learning.models import Enrollment
from tests.factories import UserFactory, build_course


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # workers see commits
def test_the_benchmark_reports_the_outbox_cost_and_throughput():
    UserFactory(is_staff=True)
    build_course(price=Decimal("0"), modules=1, lessons_per_module=1)
    out = io.StringIO()

    call_command(
        "bench_webhooks", "--enrollments", "3", "--deliveries", "20", "--no-pace", stdout=out
    )

    output = out.getvalue()
    assert "outbox cost: +" in output and "p95" in output
    if connection.vendor == "postgresql":
        assert "outbox cost: +2 queries" in output  # the event and its deliveries, twice
        assert "deliveries: 20/20 succeeded with 2 worker processes" in output
    else:
        assert "deliveries/s: skipped" in output
    assert not Enrollment.objects.exists() and not Endpoint.objects.exists()
    assert not Event.objects.exclude(type="course.published").exists()
    assert not Delivery.objects.exists()
