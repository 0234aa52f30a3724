"""Benchmark outbound webhooks: what the outbox adds to an enrollment (SQL queries and p95
milliseconds, with three endpoints subscribed, against no receivers connected), and
deliveries per second to a receiver on loopback with worker processes claiming and sending.

Both are also read against the one-SELECT view of the same run (gunicorn and wrk, as
`bench_api` measures it), the machine's pace: the targets (3 ms, 200 deliveries/s) are for the
machine of PERFORMANCE.md, where that view answers in 2.5 ms at the median, 3,042 times a
second. `--no-pace` leaves that out (no gunicorn or wrk: for the test that keeps this working).

Leaves nothing behind: enrollments are rolled back, the bench endpoint and its events are
deleted. Needs PostgreSQL for the worker processes (they share the database)."""

import multiprocessing
import statistics
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from bench.management.commands.bench_api import Command as BenchApi
from bench.management.commands.bench_api import baseline_loads
from coursepages.models import CoursePage, CourseType
from integrations import receivers
from integrations.delivery import deliveries_claim_due, delivery_send
from integrations.models import Delivery, Endpoint, Event
from integrations.outbox import event_body, new_webhook_id
from integrations.signing import new_secret
from integrations.subscriptions import subscriptions
from learning.events import enrollment_activated, enrollment_created
from learning.services import enrollment_create

User = get_user_model()
# The one-SELECT view on the reference machine, and the targets there (PERFORMANCE.md).
REFERENCE_P50_MS, REFERENCE_RPS = 2.5, 3042
TARGET_MS, TARGET_DELIVERIES = 3, 200


