"""Shared by the tests of a cohort's end: a batch with weekly sessions, learners who do the
coursework, attendance taken through the API, and the clock moved to where a test needs it."""

from datetime import UTC, date, datetime, timedelta

from coursepages.models import LessonPage
from learning.services import (
    assignment_submit,
    lesson_complete,
    quiz_attempt_submit,
    submission_grade,
)
from tests.factories import CohortFactory, CohortSessionFactory, build_cohort_course
from tests.session_helpers import freeze

BEFORE_THE_START = datetime(2024, 2, 20, 12, tzinfo=UTC)
FIRST_SESSION = datetime(2024, 3, 4, 19, tzinfo=UTC)  # Mondays, 7 PM UTC, an hour


def weekly_batch(monkeypatch, *, sessions=8, **course_fields):
    """Batch 3 of a cohort course (1 March to 30 April 2024; one lesson with a quiz and an
    assignment; attendance 80 %), its sessions weekly from 4 March, seen before its start."""
    freeze(monkeypatch, BEFORE_THE_START)
    cohort = CohortFactory(
        course=build_cohort_course(**course_fields),
        name="Batch 3",
        starts_on=date(2024, 3, 1),
        ends_on=date(2024, 4, 30),
        enrollment_deadline=datetime(2024, 2, 25, tzinfo=UTC),
    )
    for week in range(sessions):
        CohortSessionFactory(
            cohort=cohort, title=f"Week {week + 1}", starts_at=FIRST_SESSION + timedelta(weeks=week)
        )
    return cohort


def do_the_coursework(enrollment, *, hand_in=True):
    """The learner completes the lesson and answers the quiz right; with `hand_in` they hand in
    the assignment and the specialist grades it full marks."""
    lesson = LessonPage.objects.descendant_of(enrollment.course).get()
    lesson_complete(enrollment=enrollment, lesson=lesson)
    [quiz] = lesson.blocks_of_type("quiz")
    answers = {
        question.id: [c.id for c in question.value["choices"].bound_blocks if c.value["correct"]]
        for question in quiz.value["questions"].bound_blocks
    }
    quiz_attempt_submit(enrollment=enrollment, quiz_id=quiz.id, answers=answers)
    if hand_in:
        [work] = lesson.blocks_of_type("assignment")
        submission = assignment_submit(
            enrollment=enrollment, assignment_id=work.id, text="My redesign."
        )
        full_marks(submission)


def full_marks(submission):
    return submission_grade(
        submission=submission,
        grader=submission.enrollment.course.owner,
        scores={criterion["id"]: criterion["max_points"] for criterion in submission.rubric},
    )


def take_attendance(client, session, statuses):
    """The specialist records a session through the API: {enrollment: status}."""
    client.force_authenticate(session.cohort.course.owner)
    records = [
        {"enrollment": enrollment.pk, "status": status}
        | ({"note": "Doctor's appointment"} if status == "excused" else {})
        for enrollment, status in statuses.items()
    ]
    response = client.post(
        f"/api/v1/cohorts/{session.cohort_id}/attendance/",
        {"session": session.pk, "records": records},
        format="json",
    )
    assert response.status_code == 200, response.json()
    return response
