"""Wagtail's own page routes never show a lesson's or module's body to the public."""

import pytest

from coursepages.models import LessonPage, ModulePage
from tests.factories import build_course

pytestmark = pytest.mark.django_db


def test_anonymous_lesson_url_redirects_to_the_course_without_the_body(client):
    course = build_course()
    lesson = LessonPage.objects.descendant_of(course).first()

    response = client.get(lesson.url)
    assert response.status_code == 302
    assert response.url == course.url

    followed = client.get(lesson.url, follow=True)
    body = followed.content.decode()
    assert followed.status_code == 200
    assert lesson.title in body  # the syllabus lists it
    assert "Secret lesson notes" not in body
    assert "Pick the line chart." not in body


def test_module_url_redirects_to_the_course(client):
    course = build_course()
    module = ModulePage.objects.child_of(course).first()
    response = client.get(module.url)
    assert (response.status_code, response.url) == (302, course.url)


def test_a_free_preview_lesson_is_not_served_publicly_either(client):
    course = build_course()
    lesson = LessonPage.objects.descendant_of(course).first()
    lesson.is_free_preview = True
    lesson.save_revision().publish()
    assert "Secret lesson notes" not in client.get(lesson.url, follow=True).content.decode()


def test_lesson_of_an_unpublished_course_is_404(client):
    course = build_course()
    lesson = LessonPage.objects.descendant_of(course).first()
    url = lesson.url
    course.unpublish()
    assert client.get(url).status_code == 404


def test_signed_in_learner_gets_no_body_from_page_routes(client_for, learner):
    course = build_course()
    lesson = LessonPage.objects.descendant_of(course).first()
    body = client_for(learner).get(lesson.url, follow=True).content.decode()
    assert "Secret lesson notes" not in body


def test_editors_preview_shows_the_lesson_body(client_for, editor):
    course = build_course()
    lesson = LessonPage.objects.descendant_of(course).first()
    response = client_for(editor).get(f"/admin/pages/{lesson.pk}/view_draft/")
    assert response.status_code == 200
    assert "Secret lesson notes" in response.content.decode()
