"""Handing in work and quiz answers through the services: they check access and drip themselves."""

from decimal import Decimal

import pytest
from django.utils import timezone

from coursepages.models import LessonPage, ModulePage
from learning.exceptions import ContentNotFound, EnrollmentInactive, LessonLocked
from learning.models import AssignmentSubmission, Enrollment, QuizAttempt
from learning.services import assignment_submit, quiz_attempt_submit
from tests.factories import build_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(specialist):
    return build_course(owner=specialist, price=Decimal("49.00"))


@pytest.fixture
def first_lesson(course):
    return LessonPage.objects.descendant_of(course).order_by("path").first()


@pytest.fixture
def assignment_id(first_lesson):
    [block] = first_lesson.blocks_of_type("assignment")
    return block.id


@pytest.fixture
def quiz_id(first_lesson):
    [block] = first_lesson.blocks_of_type("quiz")
    return block.id


def enroll(learner, course, status="active", **fields):
    return Enrollment.objects.create(
        learner=learner, course=course, status=status, activated_at=timezone.now(), **fields
    )


def test_handing_in_work_touches_its_lesson_for_resume(
    learner, course, first_lesson, assignment_id
):
    enrollment = enroll(learner, course)

    submission = assignment_submit(enrollment=enrollment, assignment_id=assignment_id, text="Done.")

    assert (submission.lesson, submission.status) == (first_lesson.specific, "submitted")
    enrollment.refresh_from_db()
    assert enrollment.last_lesson_id == first_lesson.pk


@pytest.mark.parametrize(
    ("status", "suspended"),
    [("pending_payment", False), ("refunded", False), ("cancelled", False), ("active", True)],
)
def test_work_without_access_is_refused(learner, course, assignment_id, status, suspended):
    enrollment = enroll(learner, course, status, suspended_at=timezone.now() if suspended else None)

    with pytest.raises(EnrollmentInactive):
        assignment_submit(enrollment=enrollment, assignment_id=assignment_id, text="Done.")

    assert AssignmentSubmission.objects.count() == 0
    enrollment.refresh_from_db()
    assert enrollment.last_lesson_id is None


def test_work_for_a_lesson_not_open_yet_is_refused(learner, course, assignment_id):
    module = ModulePage.objects.child_of(course).order_by("path").first()
    module.opens_after_days = 7
    module.save_revision().publish()
    enrollment = enroll(learner, course)

    with pytest.raises(LessonLocked):
        assignment_submit(enrollment=enrollment, assignment_id=assignment_id, text="Done.")

    assert AssignmentSubmission.objects.count() == 0


def test_work_for_an_assignment_of_another_course_is_not_found(learner, course, specialist):
    elsewhere = build_course(owner=specialist, price=Decimal("0"))
    lesson = LessonPage.objects.descendant_of(elsewhere).order_by("path").first()
    [block] = lesson.blocks_of_type("assignment")
    enrollment = enroll(learner, course)

    with pytest.raises(ContentNotFound):
        assignment_submit(enrollment=enrollment, assignment_id=block.id, text="Done.")


def test_quiz_answers_without_access_are_refused(learner, course, quiz_id):
    enrollment = enroll(learner, course, "pending_payment")

    with pytest.raises(EnrollmentInactive):
        quiz_attempt_submit(enrollment=enrollment, quiz_id=quiz_id, answers={})

    assert QuizAttempt.objects.count() == 0
