"""Course review: an automated readiness check, then an Editors approval that publishes."""

import pytest
from wagtail.models import TaskState, WorkflowState

from coursepages.models import CoursePage, LessonPage, ModulePage
from coursepages.readiness import readiness_problems
from coursepages.stream_values import assignment, question, quiz
from tests.admin_helpers import latest_workflow_state, messages_of, submit
from tests.factories import CourseFactory, LessonFactory, ModuleFactory, build_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def incomplete_course(specialist):
    course = CourseFactory(owner=specialist, published=False, summary="", price=None)
    module = ModuleFactory(parent=course, title="Basics", published=False)
    LessonFactory(
        parent=module,
        title="Intro",
        published=False,
        body=[
            quiz("Warm-up", [question("2 + 2?", ["3", "5"], correct=[])]),
            assignment("Essay", "<p>Write.</p>", rubric=[]),
        ],
    )
    return course


def test_submitting_an_incomplete_course_lists_every_gap(client_for, specialist, incomplete_course):
    response = submit(client_for(specialist), incomplete_course)

    state = latest_workflow_state(incomplete_course)
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    readiness = state.current_task_state.specific
    assert readiness.status == TaskState.STATUS_REJECTED
    expected = [
        "Add a summary.",
        "Set a price (0 makes the course free).",
        "Add at least 2 modules (it has 1).",
        "Module “Basics”: add at least 2 lessons (it has 1).",
        "Lesson “Intro”, quiz “Warm-up”, question 1: Mark the correct choice.",
        "Lesson “Intro”, assignment “Essay”: add a rubric.",
    ]
    assert readiness.comment.splitlines()[1:] == [f"• {gap}" for gap in expected]
    [message] = [m for m in messages_of(response) if "readiness check" in m]
    for gap in expected:
        assert gap in message
    incomplete_course.refresh_from_db()
    assert not incomplete_course.live


def test_a_ready_course_waits_for_editors_then_approval_publishes_it_with_its_content(
    client_for, specialist, editor
):
    course = build_course(owner=specialist, published=False)
    submit(client_for(specialist), course)

    state = latest_workflow_state(course)
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.current_task_state.task.name == "Editors approval"
    assert state.task_states.get(task__name="Course readiness check").status == "approved"
    course.refresh_from_db()
    assert not course.live

    client = client_for(editor)
    response = client.post(
        f"/admin/pages/workflow/action/{course.pk}/approve/{state.current_task_state.pk}/",
        {"comment": "Looks great"},
    )

    assert response.status_code in (200, 302)
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED
    course.refresh_from_db()
    assert course.live
    assert ModulePage.objects.descendant_of(course).live().count() == 2
    assert LessonPage.objects.descendant_of(course).live().count() == 4


def test_specialist_cannot_approve_their_own_course(client_for, specialist):
    course = build_course(owner=specialist, published=False)
    client = client_for(specialist)
    submit(client, course)
    state = latest_workflow_state(course)

    client.post(
        f"/admin/pages/workflow/action/{course.pk}/approve/{state.current_task_state.pk}/",
        {"comment": ""},
    )

    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    course.refresh_from_db()
    assert not course.live


def test_resubmitting_after_fixing_the_gaps_passes_the_readiness_check(
    client_for, specialist, incomplete_course
):
    client = client_for(specialist)
    submit(client, incomplete_course)

    module = ModulePage.objects.child_of(incomplete_course).get()
    lesson = LessonPage.objects.child_of(module).get()
    lesson.body = [quiz("Warm-up", [question("2 + 2?", ["4", "5"], correct=["4"])])]
    lesson.save_revision(user=specialist)
    LessonFactory(parent=module, published=False)
    second = ModuleFactory(parent=incomplete_course, published=False)
    LessonFactory(parent=second, published=False)
    LessonFactory(parent=second, published=False)
    submit(client, incomplete_course, summary="Now with a summary.", price="0")

    state = latest_workflow_state(incomplete_course)
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.current_task_state.task.name == "Editors approval"


def test_lesson_content_counts_from_the_latest_draft_not_only_the_live_version(specialist):
    course = build_course(owner=specialist)
    lesson = LessonPage.objects.descendant_of(course).first()
    lesson.body = [quiz("Broken", [question("Q?", ["a", "b"], correct=["a", "b"])])]
    lesson.save_revision(user=specialist)

    assert readiness_problems(CoursePage.objects.get(pk=course.pk)) == [
        f"Lesson “{lesson.title}”, quiz “Broken”, question 1: Only one choice can be correct "
        "in a single choice question; use multiple choice."
    ]
