"""Catalog reads: ETag / If-None-Match, and a shared cache that a change makes stale at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coursepages.models import CourseCategory
from coursepages.services import course_archive
from tests.factories import CourseFactory, build_course

pytestmark = pytest.mark.django_db

LIST = "/api/v1/courses/"


def test_catalog_reads_carry_an_etag_and_answer_304_when_it_matches(api_client):
    course = build_course()
    for url in (LIST, f"{LIST}{course.pk}/", f"{LIST}by-slug/{course.slug}/"):
        first = api_client.get(url)
        assert first.status_code == 200 and first["ETag"].startswith('W/"')
        again = api_client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304
        assert again.content == b""


def test_a_cached_read_touches_no_database(api_client, django_assert_num_queries):
    CourseFactory()
    first = api_client.get(LIST)
    with django_assert_num_queries(0):
        second = api_client.get(LIST)
    assert second.json() == first.json()


def test_each_host_gets_its_own_absolute_links(api_client):
    CourseFactory.create_batch(2)
    for host in ("localhost", "127.0.0.1", "localhost"):
        response = api_client.get(LIST, {"page_size": 1}, HTTP_HOST=host)
        assert response.status_code == 200
        assert response.json()["next"].startswith(f"http://{host}/api/v1/courses/?")


def test_publishing_a_course_shows_up_at_once_with_a_new_etag(api_client):
    CourseFactory(title="First")
    first = api_client.get(LIST)

    CourseFactory(title="Second")
    after = api_client.get(LIST, HTTP_IF_NONE_MATCH=first["ETag"])

    assert after.status_code == 200
    assert after["ETag"] != first["ETag"]
    assert {c["title"] for c in after.json()["results"]} == {"First", "Second"}


@pytest.mark.parametrize("change", ["archive", "unpublish", "edit", "category"])
def test_changes_to_a_course_invalidate_the_cached_catalog(api_client, editor, change):
    category = CourseCategory.objects.create(name="Data", slug="data")
    course = build_course(title="Original", category=category)
    detail = f"{LIST}{course.pk}/"
    api_client.get(LIST), api_client.get(detail)

    if change == "archive":
        course_archive(course=course, user=editor)
    elif change == "unpublish":
        course.unpublish()
    elif change == "edit":
        course.title = "Renamed"
        course.save_revision().publish()
    else:
        category.name = "Data science"
        category.save()

    listed = api_client.get(LIST).json()["results"]
    shown = api_client.get(detail)
    if change in ("archive", "unpublish"):
        assert listed == [] and shown.status_code == 404
    elif change == "edit":
        assert listed[0]["title"] == shown.json()["title"] == "Renamed"
    else:
        assert listed[0]["category"]["name"] == shown.json()["category"]["name"] == "Data science"


def test_error_responses_are_not_cached(api_client):
    first = api_client.get(f"{LIST}999999/")
    assert first.status_code == 404 and "ETag" not in first
    with CaptureQueriesContext(connection) as queries:
        assert api_client.get(f"{LIST}999999/").status_code == 404
    assert len(queries) > 0
