"""The self-paced journey through the API: enroll, learn, pass, get graded, become eligible."""

from decimal import Decimal

import pytest

from coursepages.models import LessonPage
from learning.events import enrollment_completed
from learning.models import Enrollment, Notification
from tests.api_helpers import assert_problem
from tests.factories import UserFactory, build_course

pytestmark = pytest.mark.django_db


def criteria(client, enrollment_id):
    body = client.get(f"/api/v1/enrollments/{enrollment_id}/status/").json()
    return body["eligible"], body["status"], {c["name"]: c for c in body["criteria"]}


def test_a_free_course_from_enrolling_to_eligible(
    api_client, learner, specialist, django_capture_on_commit_callbacks
):
    course = build_course(owner=specialist, price=Decimal("0"))
    lessons = list(LessonPage.objects.descendant_of(course).order_by("path"))
    [quiz] = lessons[0].blocks_of_type("quiz")
    [assignment] = lessons[0].blocks_of_type("assignment")
    completed = []

    def listener(sender, enrollment, **kwargs):
        completed.append(enrollment.pk)

    enrollment_completed.connect(listener)
    api_client.force_authenticate(learner)
    with django_capture_on_commit_callbacks(execute=True):
        enrollment = api_client.post("/api/v1/enrollments/", {"course": course.pk}).json()["id"]
        eligible, status, before = criteria(api_client, enrollment)
        assert (eligible, status) == (False, "active")
        assert before["lessons"] == {"name": "lessons", "required": 80, "current": 0, "met": False}
        assert before["quizzes"]["current"] == 0 and before["assignments"]["required"] == 1

        for lesson in lessons:
            api_client.post(f"/api/v1/enrollments/{enrollment}/lessons/{lesson.pk}/complete/")
        answers = {
            question.id: [
                c.id for c in question.value["choices"].bound_blocks if c.value["correct"]
            ]
            for question in quiz.value["questions"].bound_blocks
        }
        api_client.post(
            f"/api/v1/enrollments/{enrollment}/quizzes/{quiz.id}/submit/", {"answers": answers}
        )
        submission = api_client.post(
            f"/api/v1/enrollments/{enrollment}/assignments/{assignment.id}/submit/",
            {"text": "Done"},
        ).json()
        assert criteria(api_client, enrollment)[0] is False  # waiting for the grade

        api_client.force_authenticate(specialist)
        scores = {c.id: c.value["max_points"] for c in assignment.value["rubric"].bound_blocks}
        api_client.put(f"/api/v1/submissions/{submission['id']}/grade/", {"scores": scores})

        api_client.force_authenticate(learner)
        eligible, status, after = criteria(api_client, enrollment)
    enrollment_completed.disconnect(listener)

    assert (eligible, status) == (True, "completed")
    assert after["lessons"]["current"] == 100 and after["quizzes"]["current"] == 100.0
    assert after["assignments"] == {"name": "assignments", "required": 1, "current": 1, "met": True}
    assert completed == [enrollment]  # announced once, however often status is asked
    assert list(
        Notification.objects.filter(user=learner).order_by("pk").values_list("kind", flat=True)
    ) == ["enrolled", "submission_graded", "course_completed", "certificate_issued"]
    assert Enrollment.objects.get(pk=enrollment).completed_at is not None
    detail = api_client.get(f"/api/v1/enrollments/{enrollment}/").json()
    assert [
        (q["quiz"], q["attempts"], q["best_score"], q["passed"]) for q in detail["quizzes"]
    ] == [(quiz.id, 1, "100.00", True)]
    assert [(a["assignment"], a["status"], a["score"]) for a in detail["assignments"]] == [
        (assignment.id, "passed", "100.00")
    ]


def test_criteria_follow_the_course_settings(api_client, learner):
    course = build_course(price=Decimal("0"), certificate_requires_assignments=False)
    course.certificate_min_lessons_percent = 50
    course.save_revision().publish()
    enrollment = Enrollment.objects.create(learner=learner, course=course, status="active")
    api_client.force_authenticate(learner)

    _, _, found = criteria(api_client, enrollment.pk)

    assert set(found) == {"lessons", "quizzes"}
    assert found["lessons"]["required"] == 50


def test_someone_elses_status_is_invisible(api_client, learner):
    course = build_course(price=Decimal("0"))
    enrollment = Enrollment.objects.create(learner=learner, course=course, status="active")
    api_client.force_authenticate(UserFactory())
    assert_problem(api_client.get(f"/api/v1/enrollments/{enrollment.pk}/status/"), 404, "not_found")
