"""GET /api/v1/health/ reports the database, the cache, file storage, the broker and the
workers: 503 only without the database, "degraded" without any of the others."""

import time

import pytest
from django.core.cache import cache
from django.db import OperationalError, connection

from api.platform.checks import HEARTBEAT_KEY
from api.tasks import record_worker_heartbeat

pytestmark = pytest.mark.django_db

URL = "/api/v1/health/"


def test_healthy_when_database_and_broker_answer(client):
    response = client.get(URL)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "storage", "broker", "worker"}
    assert {check["status"] for check in body["checks"].values()} == {"ok"}
    assert body["checks"]["worker"]["detail"] == "no worker: tasks run in the web process"


def test_503_when_the_database_is_unreachable(client):
    def refuse(execute, sql, params, many, context):
        raise OperationalError("connection refused")

    with connection.execute_wrapper(refuse):
        response = client.get(URL)

    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert response.json()["checks"]["database"] == {
        "status": "unavailable",
        "error": "OperationalError",
    }


def test_degraded_but_serving_when_the_broker_is_unreachable(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1

    response = client.get(URL)

    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["checks"]["broker"]["status"] == "unavailable"


def test_degraded_when_the_cache_is_unreachable(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        }
    }

    response = client.get(URL)

    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["checks"]["cache"] == {
        "status": "unavailable",
        "error": "ConnectionError",
    }


def test_degraded_when_files_cannot_be_stored(client, settings, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(blocker / "media")},
        },
    }

    response = client.get(URL)

    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["checks"]["storage"]["status"] == "unavailable"


def test_the_probe_file_does_not_stay(client, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    assert client.get(URL).json()["checks"]["storage"]["status"] == "ok"
    assert [path for path in tmp_path.rglob("*") if path.is_file()] == []


def test_workers_are_known_by_their_heartbeat_for_two_minutes(client, settings, monkeypatch):
    settings.CELERY_TASK_ALWAYS_EAGER = False  # as in production: tasks go to workers
    cache.delete(HEARTBEAT_KEY)
    worker = client.get(URL).json()
    assert worker["status"] == "degraded"
    assert worker["checks"]["worker"] == {"status": "unavailable", "error": "NoWorkerHeartbeat"}

    beat_at = time.time()
    monkeypatch.setattr(time, "time", lambda: beat_at)
    record_worker_heartbeat.apply()  # what a worker runs when beat asks
    monkeypatch.setattr(time, "time", lambda: beat_at + 120)
    answer = client.get(URL).json()
    assert answer["status"] == "ok"
    assert answer["checks"]["worker"]["detail"] == "a worker ran a task 120 s ago"

    monkeypatch.setattr(time, "time", lambda: beat_at + 120.5)
    assert client.get(URL).json()["checks"]["worker"]["status"] == "unavailable"
