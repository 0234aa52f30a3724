"""Benchmark analytics on the benchmark data (`seed_bench --activity-days 365
--specialist-courses 50`): one day's snapshot of every course, a year's backfill, and, under
gunicorn driven by wrk as `bench_api` does, a course's 90-day analytics by day (as its
specialist and as staff) and the analytics of the specialist with the most courses, each
row also read against the one-SELECT view of the same run.

`--in-process` times the endpoints with Django's test client instead (no gunicorn, no wrk):
for the test that keeps this command working, not for figures to compare."""

import statistics
import time
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count
from django.test import Client
from django.test.utils import override_settings
from rest_framework_simplejwt.tokens import AccessToken

from analytics.definitions import utc_today
from analytics.snapshots import days_between, snapshot_day, snapshot_days
from bench.management.commands.bench_api import Command as BenchApi
from bench.management.commands.bench_api import Load, baseline_loads
from coursepages.models import CoursePage
from learning.models import Enrollment

STAFF = "bench-analytics-staff"
ONE_SELECT = "trivial view, one SELECT"
COURSE_SPECIALIST = "course analytics (specialist)"
COURSE_STAFF = "course analytics (staff)"
SPECIALIST = "specialist analytics"
# name: (p95 target in ms, query target), from PERFORMANCE.md
TARGETS = {COURSE_SPECIALIST: (50, 8), COURSE_STAFF: (50, 8), SPECIALIST: (100, None)}


