"""Submitting quizzes: graded at once, within the attempts allowed, history kept as asked."""

import pytest

from coursepages.models import LessonPage
from learning.models import Enrollment, QuizAttempt
from tests.api_helpers import assert_problem
from tests.factories import UserFactory, answers_for, quiz_ids

pytestmark = pytest.mark.django_db


@pytest.fixture
def enrollment(quiz_lesson, learner):
    course = quiz_lesson.get_parent().get_parent().specific
    return Enrollment.objects.create(learner=learner, course=course, status="active")


@pytest.fixture
def client(api_client, learner):
    api_client.force_authenticate(learner)
    return api_client


def submit(client, enrollment, quiz_id, answers):
    return client.post(
        f"/api/v1/enrollments/{enrollment.pk}/quizzes/{quiz_id}/submit/", {"answers": answers}
    )


def test_right_answers_pass_with_feedback_after_grading(client, enrollment, quiz_lesson):
    quiz_id, questions = quiz_ids(quiz_lesson)
    response = submit(
        client, enrollment, quiz_id, answers_for(questions, ["Line"], ["Highlight", "Categories"])
    )

    body = response.json()
    assert response.status_code == 201
    assert (body["points"], body["max_points"], body["score"], body["passed"]) == (
        3,
        3,
        "100.00",
        True,
    )
    assert (body["attempt"], body["attempts_left"]) == (1, 1)
    assert body["feedback"][0]["explanation"] == "Position is easy."
    assert all(item["correct"] for item in body["feedback"])


def test_a_partly_right_multiple_choice_scores_nothing_for_that_question(
    client, enrollment, quiz_lesson
):
    quiz_id, questions = quiz_ids(quiz_lesson)
    body = submit(
        client, enrollment, quiz_id, answers_for(questions, ["Line"], ["Highlight"])
    ).json()
    assert (body["points"], body["score"], body["passed"]) == (1, "33.33", False)


def test_attempts_run_out(client, enrollment, quiz_lesson):
    quiz_id, questions = quiz_ids(quiz_lesson)
    wrong = answers_for(questions, ["Pie"], ["Decorate"])
    assert [submit(client, enrollment, quiz_id, wrong).status_code for _ in range(2)] == [201, 201]
    assert_problem(submit(client, enrollment, quiz_id, wrong), 409, "attempts_exhausted")
    assert QuizAttempt.objects.count() == 2


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ({"no-such-question": []}, "answers.no-such-question"),
        ("trend:not-a-choice", "answers.trend"),
        ("trend:two-choices", "answers.trend"),
    ],
)
def test_answers_that_do_not_fit_the_quiz_are_400s(client, enrollment, quiz_lesson, answers, field):
    quiz_id, questions = quiz_ids(quiz_lesson)
    trend_id, trend_choices = questions["Trend over time?"]
    if answers == "trend:not-a-choice":
        answers = {trend_id: ["nope"]}
    elif answers == "trend:two-choices":
        answers = {trend_id: list(trend_choices.values())}
    field = field.replace("trend", trend_id)

    body = assert_problem(submit(client, enrollment, quiz_id, answers), 400, "invalid")

    assert list(body["errors"]) == [field]
    assert not QuizAttempt.objects.exists()


def test_an_unknown_quiz_is_404(client, enrollment):
    assert_problem(submit(client, enrollment, "not-a-quiz", {}), 404, "not_found")


def test_a_pending_enrollment_cannot_submit(client, enrollment, quiz_lesson):
    Enrollment.objects.filter(pk=enrollment.pk).update(status="pending_payment")
    quiz_id, _ = quiz_ids(quiz_lesson)
    assert_problem(submit(client, enrollment, quiz_id, {}), 403, "enrollment_inactive")


def test_another_learner_cannot_submit(api_client, enrollment, quiz_lesson):
    api_client.force_authenticate(UserFactory())
    quiz_id, _ = quiz_ids(quiz_lesson)
    assert_problem(submit(api_client, enrollment, quiz_id, {}), 404, "not_found")


def test_editing_the_quiz_later_does_not_rewrite_the_attempt(client, enrollment, quiz_lesson):
    quiz_id, questions = quiz_ids(quiz_lesson)
    submit(
        client, enrollment, quiz_id, answers_for(questions, ["Line"], ["Highlight", "Categories"])
    )

    lesson = LessonPage.objects.get(pk=quiz_lesson.pk)
    [block] = lesson.blocks_of_type("quiz")
    block.value["questions"][0]["prompt"] = "Rewritten question"
    lesson.save_revision().publish()

    attempt = QuizAttempt.objects.get()
    assert attempt.questions[0]["prompt"] == "Trend over time?"
    assert (attempt.points, attempt.passed) == (3, True)
