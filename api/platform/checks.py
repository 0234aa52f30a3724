"""Liveness and readiness checks for load balancers and orchestrators: the database (without
it nothing works: 503), and the cache, file storage, broker and workers (without any of them
the API still answers, in part: "degraded")."""

import time

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from kombu import Connection

BROKER_TIMEOUT_SECONDS = 2
CACHE_PROBE_KEY = "health:probe"
STORAGE_PROBE_NAME = "health/probe.txt"
# A worker runs `api.tasks.record_worker_heartbeat` whenever beat asks (every 30 s); without a
# heartbeat this recent, no worker is taking tasks (or beat is not sending them).
HEARTBEAT_KEY = "health:worker-heartbeat"
HEARTBEAT_MAX_AGE_SECONDS = 120


class CacheNotKept(Exception):
    pass


class NoWorkerHeartbeat(Exception):
    pass


def _timed(check):
    started = time.perf_counter()
    try:
        detail = check()
    except Exception as error:  # noqa: BLE001 - any failure means "unavailable", reported below
        return {"status": "unavailable", "error": error.__class__.__name__}
    result = {"status": "ok", "latency_ms": round((time.perf_counter() - started) * 1000, 1)}
    if detail:
        result["detail"] = detail
    return result


def _query_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _reach_broker():
    with Connection(settings.CELERY_BROKER_URL, connect_timeout=BROKER_TIMEOUT_SECONDS) as broker:
        broker.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT_SECONDS)


def _use_cache():
    cache.set(CACHE_PROBE_KEY, "ok", 10)
    if cache.get(CACHE_PROBE_KEY) != "ok":
        raise CacheNotKept


def _use_storage():
    default_storage.delete(default_storage.save(STORAGE_PROBE_NAME, ContentFile(b"ok")))


def _worker_heartbeat():
    beat = cache.get(HEARTBEAT_KEY)
    age = None if beat is None else time.time() - beat
    if age is None or age > HEARTBEAT_MAX_AGE_SECONDS:
        raise NoWorkerHeartbeat
    return f"a worker ran a task {round(age)} s ago"


def database_status():
    try:
        return _timed(_query_database)
    finally:
        # A failed query can leave the connection unusable for the rest of the request.
        if connection.errors_occurred:
            connection.close_if_unusable_or_obsolete()


def broker_status():
    if settings.CELERY_BROKER_URL.startswith("memory://"):
        return {"status": "ok", "detail": "no broker: tasks run in the web process"}
    return _timed(_reach_broker)


def worker_status():
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return {"status": "ok", "detail": "no worker: tasks run in the web process"}
    return _timed(_worker_heartbeat)


def health_report():
    """Overall status plus each dependency's: "unavailable" when the database is down,
    "degraded" when anything else is."""
    checks = {
        "database": database_status(),
        "cache": _timed(_use_cache),
        "storage": _timed(_use_storage),
        "broker": broker_status(),
        "worker": worker_status(),
    }
    if checks["database"]["status"] != "ok":
        status = "unavailable"
    elif any(check["status"] != "ok" for check in checks.values()):
        status = "degraded"
    else:
        status = "ok"
    return {"status": status, "checks": checks}
