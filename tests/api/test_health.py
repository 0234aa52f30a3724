"""GET /api/v1/health/ reports the database and the broker."""

import pytest
from django.db import OperationalError, connection

pytestmark = pytest.mark.django_db

URL = "/api/v1/health/"


def test_healthy_when_database_and_broker_answer(client):
    response = client.get(URL)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["broker"]["status"] == "ok"


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
