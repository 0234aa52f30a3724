"""Grading in the Wagtail admin, as the course's specialist and as those who must be refused."""

from decimal import Decimal

import pytest

from coursepages.models import LessonPage
from learning.models import AssignmentSubmission, Enrollment
from learning.services import assignment_submit
from tests.admin_helpers import messages_of
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
