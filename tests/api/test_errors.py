"""Every error the API returns is an RFC 9457 problem with a stable code."""

import json

import pytest
from django.db import connection

from tests.api_helpers import assert_problem

pytestmark = pytest.mark.django_db


def test_unknown_endpoint_is_a_404_problem(client):
    assert_problem(client.get("/api/v1/no-such-thing/"), 404, "not_found")


def test_wrong_method_is_a_405_problem(api_client):
    assert_problem(api_client.delete("/api/v1/courses/"), 405, "method_not_allowed")


def test_malformed_json_is_a_400_problem(api_client):
    response = api_client.post(
        "/api/v1/auth/register/", data="{not json", content_type="application/json"
    )
    assert_problem(response, 400, "parse_error")


@pytest.mark.parametrize("path", ["/api/v1/auth/token/", "/api/v1/enrollments/"])
def test_json_nested_thousands_deep_is_a_400_problem(api_client, learner, path):
    api_client.force_authenticate(learner)
    deep = "[" * 5000 + "]" * 5000
    body = assert_problem(
        api_client.post(path, data=deep, content_type="application/json"), 400, "parse_error"
    )
    assert "nested too deeply" in body["detail"]


def test_a_body_over_the_upload_limit_is_a_413_problem(api_client, settings):
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    fits = json.dumps({"email": "a@example.com", "password": ""})
    fits = fits.replace('""', '"' + "x" * (limit - len(fits)) + '"')
    assert len(fits) == limit  # exactly at the limit: read, and refused for what it says
    assert (
        api_client.post(
            "/api/v1/auth/token/", data=fits, content_type="application/json"
        ).status_code
        == 401
    )
    over = fits.replace('"x', '"xx', 1)
    body = assert_problem(
        api_client.post("/api/v1/auth/token/", data=over, content_type="application/json"),
        413,
        "payload_too_large",
    )
    assert body["detail"] == "The request body is over 2560 KiB, the most the API reads."


@pytest.mark.parametrize(("length", "status"), [(254, 401), (255, 400), (1024 * 1024, 400)])
def test_sign_in_refuses_an_e_mail_longer_than_any_address(api_client, length, status):
    email = "a" * (length - len("@example.com")) + "@example.com"
    response = api_client.post("/api/v1/auth/token/", {"email": email, "password": "x"})
    if status == 400:
        assert assert_problem(response, 400, "invalid")["errors"]["email"]
    else:
        assert_problem(response, 401, "no_active_account")


def test_unsupported_media_type_is_a_415_problem(api_client):
    response = api_client.post("/api/v1/auth/register/", data="email=a", content_type="text/plain")
    assert_problem(response, 415, "unsupported_media_type")


def test_validation_errors_list_messages_per_field(api_client):
    body = assert_problem(
        api_client.get("/api/v1/courses/", {"difficulty": "expert", "page_size": 500}),
        400,
        "invalid",
    )
    assert set(body["errors"]) == {"difficulty", "page_size"}
    assert all(isinstance(m, str) for messages in body["errors"].values() for m in messages)


def test_unexpected_failure_is_a_500_problem_that_reveals_nothing(client):
    def explode(execute, sql, params, many, context):
        raise RuntimeError("disk on fire: /var/lib/secret")

    with connection.execute_wrapper(explode):
        response = client.get("/api/v1/courses/")

    body = assert_problem(response, 500, "server_error")
    assert "secret" not in response.content.decode()
    assert "logged" in body["detail"]


def test_unknown_endpoint_answers_404_to_a_post_with_a_session_cookie(client, learner):
    client.force_login(learner)
    assert_problem(client.post("/api/v1/enrollments/1/lessons/x/complete/"), 404, "not_found")


def test_every_problem_type_uri_answers_with_what_its_code_means(client, api_client):
    taken = api_client.post(
        "/api/v1/auth/register/",
        {"email": "a@example.com", "password": "a-long-unusual-passphrase"},
    )
    assert taken.status_code == 201
    again = api_client.post(
        "/api/v1/auth/register/",
        {"email": "a@example.com", "password": "a-long-unusual-passphrase"},
    )
    problem = assert_problem(again, 409, "email_taken")

    page = client.get(problem["type"])
    assert page.status_code == 200 and page["Content-Type"].startswith("text/html")
    html = page.content.decode()
    assert f"<h1>{problem['title']}</h1>" in html and "<code>email_taken</code>" in html
    for code in ("idempotency_key_reused", "no_active_account", "payload_too_large"):
        assert client.get(f"/api/v1/errors/{code}/").status_code == 200, code


def test_an_unknown_problem_type_is_a_404_problem(client):
    assert_problem(client.get("/api/v1/errors/no_such_code/"), 404, "not_found")
