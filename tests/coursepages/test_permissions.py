"""Specialists work on their own courses only and cannot publish; editors can do both."""

import pytest
from wagtail.test.utils.form_data import querydict_from_html

from coursepages.models import CoursePage, ModulePage
from tests.admin_helpers import assert_refused, edit_form_data, messages_of
from tests.factories import CourseFactory, build_course

pytestmark = pytest.mark.django_db


def test_specialist_creates_a_course_under_the_catalog(client_for, specialist, catalog):
    client = client_for(specialist)
    add_url = f"/admin/pages/add/coursepages/coursepage/{catalog.pk}/"
    response = client.get(add_url)
    assert response.status_code == 200

    data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    data.update({"title": "Knife skills", "slug": "knife-skills", "summary": "Cut safely."})
    response = client.post(add_url, data)

    course = CoursePage.objects.get(slug="knife-skills")
    assert response.status_code == 302
    assert (course.owner, course.instructor, course.live) == (specialist, specialist, False)
    assert client.get(f"/admin/pages/add/coursepages/modulepage/{course.pk}/").status_code == 200


def test_specialist_cannot_open_or_change_another_specialists_course(
    client_for, specialist, other_specialist
):
    course = build_course(owner=other_specialist, title="Not yours")
    module = ModulePage.objects.child_of(course).first()
    lesson = module.get_children().first()
    client = client_for(specialist)

    assert_refused(client.get(f"/admin/pages/{course.pk}/edit/"))
    assert_refused(client.get(f"/admin/pages/{lesson.pk}/edit/"))
    assert_refused(client.get(f"/admin/pages/add/coursepages/modulepage/{course.pk}/"))
    assert_refused(client.get(f"/admin/pages/{course.pk}/delete/"))

    owner_data = edit_form_data(client_for(other_specialist), course, title="Hijacked")
    client.force_login(specialist)
    assert_refused(client.post(f"/admin/pages/{course.pk}/edit/", owner_data))
    course.refresh_from_db()
    assert course.title == "Not yours"
    assert course.get_latest_revision_as_object().title == "Not yours"


def test_specialist_edits_all_content_of_their_course_even_pages_an_editor_added(
    client_for, specialist, editor
):
    course = build_course(owner=specialist)
    module_by_editor = ModulePage(title="Added by editor", owner=editor)
    course.add_child(instance=module_by_editor)
    client = client_for(specialist)
    assert client.get(f"/admin/pages/{module_by_editor.pk}/edit/").status_code == 200


def test_specialist_cannot_publish_their_own_course(client_for, specialist):
    course = build_course(owner=specialist, published=False, title="Draft")
    client = client_for(specialist)
    data = edit_form_data(client, course, title="Draft, renamed")
    data["action-publish"] = "action-publish"

    client.post(f"/admin/pages/{course.pk}/edit/", data)

    course.refresh_from_db()
    assert not course.live
    assert course.get_latest_revision_as_object().title == "Draft, renamed"
    assert not course.permissions_for_user(specialist).can_publish()


def test_specialist_sees_only_their_own_courses_in_the_catalog_listing(
    client_for, specialist, other_specialist, catalog
):
    CourseFactory(owner=specialist, title="Mine")
    CourseFactory(owner=other_specialist, title="Someone else's")
    response = client_for(specialist).get(f"/admin/pages/{catalog.pk}/")
    assert response.status_code == 200
    assert "Mine" in response.content.decode()
    assert "Someone else&#x27;s" not in response.content.decode()


def test_editor_edits_and_publishes_any_ready_course(client_for, editor, other_specialist):
    course = build_course(owner=other_specialist, published=False)
    client = client_for(editor)
    data = edit_form_data(client, course, title="Approved title")
    data["action-publish"] = "action-publish"

    client.post(f"/admin/pages/{course.pk}/edit/", data)

    course.refresh_from_db()
    assert course.live and course.title == "Approved title"
    assert all(page.live for page in course.get_descendants())


def test_editor_publishing_an_unready_course_is_refused_and_keeps_the_edit(client_for, editor):
    course = build_course(modules=1, published=False, title="Too short")
    client = client_for(editor)
    data = edit_form_data(client, course, title="Too short, edited", summary="")
    data["action-publish"] = "action-publish"

    response = client.post(f"/admin/pages/{course.pk}/edit/", data)

    course.refresh_from_db()
    assert not course.live
    assert course.get_latest_revision_as_object().title == "Too short, edited"
    assert response.url == f"/admin/pages/{course.pk}/edit/"
    [message] = [m for m in messages_of(response) if "Not published" in m]
    assert "Add a summary." in message
    assert "Add at least 2 modules (it has 1)." in message


def test_bulk_publishing_an_unready_course_publishes_nothing(client_for, editor):
    ready = build_course(published=False, title="Ready one")
    unready = build_course(modules=1, published=False, title="Unready one")
    url = (
        "/admin/bulk/wagtailcore/page/publish/"
        f"?id={ready.pk}&id={unready.pk}&next=/admin/pages/{ready.get_parent().pk}/"
    )

    response = client_for(editor).post(url, {"include_descendants": "on"})

    assert not CoursePage.objects.filter(pk__in=[ready.pk, unready.pk], live=True).exists()
    [message] = [m for m in messages_of(response) if "Nothing was published" in m]
    assert "Add at least 2 modules (it has 1)." in message
