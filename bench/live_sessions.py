"""What `bench_api` measures of live sessions: signed Zoom participant webhooks for the load
generator, the attendance computed from a 30-learner cohort's stored Zoom events, and the
cost of the admin attendance grid. Needs `seed_bench --cohort-seats 30`."""

import hashlib
import hmac
import json
import statistics
import time
import uuid
from datetime import UTC, datetime, timedelta

from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from coursepages.selectors import course_teacher
from learning.models import AttendanceRecord, Enrollment, ZoomEvent
from learning.services.zoom_attendance import zoom_attendance_compute

WEBHOOK_PATH = "/api/v1/webhooks/zoom/"
LOAD_MEETING_ID = "89000000999"  # no session of ours: the events are stored, never mapped


def zoom_webhook_requests(*, secret: str, count: int, run: str) -> list[tuple]:
    """`count` distinct `meeting.participant_joined` deliveries, each signed with `secret` as
    Zoom signs them, as (method, path, token, body, timestamp header, signature header).
    Distinct participants, so each one is stored rather than recognised as a repeat."""
    stamp = str(int(time.time()))
    start = datetime.now(UTC).replace(microsecond=0)
    requests = []
    for number in range(count):
        body = json.dumps(
            {
                "event": "meeting.participant_joined",
                "event_ts": int(time.time() * 1000),
                "payload": {
                    "account_id": "bench-account",
                    "object": {
                        "id": LOAD_MEETING_ID,
                        "uuid": run,
                        "topic": "Benchmark — séance en direct",
                        "participant": {
                            "user_id": str(16_778_240 + number),
                            "user_name": f"Learner {number}",
                            "participant_uuid": f"{run}-{number}",
                            "registrant_id": f"bench-registrant-{number % 30}",
                            "email": f"learner{number % 30}@example.com",
                            "join_time": (start + timedelta(seconds=number)).strftime(
                                "%Y-%m-%dT%H:%M:%SZ"
                            ),
                        },
                    },
                },
            },
            ensure_ascii=False,
        )
        signature = hmac.new(
            secret.encode(), f"v0:{stamp}:{body}".encode(), hashlib.sha256
        ).hexdigest()
        requests.append(
            (
                "POST",
                WEBHOOK_PATH,
                "",
                body,
                f"x-zm-request-timestamp: {stamp}",
                f"x-zm-signature: v0={signature}",
            )
        )
    return requests


def new_run() -> str:
    """A meeting-instance uuid of its own for one run's webhook load."""
    return f"bench-{uuid.uuid4().hex}=="


def zoom_webhook_run_delete(run: str) -> int:
    """Remove what one run's webhook load stored (its events belong to no session)."""
    _total, by_model = ZoomEvent.objects.filter(payload__payload__object__uuid=run).delete()
    return by_model.get(ZoomEvent._meta.label, 0)


def attendance_compute_timings(cohort, *, repeats: int = 5) -> dict:
    """Milliseconds to compute the cohort's Zoom attendance (every session) from its stored
    participant events: from nothing (every record and audit row written) and again with
    nothing changed; median of `repeats`, each in a transaction rolled back."""
    sessions = list(cohort.sessions.filter(zoom_meeting_id__gt="").order_by("starts_at"))
    fresh, unchanged, queries = [], [], 0
    for _ in range(repeats):
        with transaction.atomic():
            AttendanceRecord.objects.filter(
                session__in=sessions, source=AttendanceRecord.Source.ZOOM
            ).delete()
            started = time.perf_counter()
            for session in sessions:
                zoom_attendance_compute(session=session)
            fresh.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as captured:
                for session in sessions:
                    zoom_attendance_compute(session=session)
            unchanged.append((time.perf_counter() - started) * 1000)
            queries = len(captured)
            transaction.set_rollback(True)
    learners = Enrollment.objects.filter(
        cohort=cohort, status__in=Enrollment.ACCESS_STATUSES
    ).count()
    return {
        "sessions": len(sessions),
        "learners": learners,
        "compute_ms": statistics.median(fresh),
        "recompute_ms": statistics.median(unchanged),
        "recompute_queries": queries,
    }


def attendance_grid_cost(cohort) -> dict:
    """SQL queries and milliseconds of the admin attendance grid for the cohort's
    specialist (a warm second request)."""
    client = Client()
    client.force_login(course_teacher(cohort.course))
    path = reverse("cohorts:attendance", args=[cohort.pk])
    with override_settings(ALLOWED_HOSTS=["testserver"]):
        client.get(path)
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(path)
            elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"The attendance grid answered {response.status_code}")
    return {"queries": len(captured), "ms": elapsed}