class Command(BaseCommand):
    help = "Benchmark analytics: snapshots, backfill and the analytics endpoints."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=365, help="days to backfill")
        parser.add_argument("--window", type=int, default=90, help="days the API reads")
        parser.add_argument("--courses", type=int, default=200, help="courses the load cycles")
        parser.add_argument("--duration", type=int, default=10, help="seconds per endpoint")
        parser.add_argument("--connections", type=int, default=8)
        parser.add_argument("--threads", type=int, default=2)
        parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
        parser.add_argument("--port", type=int, default=8766)
        parser.add_argument(
            "--timeout", type=int, default=10, help="seconds before wrk gives up on an answer"
        )
        parser.add_argument(
            "--in-process", action="store_true", help="no gunicorn or wrk: the test client"
        )
        parser.add_argument("--requests", type=int, default=50, help="per endpoint, in-process")

    def handle(self, *args, **options):
        if not Enrollment.objects.filter(activated_at__isnull=False).exists():
            raise CommandError("No activity: run `manage.py seed_bench --activity-days 365`.")
        today = utc_today()
        self.stdout.write(
            f"{CoursePage.objects.count()} courses, {Enrollment.objects.count()} enrollments\n"
        )
        self.snapshots(today, options["days"])
        loads = self.loads(today, options["window"], options["courses"])
        api = BenchApi(stdout=self.stdout, stderr=self.stderr)
        # The most any of the first courses needs: a cohort course reads its cohorts too.
        queries = {
            load.name: max(
                api.count_queries(Load(load.name, [request])) for request in load.requests[:20]
            )
            for load in loads
        }
        rows = {}
        if options["in_process"]:
            for load in loads:
                rows[load.name] = self.in_process(load, options["requests"])
                api.print_row(load.name, queries[load.name], rows[load.name])
        else:
            with api.gunicorn(options["workers"], options["port"]):
                base = f"http://127.0.0.1:{options['port']}"
                for load in loads:
                    api.wrk(base, load, options, seconds=2)  # warm-up
                    rows[load.name] = api.wrk(base, load, options, seconds=options["duration"])
                    api.print_row(load.name, queries[load.name], rows[load.name])
        self.print_ratios(rows, queries)

    def snapshots(self, today, days):
        """(a) one day of every course, afresh and again; (b) `days` days, oldest first."""
        day = today - timedelta(days=1)
        started = time.perf_counter()
        result = snapshot_day(day)
        fresh = time.perf_counter() - started
        again = []
        for _ in range(3):
            started = time.perf_counter()
            snapshot_day(day)
            again.append(time.perf_counter() - started)
        self.stdout.write(
            f"snapshot of {day} ({result.courses} courses with activity, {result.revenue_rows} "
            f"revenue rows): {fresh * 1000:.0f} ms afresh, {statistics.median(again) * 1000:.0f} ms "
            f"again (median of 3); target < 2000 ms: "
            f"{'met' if max(fresh, *again) < 2 else 'MISSED'}"
        )
        started = time.perf_counter()
        results = snapshot_days(days_between(today - timedelta(days=days - 1), today))
        elapsed = time.perf_counter() - started
        course_days = sum(result.courses for result in results)
        target = "met" if elapsed < 180 else "MISSED"
        if days != 365:
            target = "n/a (the target is for 365 days)"
        self.stdout.write(
            f"backfill of {days} days: {elapsed:.1f} s ({course_days} course-days, "
            f"{elapsed / days * 1000:.0f} ms a day); target < 180 s for 365 days: {target}\n"
        )

    def loads(self, today, window_days, course_count):
        """The one-SELECT baseline, then each course's analytics as its specialist and as staff,
        and the specialist with the most courses."""
        window = f"from={today - timedelta(days=window_days - 1)}&to={today}"
        courses = list(
            CoursePage.objects.filter(enrollments__isnull=False, instructor__isnull=False)
            .distinct()
            .order_by("?")
            .values_list("pk", "instructor")[:course_count]
        )
        if not courses:
            raise CommandError("No course with learners: run `manage.py seed_bench` first.")
        users = get_user_model().objects.in_bulk({instructor for _, instructor in courses})
        tokens = {pk: str(AccessToken.for_user(user)) for pk, user in users.items()}
        staff, _ = get_user_model().objects.get_or_create(
            username=STAFF, defaults={"email": f"{STAFF}@example.com", "is_staff": True}
        )
        staff_token = str(AccessToken.for_user(staff))
        path = "/api/v1/courses/{}/analytics/?" + window + "&granularity=day"
        top = (
            CoursePage.objects.exclude(instructor=None)
            .values("instructor")
            .annotate(courses=Count("pk"))
            .order_by("-courses")
            .first()
        )
        specialist = users.get(top["instructor"]) or get_user_model().objects.get(
            pk=top["instructor"]
        )
        self.stdout.write(
            f"{window_days}-day window ({window}); course analytics over {len(courses)} courses; "
            f"specialist analytics of {specialist.username} ({top['courses']} courses)\n"
        )
        return [
            baseline_loads()[1],
            Load(
                COURSE_SPECIALIST,
                [("GET", path.format(pk), tokens[instructor], "") for pk, instructor in courses],
            ),
            Load(COURSE_STAFF, [("GET", path.format(pk), staff_token, "") for pk, _ in courses]),
            Load(
                SPECIALIST,
                [
                    (
                        "GET",
                        f"/api/v1/specialist/analytics/?{window}",
                        str(AccessToken.for_user(specialist)),
                        "",
                    )
                ],
            ),
        ]

    def in_process(self, load, count):
        """Time `count` requests of the load with the test client, one at a time."""
        millis, failed = [], 0
        with override_settings(ROOT_URLCONF="bench.urls", ALLOWED_HOSTS=["testserver"]):
            for number in range(count):
                _method, path, token, _body = load.requests[number % len(load.requests)]
                client = Client(headers={"Authorization": f"Bearer {token}"} if token else {})
                started = time.perf_counter()
                response = client.get(path)
                millis.append((time.perf_counter() - started) * 1000)
                failed += response.status_code >= 300
        quantiles = statistics.quantiles(millis, n=100) if len(millis) > 1 else millis * 99
        return {
            "rps": count / (sum(millis) / 1000),
            "p50_ms": statistics.median(millis),
            "p95_ms": quantiles[94],
            "p99_ms": quantiles[98],
            "errors": 0,
            "non_2xx": failed,
        }

    def print_ratios(self, rows, queries):
        base = rows[ONE_SELECT]
        self.stdout.write("\nAgainst the one-SELECT view in this run, and the targets:")
        for name, (p95_target, query_target) in TARGETS.items():
            row = rows[name]
            met = row["p95_ms"] < p95_target and not (row["errors"] or row["non_2xx"])
            if query_target is not None:
                met = met and queries[name] <= query_target
            queries_text = f", ≤ {query_target} queries" if query_target else ""
            self.stdout.write(
                f"  {name:<32} p50 {row['p50_ms'] / base['p50_ms']:>5.1f}× its p50, "
                f"throughput {row['rps'] / base['rps']:>5.1%} of it; "
                f"target p95 < {p95_target} ms{queries_text}: {'met' if met else 'MISSED'}"
            )