class _Receiver(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        self.rfile.read(int(self.headers.get("content-length", 0)))
        self.send_response(204)
        self.send_header("content-length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def _work():
    """One worker process: claim due deliveries and send them until none is left."""
    connections.close_all()
    while claimed := deliveries_claim_due(limit=20):
        for delivery_id, claim in claimed:
            delivery_send(delivery_id=delivery_id, claim=claim)


def _p95(values):
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


class Command(BaseCommand):
    help = "Benchmark webhooks: the outbox's cost per enrollment, and deliveries per second."

    def add_arguments(self, parser):
        parser.add_argument("--enrollments", type=int, default=400)
        parser.add_argument("--deliveries", type=int, default=2000)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--port", type=int, default=8767)
        parser.add_argument(
            "--no-pace", action="store_true", help="no one-SELECT view to read the rows against"
        )

    def handle(self, *args, enrollments, deliveries, workers, **options):
        course = CoursePage.objects.filter(
            live=True, listed=True, price=0, course_type=CourseType.SELF_PACED
        ).first()
        if course is None:
            raise CommandError(
                "No free self-paced listed course: run seed_bench (or seed_demo) first."
            )
        pace = None if options["no_pace"] else self.pace(options["port"])
        with override_settings(WEBHOOKS_ALLOW_PRIVATE_TARGETS=True, WEBHOOKS_ALLOW_HTTP=True):
            p95_delta = self.outbox_cost(course, enrollments)
            if pace:
                ratio, target = p95_delta / pace["p50_ms"], TARGET_MS / REFERENCE_P50_MS
                self.stdout.write(
                    f"  outbox p95 +{p95_delta:.1f} ms = {ratio:.2f}× the one-SELECT view's p50 "
                    f"(target ≤ {target:.2f}×, as {TARGET_MS} ms is on the reference machine): "
                    f"{'met' if ratio <= target else 'MISSED'}"
                )
            if connection.vendor != "postgresql":
                self.stdout.write("deliveries/s: skipped (worker processes need PostgreSQL)")
                return
            per_second = self.throughput(deliveries, workers)
            if pace:
                ratio, target = per_second / pace["rps"], TARGET_DELIVERIES / REFERENCE_RPS
                self.stdout.write(
                    f"  {per_second:.0f} deliveries/s = {ratio:.1%} of the one-SELECT view's "
                    f"req/s (target ≥ {target:.1%}, as {TARGET_DELIVERIES}/s is on the reference "
                    f"machine): {'met' if ratio >= target else 'MISSED'}"
                )

    def pace(self, port):
        """The one-SELECT view under wrk, as `bench_api` runs it: the machine's pace now."""
        api = BenchApi(stdout=self.stdout, stderr=self.stderr)
        load = baseline_loads()[1]
        options = {"threads": 2, "connections": 8, "timeout": 10}
        with api.gunicorn(2, port):
            base = f"http://127.0.0.1:{port}"
            api.wrk(base, load, options, seconds=2)  # warm-up
            result = api.wrk(base, load, options, seconds=5)
        api.print_row(load.name, "n/a", result)
        return result

    def enroll_timed(self, course, number, *, emitting):
        """One enrollment, rolled back: (queries, milliseconds), with the outbox's receivers
        connected or not."""
        signals = (enrollment_created, enrollment_activated)
        if not emitting:
            for signal in signals:
                signal.disconnect(receivers._emit_enrollment)
        try:
            with transaction.atomic():
                learner = User.objects.create(username=f"bench-hooks-{time.time_ns()}-{number}")
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    enrollment_create(learner=learner, course=course)
                    elapsed = (time.perf_counter() - started) * 1000
                transaction.set_rollback(True)
        finally:
            if not emitting:
                for signal in signals:
                    signal.connect(receivers._emit_enrollment)
        return len(captured), elapsed

    def outbox_cost(self, course, count):
        """Enrollments with and without the outbox, alternated, so that whatever slows the
        machine during the run weighs on both sides alike."""
        creator = User.objects.filter(is_staff=True).first() or User.objects.first()
        endpoints = [
            Endpoint.objects.create(
                created_by=creator, url=f"http://127.0.0.1:9/{n}", secret="whsec_x"
            )
            for n in range(3)
        ]
        runs = {False: ([], []), True: ([], [])}
        try:
            subscriptions()  # a running site has them cached: endpoints change rarely
            for number in range(count):
                for emitting in (False, True):
                    queries, millis = self.enroll_timed(course, number, emitting=emitting)
                    runs[emitting][0].append(queries)
                    runs[emitting][1].append(millis)
        finally:
            Endpoint.objects.filter(pk__in=[endpoint.pk for endpoint in endpoints]).delete()
        (base_queries, base_millis), (queries, millis) = runs[False], runs[True]
        base_p95, p95 = _p95(base_millis), _p95(millis)
        base_p50, p50 = statistics.median(base_millis), statistics.median(millis)
        extra = statistics.median(queries) - statistics.median(base_queries)
        self.stdout.write(
            f"enrollment without outbox: {statistics.median(base_queries):g} queries, "
            f"p50 {base_p50:.1f} ms, p95 {base_p95:.1f} ms\n"
            f"enrollment with 3 endpoints: {statistics.median(queries):g} queries, "
            f"p50 {p50:.1f} ms, p95 {p95:.1f} ms\n"
            f"outbox cost: +{extra:g} queries, p50 +{p50 - base_p50:.1f} ms, "
            f"p95 +{p95 - base_p95:.1f} ms"
        )
        return p95 - base_p95

    def throughput(self, count, workers):
        server = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        creator = User.objects.filter(is_staff=True).first() or User.objects.first()
        endpoint = Endpoint.objects.create(
            created_by=creator,
            url=f"http://127.0.0.1:{server.server_address[1]}/hooks",
            secret=new_secret(),
            description="bench_webhooks",
        )
        try:
            events = Event.objects.bulk_create(
                Event(type="enrollment.created", body=event_body("enrollment.created", {"id": n}))
                for n in range(count)
            )
            Delivery.objects.bulk_create(
                Delivery(
                    event=event,
                    endpoint=endpoint,
                    webhook_id=new_webhook_id(),
                    next_attempt_at=timezone.now(),
                )
                for event in events
            )
            connections.close_all()
            context = multiprocessing.get_context("fork")
            started = time.perf_counter()
            processes = [context.Process(target=_work) for _ in range(workers)]
            for process in processes:
                process.start()
            for process in processes:
                process.join()
            elapsed = time.perf_counter() - started
            succeeded = endpoint.deliveries.filter(status=Delivery.Status.SUCCEEDED).count()
            self.stdout.write(
                f"deliveries: {succeeded}/{count} succeeded with {workers} worker processes "
                f"in {elapsed:.2f} s: {succeeded / elapsed:.0f} deliveries/s"
            )
            return succeeded / elapsed
        finally:
            Event.objects.filter(deliveries__endpoint=endpoint).delete()
            endpoint.delete()
            server.shutdown()
