"""What an operator reads: a request id on every response and on every log line."""

import io
import json
import logging
import logging.config
import re
import uuid
from copy import deepcopy

import pytest
from django.conf import settings
from django.test import override_settings

pytestmark = pytest.mark.django_db

HEX_ID = re.compile(r"^[0-9a-f]{32}$")


def test_every_response_names_its_request(client):
    first = client.get("/api/v1/courses/")
    second = client.get("/api/v1/courses/")

    assert first.status_code == second.status_code == 200
    assert HEX_ID.match(first["X-Request-ID"])
    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_the_id_a_proxy_sent_is_kept(client):
    sent = uuid.uuid4().hex
    response = client.get("/api/v1/courses/", headers={"X-Request-ID": sent})
    assert response.status_code == 200
    assert response["X-Request-ID"] == sent


@pytest.mark.parametrize("sent", ["not-a-uuid", "<script>alert(1)</script>", "1" * 33])
def test_an_id_that_is_not_a_uuid_is_replaced(client, sent):
    response = client.get("/api/v1/courses/", headers={"X-Request-ID": sent})
    assert response.status_code == 200
    assert HEX_ID.match(response["X-Request-ID"])


@override_settings(CORS_ALLOWED_ORIGINS=["https://app.example.com"])
def test_a_frontend_on_another_origin_can_read_the_request_id(client):
    response = client.get("/api/v1/courses/", HTTP_ORIGIN="https://app.example.com")
    assert response.status_code == 200
    exposed = {h.strip() for h in response["Access-Control-Expose-Headers"].split(",")}
    assert {"X-Request-ID", "ETag", "Retry-After"} <= exposed


@pytest.fixture
def json_log():
    """The console handler as production configures it (LOG_FORMAT=json), into a buffer."""
    stream = io.StringIO()
    config = deepcopy(settings.LOGGING)
    config["handlers"]["console"].update(formatter="json", stream=stream)
    logging.config.dictConfig(config)
    yield stream
    logging.config.dictConfig(settings.LOGGING)


def test_log_lines_are_json_objects_naming_the_request(client, json_log):
    response = client.get("/api/v1/me/")
    assert response.status_code == 401

    lines = [json.loads(line) for line in json_log.getvalue().splitlines()]
    [refused] = [line for line in lines if line["logger"] == "django.request"]
    assert refused["level"] == "WARNING"
    assert refused["message"] == "Unauthorized: /api/v1/me/"
    assert refused["request_id"] == response["X-Request-ID"]
    assert set(refused) >= {"time", "level", "logger", "request_id", "message"}
