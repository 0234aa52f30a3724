"""Grading in the Wagtail admin, as the course's specialist and as those who must be refused."""

from decimal import Decimal

import pytest

from coursepages.models import LessonPage
from learning.models import AssignmentSubmission, Enrollment
from learning.services import assignment_submit
from tests.admin_helpers import assert_refused, messages_of, staff_without_roles
from tests.factories import SpecialistFactory, UserFactory, build_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def submission(specialist):
    course = build_course(owner=specialist, price=Decimal("0"))
    lesson = LessonPage.objects.descendant_of(course).order_by("path").first()
    [block] = lesson.blocks_of_type("assignment")
    enrollment = Enrollment.objects.create(
        learner=UserFactory(first_name="Lena"), course=course, status="active"
    )
    return assignment_submit(
        enrollment=enrollment, assignment_id=block.id, text="My redesign, explained."
    )


def test_the_specialist_grades_from_the_admin_queue(client_for, specialist, submission):
    client = client_for(specialist)
    assert "/admin/grading/" in client.get("/admin/").content.decode()  # in the menu
    queue = client.get("/admin/grading/").content.decode()
    assert "Redesign a chart" in queue and f"/admin/grading/{submission.pk}/" in queue

    page = client.get(f"/admin/grading/{submission.pk}/").content.decode()
    assert "My redesign, explained." in page
    fields = {f"criterion_{c['id']}": c["max_points"] - 2 for c in submission.rubric}
    response = client.post(f"/admin/grading/{submission.pk}/", {**fields, "feedback": "Nice."})

    submission.refresh_from_db()
    assert response.status_code == 302
    assert (submission.status, submission.points, submission.feedback) == ("passed", 16, "Nice.")
    assert any("Graded: 80.00%" in m for m in messages_of(response))


def test_points_above_a_criterion_maximum_are_refused_on_that_field(
    client_for, specialist, submission
):
    criterion = submission.rubric[0]
    data = {f"criterion_{c['id']}": 1 for c in submission.rubric}
    data[f"criterion_{criterion['id']}"] = criterion["max_points"] + 1

    response = client_for(specialist).post(f"/admin/grading/{submission.pk}/", data)

    assert response.status_code == 200
    assert "less than or equal to" in response.content.decode()
    assert AssignmentSubmission.objects.get().status == "submitted"


def test_another_specialist_cannot_see_or_grade_it(client_for, submission):
    client = client_for(SpecialistFactory())
    assert "Redesign a chart" not in client.get("/admin/grading/").content.decode()
    assert client.get(f"/admin/grading/{submission.pk}/").status_code == 404
    data = {f"criterion_{c['id']}": 1 for c in submission.rubric}
    assert client.post(f"/admin/grading/{submission.pk}/", data).status_code == 404
    assert AssignmentSubmission.objects.get().status == "submitted"


def test_learners_do_not_reach_grading(client_for, submission):
    response = client_for(submission.enrollment.learner).get(f"/admin/grading/{submission.pk}/")
    assert response.status_code == 302 and "/admin/login/" in response.url


def test_the_grade_form_shows_the_instructions_the_work_and_the_rubric(
    client_for, specialist, submission
):
    AssignmentSubmission.objects.filter(pk=submission.pk).update(url="https://example.com/mine")
    client = client_for(specialist)

    page = client.get(f"/admin/grading/{submission.pk}/").content.decode()

    assert "Improve a chart from the news." in page  # the block's instructions
    assert '<a href="https://example.com/mine"' in page
    assert "One clear message." in page and "No misleading scales." in page
    assert "Lena Person" in page and "@example.com" not in page
    assert "Current grade" not in page
    fields = {f"criterion_{c['id']}": 5 for c in submission.rubric}
    client.post(f"/admin/grading/{submission.pk}/", {**fields, "feedback": "Try again."})
    regraded = client.get(f"/admin/grading/{submission.pk}/").content.decode()
    assert "Current grade" in regraded and "10 of 20 points" in regraded
    assert "Try again." in regraded


def test_the_queue_filters_searches_and_exports_everything(client_for, specialist, submission):
    other_course = build_course(owner=specialist, price=Decimal("0"))
    lesson = LessonPage.objects.descendant_of(other_course).order_by("path").first()
    [block] = lesson.blocks_of_type("assignment")
    other = assignment_submit(
        enrollment=Enrollment.objects.create(
            learner=UserFactory(first_name="Omar"), course=other_course, status="active"
        ),
        assignment_id=block.id,
        text="Another answer.",
    )
    # Earlier failed attempts: far more than the old queue's cap of 200 rows.
    AssignmentSubmission.objects.bulk_create(
        AssignmentSubmission(
            **{
                field.attname: getattr(submission, field.attname)
                for field in AssignmentSubmission._meta.concrete_fields
                if field.attname != "id"
            }
            | {"status": "failed"}
        )
        for _ in range(205)
    )
    client = client_for(specialist)

    waiting = client.get("/admin/grading/").content.decode()
    by_course = client.get(f"/admin/grading/?course={other_course.pk}").content.decode()
    by_learner = client.get("/admin/grading/?q=Omar").content.decode()
    failed = client.get("/admin/grading/?status=failed")
    export = client.get("/admin/grading/?status=&export=csv").getvalue().decode().splitlines()

    assert (
        f"/admin/grading/{submission.pk}/" in waiting and f"/admin/grading/{other.pk}/" in waiting
    )
    assert f"/admin/grading/{other.pk}/" in by_course
    assert f"/admin/grading/{submission.pk}/" not in by_course
    assert f"/admin/grading/{other.pk}/" in by_learner
    assert f"/admin/grading/{submission.pk}/" not in by_learner
    assert failed.context["paginator"].count == 205  # paginated, not capped
    assert len(export) == 1 + 2 + 205
    assert export[0].startswith("ID,Course,Assignment id,Assignment title,Learner,")
    assert any(row.startswith(f"{other.pk},{other_course.title},") for row in export)
    assert "Omar Person" in "\n".join(export) and "@example.com" not in "\n".join(export)


def test_editors_see_the_queue_empty_with_who_grades(client_for, editor, submission):
    client = client_for(editor)
    assert "/admin/grading/" in client.get("/admin/").content.decode()  # in the menu

    queue = client.get("/admin/grading/").content.decode()

    assert "Redesign a chart" not in queue
    assert "Only the course&#x27;s specialist" in queue
    assert client.get(f"/admin/grading/{submission.pk}/").status_code == 404


def test_admin_users_without_a_role_are_refused(client, submission):
    client.force_login(staff_without_roles())
    assert "/admin/grading/" not in client.get("/admin/").content.decode()
    assert_refused(client.get("/admin/grading/"))
    assert_refused(client.get(f"/admin/grading/{submission.pk}/"))


@pytest.mark.parametrize("waiting", [1, 12])
def test_the_queue_costs_the_same_queries_for_one_submission_or_many(
    client_for, specialist, submission, waiting, django_assert_max_num_queries
):
    block_id, lesson = submission.assignment_id, submission.lesson
    for number in range(waiting - 1):
        enrollment = Enrollment.objects.create(
            learner=UserFactory(first_name=f"Learner {number}"), course=lesson.get_course(),
            status="active",
        )  # fmt: skip
        assignment_submit(enrollment=enrollment, assignment_id=block_id, text="Mine.")
    client = client_for(specialist)

    with django_assert_max_num_queries(14):
        response = client.get("/admin/grading/")

    assert response.status_code == 200
    assert response.content.decode().count("/admin/grading/") >= waiting
