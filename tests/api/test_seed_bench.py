"""`manage.py seed_bench` builds a valid page tree the API serves like any other."""

import io

import pytest
from django.core.management import call_command
from wagtail.models import Page

from coursepages.models import CoursePage, LessonPage, ModulePage

pytestmark = pytest.mark.django_db


def test_seed_bench_builds_a_sound_tree_the_catalog_serves(api_client):
    out = io.StringIO()
    call_command("seed_bench", courses=3, modules=2, lessons=3, stdout=out)

    assert "Created 3 courses (27 pages)" in out.getvalue()
    assert all(problems == [] for problems in Page.find_problems())
    assert (CoursePage.objects.count(), ModulePage.objects.count(), LessonPage.objects.count()) == (
        3,
        6,
        18,
    )

    listing = api_client.get("/api/v1/courses/").json()
    assert listing["count"] == 3
    detail = api_client.get(f"/api/v1/courses/{listing['results'][0]['id']}/").json()
    assert [len(module["lessons"]) for module in detail["syllabus"]] == [3, 3]


def test_seed_bench_adds_to_an_existing_catalog(api_client):
    call_command("seed_bench", courses=2, modules=1, lessons=1, stdout=io.StringIO())
    call_command("seed_bench", courses=2, modules=1, lessons=1, stdout=io.StringIO())
    assert all(problems == [] for problems in Page.find_problems())
    assert api_client.get("/api/v1/courses/").json()["count"] == 4
