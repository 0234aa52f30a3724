"""Courses, modules and lessons only nest as catalog → course → module → lesson."""

import pytest
from wagtail.models import Page

from coursepages.models import CourseIndexPage, CoursePage, LessonPage, ModulePage
from tests.admin_helpers import assert_refused
from tests.factories import build_course

pytestmark = pytest.mark.django_db


def test_catalog_exists_after_migrate_and_is_the_site_root(catalog, client):
    assert catalog.get_site().root_page.specific == catalog
    assert client.get("/").status_code == 200


@pytest.mark.parametrize(
    ("page_type", "parent_type", "allowed"),
    [
        (CoursePage, CourseIndexPage, True),
        (ModulePage, CoursePage, True),
        (LessonPage, ModulePage, True),
        (ModulePage, CourseIndexPage, False),
        (LessonPage, CoursePage, False),
        (LessonPage, CourseIndexPage, False),
        (CoursePage, CoursePage, False),
        (CoursePage, ModulePage, False),
    ],
)
def test_page_types_nest_only_in_order(page_type, parent_type, allowed, catalog):
    course = build_course()
    module = ModulePage.objects.child_of(course).first()
    parents = {CourseIndexPage: catalog, CoursePage: course, ModulePage: module}
    assert page_type.can_create_at(parents[parent_type]) is allowed


def test_second_catalog_cannot_be_created(catalog):
    assert not CourseIndexPage.can_create_at(Page.get_first_root_node())


def test_admin_refuses_a_lesson_directly_under_a_course(client_for, editor):
    course = build_course()
    response = client_for(editor).get(f"/admin/pages/add/coursepages/lessonpage/{course.pk}/")
    assert_refused(response)
    assert LessonPage.objects.child_of(course).count() == 0


def test_lessons_keep_tree_order_as_the_syllabus_order():
    course = build_course(modules=1, lessons_per_module=3)
    module = ModulePage.objects.child_of(course).get()
    lessons = list(LessonPage.objects.child_of(module))
    last = lessons[-1]
    last.move(lessons[0], pos="left")
    reordered = list(LessonPage.objects.child_of(module).order_by("path"))
    assert [lesson.pk for lesson in reordered] == [last.pk, lessons[0].pk, lessons[1].pk]
