"""Archiving closes a course to new learners and keeps everything it holds."""

import pytest
from wagtail.models import PageLogEntry

from coursepages.models import CoursePage
from tests.admin_helpers import assert_refused, edit_form_data, messages_of
from tests.factories import build_course

pytestmark = pytest.mark.django_db


def archive(client, course, action="archive"):
    return client.post(f"/admin/courses/{course.pk}/{action}/")


def test_editor_archives_a_course_and_its_content_stays(client_for, editor):
    course = build_course()
    descendants_before = list(course.get_descendants().live().values_list("pk", flat=True))
    client = client_for(editor)
    assert client.get(f"/admin/courses/{course.pk}/archive/").status_code == 200

    response = archive(client, course)

    course.refresh_from_db()
    assert response.status_code == 302
    assert course.is_archived and course.live
    assert list(course.get_descendants().live().values_list("pk", flat=True)) == descendants_before
    assert PageLogEntry.objects.filter(page=course, action="coursepages.course.archive").exists()


def test_the_course_owner_can_archive_and_unarchive(client_for, specialist):
    course = build_course(owner=specialist)
    client = client_for(specialist)

    archive(client, course)
    assert CoursePage.objects.get(pk=course.pk).is_archived

    archive(client, course, "unarchive")
    assert not CoursePage.objects.get(pk=course.pk).is_archived
    assert PageLogEntry.objects.filter(page=course, action="coursepages.course.unarchive").exists()


@pytest.mark.parametrize("who", ["other_specialist", "learner"])
def test_others_cannot_archive_a_course(client_for, specialist, who, request):
    course = build_course(owner=specialist)
    client = client_for(request.getfixturevalue(who))

    response = archive(client, course)

    assert response.status_code in (302, 403)
    if who == "other_specialist":
        assert_refused(response)
    assert not CoursePage.objects.get(pk=course.pk).is_archived


def test_archiving_twice_says_so_and_changes_nothing(client_for, editor):
    course = build_course()
    client = client_for(editor)
    archive(client, course)
    archived_at = CoursePage.objects.get(pk=course.pk).archived_at

    response = archive(client, course)

    assert any("already archived" in m for m in messages_of(response))
    assert CoursePage.objects.get(pk=course.pk).archived_at == archived_at


def test_publishing_a_later_edit_keeps_the_course_archived(client_for, editor):
    course = build_course()
    client = client_for(editor)
    data = edit_form_data(client, course, title="Edited before archiving")
    archive(client, course)

    data["action-publish"] = "action-publish"
    client.post(f"/admin/pages/{course.pk}/edit/", data)

    course = CoursePage.objects.get(pk=course.pk)
    assert course.title == "Edited before archiving"
    assert course.is_archived


def test_archive_action_is_offered_in_the_page_header(client_for, editor):
    course = build_course()
    page = client_for(editor).get(f"/admin/pages/{course.pk}/edit/").content.decode()
    assert f"/admin/courses/{course.pk}/archive/" in page


def test_archived_courses_leave_the_public_catalog_page(client, editor, client_for):
    listed = build_course(title="Still listed")
    archived = build_course(title="Gone quiet")
    archive(client_for(editor), archived)
    client.logout()

    page = client.get("/").content.decode()

    assert listed.title in page
    assert archived.title not in page
