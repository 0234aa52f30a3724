"""The live-session pieces of `bench_api`, at small sizes: the signed webhooks it loads the
server with are ones our endpoint accepts and stores, and the in-process measures run."""

import io

import pytest
from django.core.management import call_command
from django.test import Client

from bench.live_sessions import (
    WEBHOOK_PATH,
    attendance_compute_timings,
    attendance_grid_cost,
    new_run,
    zoom_webhook_requests,
    zoom_webhook_run_delete,
)
from bench.management.commands.seed_bench import COHORT_NAME
from learning.models import AttendanceChange, AttendanceRecord, Cohort, ZoomEvent

pytestmark = pytest.mark.django_db


def test_the_webhook_load_is_signed_deliveries_our_endpoint_stores_once_each(settings):
    settings.ZOOM_WEBHOOK_SECRET_TOKEN = "bench-secret"
    run = new_run()
    requests = zoom_webhook_requests(secret="bench-secret", count=3, run=run)
    client = Client()

    for method, path, token, body, *headers in requests:
        assert (method, path, token) == ("POST", WEBHOOK_PATH, "")
        response = client.post(
            path,
            body,
            content_type="application/json",
            headers=dict(header.split(": ", 1) for header in headers),
        )
        assert response.status_code == 200
        assert response.json() == {"received": True, "stored": True}

    assert ZoomEvent.objects.filter(event="meeting.participant_joined").count() == 3
    assert "séance" in requests[0][3]  # non-ASCII, signed over its UTF-8 bytes
    assert zoom_webhook_run_delete(run) == 3
    assert not ZoomEvent.objects.exists()


def test_a_webhook_signed_with_another_secret_would_be_refused(settings):
    settings.ZOOM_WEBHOOK_SECRET_TOKEN = "the-servers-secret"
    [(_method, path, _token, body, *headers)] = zoom_webhook_requests(
        secret="bench-secret", count=1, run=new_run()
    )
    response = Client().post(
        path,
        body,
        content_type="application/json",
        headers=dict(header.split(": ", 1) for header in headers),
    )
    assert response.status_code == 400
    assert not ZoomEvent.objects.exists()


def test_attendance_compute_and_grid_measures_run_and_leave_the_data_as_it_was():
    call_command(
        "seed_bench", courses=2, modules=1, lessons=1, learners=2, enrollments=1, cohort_seats=30,
        stdout=io.StringIO(),
    )  # fmt: skip
    cohort = Cohort.objects.get(name=COHORT_NAME)
    before = (AttendanceRecord.objects.count(), AttendanceChange.objects.count())

    compute = attendance_compute_timings(cohort, repeats=2)
    grid = attendance_grid_cost(cohort)

    assert (compute["learners"], compute["sessions"]) == (30, 8)
    assert compute["compute_ms"] > 0 and compute["recompute_ms"] > 0
    assert 0 < compute["recompute_queries"] <= 8 * 20
    assert 0 < grid["queries"] <= 16 and grid["ms"] > 0
    assert (AttendanceRecord.objects.count(), AttendanceChange.objects.count()) == before
