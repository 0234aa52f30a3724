"""The syllabus in the admin: tree order in the page explorer, and the whole draft in review."""

import pytest

from coursepages.models import LessonPage
from coursepages.stream_values import paragraph
from tests.admin_helpers import latest_workflow_state, submit
from tests.factories import CourseFactory, LessonFactory, ModuleFactory, build_course

pytestmark = pytest.mark.django_db


def positions(html, *titles):
    return [html.index(title) for title in titles]


def test_the_explorer_lists_modules_and_lessons_in_syllabus_order(client_for, specialist):
    course = CourseFactory(owner=specialist)
    # Created first but alphabetically last: neither newest-first nor by title would
    # put it first.
    first = ModuleFactory(parent=course, title="Zebra basics")
    ModuleFactory(parent=course, title="Alpha advanced")
    LessonFactory(parent=first, title="Zulu opening")
    LessonFactory(parent=first, title="Alpha closing")
    client = client_for(specialist)

    modules = client.get(f"/admin/pages/{course.pk}/").content.decode()
    lessons = client.get(f"/admin/pages/{first.pk}/").content.decode()

    first_pos, second_pos = positions(modules, "Zebra basics", "Alpha advanced")
    assert first_pos < second_pos
    opening, closing = positions(lessons, "Zulu opening", "Alpha closing")
    assert opening < closing


def test_an_editor_reviewing_a_course_previews_every_module_and_lesson_as_last_saved(
    client_for, specialist, editor
):
    course = build_course(owner=specialist, published=False)
    lesson = LessonPage.objects.descendant_of(course).order_by("path").last()
    lesson.title = "Rewritten finale"
    lesson.body = [paragraph("<p>Draft notes for the reviewer.</p>")]
    lesson.save_revision(user=specialist)  # a draft, never published
    submit(client_for(specialist), course)
    state = latest_workflow_state(course)

    response = client_for(editor).get(
        f"/admin/pages/workflow/preview/{course.pk}/{state.current_task_state.task_id}/"
    )

    html = response.content.decode()
    assert response.status_code == 200
    titles = [
        page.get_latest_revision_as_object().title
        for page in LessonPage.objects.descendant_of(course).order_by("path")
    ]
    assert "Rewritten finale" in titles
    assert sorted(positions(html, *titles)) == positions(html, *titles)  # all, in order
    assert "Draft notes for the reviewer." in html
    assert html.count("(not live yet)") == 2 + 4  # every module and lesson is new


def test_the_review_preview_marks_changes_that_are_not_live(client_for, specialist, editor):
    course = build_course(owner=specialist)
    lesson = LessonPage.objects.descendant_of(course).order_by("path").first()
    lesson.title = "Retitled lesson"
    lesson.save_revision(user=specialist)
    LessonFactory(
        parent=lesson.get_parent(), title="Brand-new lesson", published=False, owner=specialist
    )
    client = client_for(specialist)
    submit(client, course)
    state = latest_workflow_state(course)

    html = (
        client_for(editor)
        .get(f"/admin/pages/workflow/preview/{course.pk}/{state.current_task_state.task_id}/")
        .content.decode()
    )

    assert "Retitled lesson" in html and "(changes not live yet)" in html
    assert "Brand-new lesson" in html and "(not live yet)" in html
    live = client.get(course.url).content.decode()
    assert "Brand-new lesson" not in live and "Retitled lesson" not in live
