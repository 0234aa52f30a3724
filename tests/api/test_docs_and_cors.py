"""The API documents itself from local assets and answers browsers of configured frontends."""

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


def test_docs_page_uses_local_assets_only(client):
    response = client.get("/api/v1/docs/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in page
    assert "cdn" not in page.lower()


def test_schema_is_served_as_openapi_3(client):
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/courses/" in schema["paths"]
    assert "Problem" in schema["components"]["schemas"]


@override_settings(CORS_ALLOWED_ORIGINS=["https://app.example.com"])
def test_configured_frontend_origin_may_call_the_api(client):
    response = client.get("/api/v1/courses/", HTTP_ORIGIN="https://app.example.com")
    assert response["Access-Control-Allow-Origin"] == "https://app.example.com"
    assert "ETag" in response["Access-Control-Expose-Headers"]


@override_settings(CORS_ALLOWED_ORIGINS=["https://app.example.com"])
def test_other_origins_get_no_cors_grant(client):
    response = client.get("/api/v1/courses/", HTTP_ORIGIN="https://evil.example.net")
    assert "Access-Control-Allow-Origin" not in response


@override_settings(CORS_ALLOWED_ORIGINS=["https://app.example.com"])
def test_a_preflight_allows_every_header_the_api_documents(client):
    response = client.options(
        "/api/v1/enrollments/",
        HTTP_ORIGIN="https://app.example.com",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, content-type, idempotency-key",
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "https://app.example.com"
    allowed = {name.strip() for name in response["Access-Control-Allow-Headers"].split(",")}
    assert {"authorization", "content-type", "idempotency-key", "if-none-match"} <= allowed
    assert "POST" in response["Access-Control-Allow-Methods"]


@override_settings(CORS_ALLOWED_ORIGINS=["https://app.example.com"])
def test_a_frontend_may_read_every_header_the_api_documents(client):
    response = client.get("/api/v1/courses/", HTTP_ORIGIN="https://app.example.com")
    assert response.status_code == 200
    exposed = {name.strip() for name in response["Access-Control-Expose-Headers"].split(",")}
    assert exposed == {
        "ETag", "Retry-After", "X-Request-ID", "Idempotent-Replayed", "Content-Disposition",
    }  # fmt: skip


@override_settings(CORS_ALLOWED_ORIGINS=["https://app.example.com"])
def test_a_preflight_from_another_origin_is_granted_nothing(client):
    response = client.options(
        "/api/v1/enrollments/",
        HTTP_ORIGIN="https://evil.example.net",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="idempotency-key",
    )
    assert response.status_code == 200  # answered, but the browser is granted nothing
    assert "Access-Control-Allow-Origin" not in response
    assert "Access-Control-Allow-Headers" not in response
