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
