"""Benchmark the catalog API under gunicorn, next to Wagtail's API v2 on the same data.

Starts gunicorn (sync workers) on loopback with config.settings.bench, drives each
endpoint with wrk at a fixed concurrency, and prints requests/s, p50/p95/p99
latency and SQL queries per request. Needs wrk (`apt-get install wrk`) and a
catalog (`manage.py seed_bench`); PostgreSQL and Redis for meaningful numbers.
"""

import json
import os
import secrets
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from coursepages.catalog import catalog_changed, published_courses

LUA = Path(settings.BASE_DIR) / "bench" / "report.lua"
WAGTAIL = "/bench/wagtail-api/v2/pages/?type=coursepages.CoursePage&fields=summary,price,difficulty,rating_average&limit=20"


class Command(BaseCommand):
    help = "Load-test the catalog API under gunicorn and print throughput, latency and queries."

    def add_arguments(self, parser):
        parser.add_argument("--duration", type=int, default=10, help="seconds per endpoint")
        parser.add_argument("--connections", type=int, default=8)
        parser.add_argument("--threads", type=int, default=2)
        parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
        parser.add_argument("--port", type=int, default=8765)
        parser.add_argument("--search", default="python", help="a common word to search for")
        parser.add_argument("--rare", default="zymurgy", help="a word few courses contain")
        parser.add_argument(
            "--skip-wagtail", action="store_true", help="leave out Wagtail's API v2 reference"
        )

    def handle(self, *args, **options):
        if not shutil.which("wrk"):
            raise CommandError("wrk is not installed (Debian: apt-get install wrk).")
        courses = published_courses().count()
        if courses == 0:
            raise CommandError("The catalog is empty: run `manage.py seed_bench` first.")
        ids = list(published_courses().order_by("?").values_list("pk", flat=True)[:200])
        endpoints = self.endpoints(ids, options["search"], options["rare"], options["skip_wagtail"])

        self.stdout.write(
            f"{courses} published courses on {connection.vendor}; cache: "
            f"{settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}; "
            f"{options['workers']} gunicorn workers, wrk {options['threads']} threads × "
            f"{options['connections']} connections, {options['duration']}s each\n"
        )
        queries = {name: self.count_queries(paths, fresh) for name, paths, fresh in endpoints}
        with self.gunicorn(options["workers"], options["port"]):
            base = f"http://127.0.0.1:{options['port']}"
            rows = []
            for name, paths, fresh in endpoints:
                self.wrk(base, paths, fresh, options, seconds=2)  # warm-up
                result = self.wrk(base, paths, fresh, options, seconds=options["duration"])
                rows.append((name, queries[name], result))
                self.print_row(name, queries[name], result)
        self.print_ratios(rows)

    def endpoints(self, ids, search, rare, skip_wagtail):
        """(name, paths, fresh): fresh=True makes every URL unique, so caches cannot answer."""
        details = [f"/api/v1/courses/{pk}/" for pk in ids]
        found = [
            ("trivial view, no DB", ["/bench/trivial/"], False),
            ("trivial view, one SELECT", ["/bench/one-select/"], False),
            ("catalog list", ["/api/v1/courses/"], True),
            ("catalog list, filtered", ["/api/v1/courses/?difficulty=beginner"], True),
            ("catalog list, ordered by rating", ["/api/v1/courses/?ordering=-rating"], True),
            ("catalog full-text search", [f"/api/v1/courses/?search={search}"], True),
            ("catalog search, rare word", [f"/api/v1/courses/?search={rare}"], True),
            ("course detail", details, True),
            ("catalog list, shared cache hit", ["/api/v1/courses/"], False),
            ("course detail, shared cache hit", details, False),
        ]
        if not skip_wagtail:
            found += [
                ("Wagtail API v2 list", [WAGTAIL], False),
                ("Wagtail API v2 filtered", [f"{WAGTAIL}&difficulty=beginner"], False),
                ("Wagtail API v2 ordered", [f"{WAGTAIL}&order=-rating_average"], False),
                ("Wagtail API v2 search", [f"{WAGTAIL}&search={search}"], False),
                ("Wagtail API v2 search, rare word", [f"{WAGTAIL}&search={rare}"], False),
                (
                    "Wagtail API v2 detail",
                    [f"/bench/wagtail-api/v2/pages/{pk}/" for pk in ids],
                    False,
                ),
            ]
        return found

    def count_queries(self, paths, fresh):
        """SQL queries for one request, measured in-process on a cold (fresh) or warm cache."""
        if paths[0].startswith("/bench/"):
            return "n/a"
        client = Client()
        with override_settings(ROOT_URLCONF="bench.urls", ALLOWED_HOSTS=["testserver"]):
            if fresh:
                catalog_changed()
            else:
                client.get(paths[0])
            with CaptureQueriesContext(connection) as captured:
                response = client.get(paths[0])
        if response.status_code != 200:
            raise CommandError(f"{paths[0]} answered {response.status_code}")
        return len(captured)

    def gunicorn(self, workers, port):
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.bench",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": os.environ.get("DATABASE_URL", ""),
            "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
            "EMAIL_URL": "consolemail://",
            "CACHE_KEY_PREFIX": f"bench-{secrets.token_hex(4)}",
            "CERTIFICATE_SIGNING_KEY": _throwaway_signing_key(),
        }
        if not env["DATABASE_URL"]:
            raise CommandError("Set DATABASE_URL to the database that holds the benchmark catalog.")
        return _Server(
            [sys.executable, "-m", "gunicorn", "config.wsgi", "--workers", str(workers),
             "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
            env, f"http://127.0.0.1:{port}/bench/trivial/",
        )  # fmt: skip

    def wrk(self, base, paths, fresh, options, seconds):
        env = {**os.environ, "BENCH_PATHS": "|".join(paths), "BENCH_UNIQUE": "1" if fresh else "0"}
        command = [
            "wrk", f"-t{options['threads']}", f"-c{options['connections']}", f"-d{seconds}s",
            "--latency", "-s", str(LUA), base + paths[0],
        ]  # fmt: skip
        output = subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout
        result = json.loads(output.strip().splitlines()[-1])
        result["rps"] = result["requests"] / result["seconds"]
        return result

    def print_row(self, name, queries, r):
        flag = (
            ""
            if not (r["errors"] or r["non_2xx"])
            else f"  ({r['errors']} errors, {r['non_2xx']} non-2xx)"
        )
        self.stdout.write(
            f"{name:<34} {queries!s:>7} queries {r['rps']:>8.0f} req/s  "
            f"p50 {r['p50_ms']:>6.1f}  p95 {r['p95_ms']:>6.1f}  p99 {r['p99_ms']:>6.1f} ms{flag}"
        )

    def print_ratios(self, rows):
        rps = {name: result["rps"] for name, _, result in rows}
        pairs = [
            ("catalog list", "Wagtail API v2 list"),
            ("catalog list, filtered", "Wagtail API v2 filtered"),
            ("catalog list, ordered by rating", "Wagtail API v2 ordered"),
            ("catalog full-text search", "Wagtail API v2 search"),
            ("catalog search, rare word", "Wagtail API v2 search, rare word"),
            ("course detail", "Wagtail API v2 detail"),
        ]
        if all(b in rps for _, b in pairs):
            self.stdout.write("\nThroughput against Wagtail API v2 in this run:")
            for ours, theirs in pairs:
                self.stdout.write(f"  {ours:<34} {rps[ours] / rps[theirs]:>5.1f}×")


class _Server:
    """gunicorn as a context manager: started, waited for, stopped."""

    def __init__(self, command, env, ready_url):
        self.command, self.env, self.ready_url = command, env, ready_url

    def __enter__(self):
        self.process = subprocess.Popen(self.command, env=self.env)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.ready_url, timeout=1)
                return self
            except OSError:
                if self.process.poll() is not None:
                    raise CommandError("gunicorn exited during start-up") from None
                time.sleep(0.2)
        self.process.terminate()
        raise CommandError("gunicorn did not answer within 30 seconds")

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=30)


def _throwaway_signing_key():
    """Production settings require a credential-signing key; a benchmark run signs nothing."""
    return (
        ec.generate_private_key(ec.SECP256R1())
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode()
    )
