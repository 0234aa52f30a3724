"""Liveness and readiness checks for load balancers and orchestrators."""

import time

from django.conf import settings
from django.db import connection
from kombu import Connection

BROKER_TIMEOUT_SECONDS = 2


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


def health_report():
    """Overall status plus each dependency's; "unavailable" when the database is down."""
    checks = {"database": database_status(), "broker": broker_status()}
    if checks["database"]["status"] != "ok":
        status = "unavailable"
    elif checks["broker"]["status"] != "ok":
        status = "degraded"
    else:
        status = "ok"
    return {"status": status, "checks": checks}
