"""Redis down (the cache points at a port nobody listens on): the catalog, sign-in and
registration still answer, uncached; health says the cache is unavailable; and the process
stops trying Redis for a few seconds after a failure instead of on every operation."""

import logging

import pytest

from tests.factories import CourseFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "config.cache.ForgivingRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }


def test_the_catalog_answers_uncached_and_untagged(
    api_client, redis_down, django_assert_max_num_queries
):
    course = CourseFactory(title="Charts That Tell the Truth")
    for url in ("/api/v1/courses/", f"/api/v1/courses/{course.pk}/"):
        response = api_client.get(url)
        assert response.status_code == 200
        assert "ETag" not in response  # no version to tag it with: never a wrong 304
    assert [row["title"] for row in api_client.get("/api/v1/courses/").json()["results"]] == [
        "Charts That Tell the Truth"
    ]


def test_sign_up_and_sign_in_still_work(api_client, redis_down):
    registered = api_client.post(
        "/api/v1/auth/register/",
        {"email": "ada@example.com", "password": "a-long-unusual-passphrase"},
    )
    assert registered.status_code == 201
    signed_in = api_client.post(
        "/api/v1/auth/token/",
        {"email": "ada@example.com", "password": "a-long-unusual-passphrase"},
    )
    assert signed_in.status_code == 200 and signed_in.json()["access"]


def test_health_reports_the_cache_down_and_keeps_serving(client, redis_down):
    response = client.get("/api/v1/health/")
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["checks"]["cache"] == {"status": "unavailable", "error": "CacheNotKept"}


def test_a_failure_is_not_retried_on_every_operation(api_client, redis_down, caplog):
    UserFactory()
    with caplog.at_level(logging.WARNING, logger="config.cache"):
        for _ in range(3):
            assert api_client.get("/api/v1/courses/").status_code == 200
    warnings = [r for r in caplog.records if r.name == "config.cache"]
    assert len(warnings) == 1
    assert (
        warnings[0].getMessage()
        == "Cache unavailable (ConnectionError): answering as a miss for 5 s"
    )
