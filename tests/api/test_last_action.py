"""What a learner does records their last action on the enrollment (analytics reads it for
learners at risk): a new lesson completion, quiz attempt or submission moves it to that row's
instant; a completion done again, or an attempt or submission refused, leaves it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from coursepages.models import LessonPage
from learning.models import AssignmentSubmission, Enrollment, LessonCompletion, QuizAttempt
from tests.analytics.raw_rows import moved
from tests.api_helpers import assert_problem
from tests.factories import answers_for, build_course, quiz_ids

pytestmark = pytest.mark.django_db

WEEKS_AGO = timedelta(weeks=3)


@pytest.fixture
def client(api_client, learner):
    api_client.force_authenticate(learner)
    return api_client


def last_action(enrollment):
    enrollment.refresh_from_db()
    return enrollment.last_active_at


def test_a_new_completion_is_the_last_action_and_doing_it_again_is_not(client, learner):
    course = build_course()
    enrollment = Enrollment.objects.create(learner=learner, course=course, status="active")
    first, second = LessonPage.objects.descendant_of(course).order_by("path")[:2]
    url = f"/api/v1/enrollments/{enrollment.pk}/lessons/{{}}/complete/"

    assert last_action(enrollment) is None
    assert client.post(url.format(first.pk)).status_code == 200
    completion = LessonCompletion.objects.get(enrollment=enrollment, lesson=first)
    assert last_action(enrollment) == completion.completed_at

    earlier = moved(completion, completed_at=timezone.now() - WEEKS_AGO).completed_at
    assert last_action(enrollment) == earlier
    assert client.post(url.format(first.pk)).status_code == 200  # done again
    assert last_action(enrollment) == earlier

    assert client.post(url.format(second.pk)).status_code == 200
    newer = LessonCompletion.objects.get(enrollment=enrollment, lesson=second)
    assert last_action(enrollment) == newer.completed_at > earlier


def test_an_attempt_is_the_last_action_and_one_refused_is_not(client, learner, quiz_lesson):
    course = quiz_lesson.get_parent().get_parent().specific
    enrollment = Enrollment.objects.create(learner=learner, course=course, status="active")
    quiz_id, questions = quiz_ids(quiz_lesson)
    url = f"/api/v1/enrollments/{enrollment.pk}/quizzes/{quiz_id}/submit/"
    wrong = {"answers": answers_for(questions, ["Pie"], ["Decorate"])}

    for _ in range(2):  # the quiz allows two
        assert client.post(url, wrong).status_code == 201
        attempt = QuizAttempt.objects.filter(enrollment=enrollment).latest("number")
        assert last_action(enrollment) == attempt.submitted_at
    earlier = timezone.now() - WEEKS_AGO
    for attempt in QuizAttempt.objects.filter(enrollment=enrollment):
        moved(attempt, submitted_at=earlier)

    assert_problem(client.post(url, wrong), 409, "attempts_exhausted")
    assert last_action(enrollment) == earlier


def test_a_submission_is_the_last_action_and_one_refused_is_not(client, learner):
    course = build_course()
    enrollment = Enrollment.objects.create(learner=learner, course=course, status="active")
    first_lesson = LessonPage.objects.descendant_of(course).order_by("path").first()
    [assignment] = first_lesson.blocks_of_type("assignment")
    url = f"/api/v1/enrollments/{enrollment.pk}/assignments/{assignment.id}/submit/"

    assert client.post(url, {"text": "Draft"}).status_code == 201
    submission = AssignmentSubmission.objects.get(enrollment=enrollment)
    assert last_action(enrollment) == submission.submitted_at
    earlier = moved(submission, submitted_at=timezone.now() - WEEKS_AGO).submitted_at

    assert_problem(client.post(url, {"text": "Again"}), 409, "already_submitted")
    assert last_action(enrollment) == earlier
