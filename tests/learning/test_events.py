"""Learning's events are announced inside the change's transaction: a receiver that fails
undoes the change, and work that leaves the process waits for the commit."""

from decimal import Decimal

import pytest
from django.core import mail

from coursepages.models import CoursePage, LessonPage
from learning import receivers
from learning.models import AssignmentSubmission, Enrollment, Notification
from learning.services import assignment_submit, submission_grade
from tests.api_helpers import assert_problem
from tests.factories import build_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def notifying_fails(monkeypatch):
    def failing_notify(**kwargs):
        raise RuntimeError("the notifications table is locked")

    monkeypatch.setattr(receivers, "notify", failing_notify)


def test_a_failing_notification_undoes_a_free_enrollment(
    api_client, learner, specialist, notifying_fails
):
    course = build_course(owner=specialist, price=Decimal("0"))
    api_client.force_authenticate(learner)

    response = api_client.post("/api/v1/enrollments/", {"course": course.pk})

    assert_problem(response, 500, "server_error")
    assert not Enrollment.objects.filter(status__in=Enrollment.LIVE_STATUSES).exists()
    assert CoursePage.objects.get(pk=course.pk).enrollment_count == 0


def test_a_failing_notification_undoes_a_grade(learner, specialist, notifying_fails):
    course = build_course(owner=specialist, price=Decimal("0"))
    lesson = LessonPage.objects.descendant_of(course).order_by("path").first()
    [block] = lesson.blocks_of_type("assignment")
    enrollment = Enrollment.objects.create(learner=learner, course=course, status="active")
    submission = assignment_submit(enrollment=enrollment, assignment_id=block.id, text="Done.")
    scores = {criterion["id"]: criterion["max_points"] for criterion in submission.rubric}

    with pytest.raises(RuntimeError):
        submission_grade(submission=submission, grader=specialist, scores=scores)

    submission = AssignmentSubmission.objects.get()
    assert (submission.status, submission.graded_at) == ("submitted", None)


def test_the_notification_e_mail_waits_for_the_commit(
    api_client, learner, specialist, django_capture_on_commit_callbacks
):
    course = build_course(owner=specialist, price=Decimal("0"))
    api_client.force_authenticate(learner)

    with django_capture_on_commit_callbacks() as queued:
        api_client.post("/api/v1/enrollments/", {"course": course.pk})
        assert Notification.objects.filter(kind="enrolled").exists()  # written in the change
    assert mail.outbox == []  # nothing left the process before the commit

    for callback in queued:
        callback()
    assert [message.to for message in mail.outbox] == [[learner.email]]
