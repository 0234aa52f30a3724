"""Learners' writes at the same moment, on a real database server: the locks hold."""

import threading
from decimal import Decimal

import pytest
from django.db import connection
from rest_framework.test import APIClient

from coursepages.models import LessonPage
from learning.models import Enrollment, LessonCompletion, QuizAttempt
from tests.factories import UserFactory, answers_for, build_course, quiz_ids

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs a database server: SQLite serialises every writer anyway",
    ),
]


def at_once(learner, requests):
    """Send the (path, data) requests from as many threads, released together."""
    barrier = threading.Barrier(len(requests))
    statuses = []

    def send(path, data):
        client = APIClient()
        client.force_authenticate(learner)
        try:
            barrier.wait()
            statuses.append(client.post(path, data).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=request) for request in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(statuses)


def test_concurrent_quiz_submissions_stay_within_the_attempts_allowed(quiz_lesson):
    learner = UserFactory()
    course = quiz_lesson.get_parent().get_parent().specific
    enrollment = Enrollment.objects.create(learner=learner, course=course, status="active")
    quiz_id, questions = quiz_ids(quiz_lesson)
    answers = {"answers": answers_for(questions, ["Line"], ["Highlight"])}
    path = f"/api/v1/enrollments/{enrollment.pk}/quizzes/{quiz_id}/submit/"

    statuses = at_once(learner, [(path, answers)] * 4)

    assert statuses == [201, 201, 409, 409]  # two attempts allowed
    numbers = QuizAttempt.objects.filter(enrollment=enrollment).values_list("number", flat=True)
    assert sorted(numbers) == [1, 2]


def test_completing_one_lesson_at_once_four_times_records_it_once():
    learner = UserFactory()
    course = build_course(price=Decimal("0"))
    enrollment = Enrollment.objects.create(learner=learner, course=course, status="active")
    lesson = LessonPage.objects.descendant_of(course).order_by("path").first()
    path = f"/api/v1/enrollments/{enrollment.pk}/lessons/{lesson.pk}/complete/"

    assert at_once(learner, [(path, {})] * 4) == [200] * 4
    assert LessonCompletion.objects.filter(enrollment=enrollment).count() == 1


def test_the_last_two_lessons_completed_at_once_complete_the_enrollment():
    learner = UserFactory()
    course = build_course(
        price=Decimal("0"), certificate_min_quiz_average=0, certificate_requires_assignments=False
    )
    enrollment = Enrollment.objects.create(learner=learner, course=course, status="active")
    lessons = list(LessonPage.objects.descendant_of(course).order_by("path"))
    base = f"/api/v1/enrollments/{enrollment.pk}/lessons/"
    client = APIClient()
    client.force_authenticate(learner)
    for lesson in lessons[:-2]:
        client.post(f"{base}{lesson.pk}/complete/")

    at_once(learner, [(f"{base}{lesson.pk}/complete/", {}) for lesson in lessons[-2:]])

    enrollment.refresh_from_db()
    assert enrollment.status == "completed"
