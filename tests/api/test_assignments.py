"""Handing in assignments and grading them against the rubric."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from coursepages.models import ModulePage
from coursepages.stream_values import assignment
from learning.events import submission_graded
from learning.models import AssignmentSubmission, Enrollment
from tests.api_helpers import assert_problem
from tests.factories import LessonFactory, SpecialistFactory, UserFactory, build_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(specialist):
    return build_course(owner=specialist, price=Decimal("0"))


@pytest.fixture
def work_lesson(course):
    module = ModulePage.objects.child_of(course).first()
    return LessonFactory(
        parent=module,
        title="Project",
        body=[
            assignment(
                "Redesign a chart",
                "<p>Improve it.</p>",
                [("Clarity", "One message.", 10), ("Honesty", "No tricks.", 10)],
                kinds=("text", "file"),
                pass_mark=60,
            )
        ],
    )


@pytest.fixture
def enrollment(course, learner):
    return Enrollment.objects.create(learner=learner, course=course, status="active")


def block_ids(lesson):
    [block] = lesson.blocks_of_type("assignment")
    return block.id, [criterion.id for criterion in block.value["rubric"].bound_blocks]


def submit(client, enrollment, assignment_id, **data):
    url = f"/api/v1/enrollments/{enrollment.pk}/assignments/{assignment_id}/submit/"
    if "file" in data:
        return client.post(url, data, format="multipart")
    return client.post(url, data)


def test_a_learner_hands_in_text_and_the_specialist_grades_it(
    api_client, learner, specialist, enrollment, work_lesson, django_capture_on_commit_callbacks
):
    assignment_id, (clarity, honesty) = block_ids(work_lesson)
    api_client.force_authenticate(learner)
    handed_in = submit(api_client, enrollment, assignment_id, text="My redesign.").json()
    assert handed_in["status"] == "submitted" and handed_in["max_points"] == 20

    api_client.force_authenticate(specialist)
    queue = api_client.get("/api/v1/submissions/", {"status": "submitted"}).json()
    assert [s["id"] for s in queue["results"]] == [handed_in["id"]]
    graded_events = []
    submission_graded.connect(
        listener := lambda sender, submission, **kw: graded_events.append(submission)
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.put(
            f"/api/v1/submissions/{handed_in['id']}/grade/",
            {"scores": {clarity: 8, honesty: 5}, "feedback": "Clear, but the axis is cut."},
        )
    submission_graded.disconnect(listener)

    body = response.json()
    assert (body["status"], body["points"], body["score"]) == ("passed", 13, "65.00")
    assert [s.pk for s in graded_events] == [handed_in["id"]]
    assert api_client.get("/api/v1/submissions/", {"status": "submitted"}).json()["results"] == []


def test_a_failed_submission_can_be_handed_in_again_but_a_pending_one_cannot(
    api_client, learner, specialist, enrollment, work_lesson
):
    assignment_id, criteria = block_ids(work_lesson)
    api_client.force_authenticate(learner)
    first = submit(api_client, enrollment, assignment_id, text="Draft").json()
    assert_problem(
        submit(api_client, enrollment, assignment_id, text="Again"), 409, "already_submitted"
    )

    api_client.force_authenticate(specialist)
    api_client.put(
        f"/api/v1/submissions/{first['id']}/grade/", {"scores": dict.fromkeys(criteria, 2)}
    )

    api_client.force_authenticate(learner)
    assert submit(api_client, enrollment, assignment_id, text="Better").status_code == 201
    assert AssignmentSubmission.objects.filter(enrollment=enrollment).count() == 2


def test_files_are_accepted_by_type_and_size(api_client, learner, enrollment, work_lesson):
    assignment_id, _ = block_ids(work_lesson)
    api_client.force_authenticate(learner)

    wrong_type = SimpleUploadedFile("run.exe", b"MZ", content_type="application/octet-stream")
    body = assert_problem(
        submit(api_client, enrollment, assignment_id, file=wrong_type), 400, "invalid"
    )
    assert list(body["errors"]) == ["file"]

    with override_settings(ASSIGNMENT_UPLOAD_MAX_BYTES=10):
        too_big = SimpleUploadedFile("work.pdf", b"%PDF-1.4 " + b"x" * 100)
        assert_problem(submit(api_client, enrollment, assignment_id, file=too_big), 400, "invalid")

    pdf = SimpleUploadedFile("work.pdf", b"%PDF-1.4 my work", content_type="application/pdf")
    body = submit(api_client, enrollment, assignment_id, file=pdf).json()
    assert body["kind"] == "file" and "/api/v1/files/" in body["file_url"]


def test_only_the_kinds_the_assignment_allows(api_client, learner, enrollment, work_lesson):
    assignment_id, _ = block_ids(work_lesson)
    api_client.force_authenticate(learner)
    body = assert_problem(
        submit(api_client, enrollment, assignment_id, url="https://example.com/work"),
        400,
        "invalid",
    )
    assert list(body["errors"]) == ["url"]
    body = assert_problem(submit(api_client, enrollment, assignment_id), 400, "invalid")
    assert list(body["errors"]) == ["non_field_errors"]


def test_grades_must_score_every_criterion_within_its_maximum(
    api_client, learner, specialist, enrollment, work_lesson
):
    assignment_id, (clarity, honesty) = block_ids(work_lesson)
    api_client.force_authenticate(learner)
    submission = submit(api_client, enrollment, assignment_id, text="Work").json()
    api_client.force_authenticate(specialist)
    url = f"/api/v1/submissions/{submission['id']}/grade/"

    body = assert_problem(api_client.put(url, {"scores": {clarity: 11}}), 400, "invalid")

    assert set(body["errors"]) == {f"scores.{clarity}", f"scores.{honesty}"}
    assert AssignmentSubmission.objects.get().status == "submitted"


def test_grading_twice_leaves_the_last_grade(
    api_client, learner, specialist, enrollment, work_lesson
):
    assignment_id, criteria = block_ids(work_lesson)
    api_client.force_authenticate(learner)
    submission = submit(api_client, enrollment, assignment_id, text="Work").json()
    api_client.force_authenticate(specialist)
    url = f"/api/v1/submissions/{submission['id']}/grade/"
    api_client.put(url, {"scores": dict.fromkeys(criteria, 2)})
    api_client.put(url, {"scores": dict.fromkeys(criteria, 9)})

    graded = AssignmentSubmission.objects.get()
    assert (graded.status, graded.points) == ("passed", 18)


@pytest.mark.parametrize("who", ["other_specialist", "learner_of_it", "anonymous"])
def test_only_the_courses_specialist_sees_and_grades(
    api_client, learner, enrollment, work_lesson, who
):
    assignment_id, criteria = block_ids(work_lesson)
    api_client.force_authenticate(learner)
    submission = submit(api_client, enrollment, assignment_id, text="Work").json()
    api_client.force_authenticate(
        {"other_specialist": SpecialistFactory(), "learner_of_it": learner, "anonymous": None}[who]
    )

    response = api_client.put(
        f"/api/v1/submissions/{submission['id']}/grade/", {"scores": dict.fromkeys(criteria, 9)}
    )

    if who == "anonymous":
        assert_problem(response, 401, "not_authenticated")
    else:
        assert_problem(response, 404, "not_found")
        assert api_client.get("/api/v1/submissions/").json()["results"] == []
    assert AssignmentSubmission.objects.get().status == "submitted"


def test_another_learner_cannot_hand_in_on_an_enrollment(api_client, enrollment, work_lesson):
    assignment_id, _ = block_ids(work_lesson)
    api_client.force_authenticate(UserFactory())
    assert_problem(submit(api_client, enrollment, assignment_id, text="x"), 404, "not_found")


def test_grading_queue_runs_a_fixed_number_of_queries(
    api_client, specialist, course, work_lesson, django_assert_max_num_queries
):
    assignment_id, _ = block_ids(work_lesson)
    for _ in range(5):
        learner = UserFactory()
        enrollment = Enrollment.objects.create(learner=learner, course=course, status="active")
        api_client.force_authenticate(learner)
        submit(api_client, enrollment, assignment_id, text="Work")
    api_client.force_authenticate(specialist)
    with django_assert_max_num_queries(2):
        assert len(api_client.get("/api/v1/submissions/").json()["results"]) == 5


def test_handed_in_files_reach_the_learner_and_the_grader(
    api_client, learner, specialist, enrollment, work_lesson, client_for
):
    assignment_id, _ = block_ids(work_lesson)
    api_client.force_authenticate(learner)
    pdf = SimpleUploadedFile("work.pdf", b"%PDF-1.4 my work", content_type="application/pdf")
    file_url = submit(api_client, enrollment, assignment_id, file=pdf).json()["file_url"]
    assert Client().get(file_url).getvalue() == b"%PDF-1.4 my work"

    api_client.force_authenticate(specialist)
    [queued] = api_client.get("/api/v1/submissions/?status=submitted").json()["results"]
    assert Client().get(queued["file_url"]).getvalue() == b"%PDF-1.4 my work"

    grade_page = client_for(specialist).get(f"/admin/grading/{queued['id']}/")
    admin_link = grade_page.content.decode().split('href="/api/v1/files/')[1].split('"')[0]
    assert Client().get(f"/api/v1/files/{admin_link}").getvalue() == b"%PDF-1.4 my work"
