"""Enrolling, my courses, progress and resume, as learners and as people who must be refused."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from api.models import IdempotencyRecord
from api.tasks import prune_idempotency_records
from coursepages.models import CoursePage, LessonPage
from coursepages.services import course_archive
from learning.events import enrollment_activated
from learning.models import Enrollment
from tests.api_helpers import assert_problem
from tests.factories import UserFactory, build_course

pytestmark = pytest.mark.django_db

ENROLL = "/api/v1/enrollments/"


@pytest.fixture
def free_course():
    return build_course(title="Free course", price=Decimal("0"))


@pytest.fixture
def paid_course():
    return build_course(title="Paid course", price=Decimal("49"))


@pytest.fixture
def learner_client(api_client, learner):
    api_client.force_authenticate(learner)
    return api_client


def enroll(client, course):
    return client.post(ENROLL, {"course": course.pk})


def lessons_of(course):
    return list(LessonPage.objects.descendant_of(course).order_by("path"))


def test_enrolling_in_a_free_course_gives_access_at_once(
    learner_client, learner, free_course, django_capture_on_commit_callbacks
):
    announced = []

    def listener(sender, enrollment, **kwargs):
        announced.append(enrollment)

    enrollment_activated.connect(listener)
    with django_capture_on_commit_callbacks(execute=True):
        response = enroll(learner_client, free_course)
    enrollment_activated.disconnect(listener)

    body = response.json()
    assert response.status_code == 201
    assert body["status"] == "active"
    assert body["progress"] == {"completed_lessons": 0, "total_lessons": 4, "percent": 0}
    assert CoursePage.objects.get(pk=free_course.pk).enrollment_count == 1
    assert [e.learner for e in announced] == [learner]


def test_a_paid_course_waits_for_payment_and_gives_no_access(learner_client, paid_course):
    body = enroll(learner_client, paid_course).json()
    lesson = lessons_of(paid_course)[0]

    response = learner_client.post(f"{ENROLL}{body['id']}/lessons/{lesson.pk}/complete/")

    assert body["status"] == "pending_payment"
    assert_problem(response, 403, "enrollment_inactive")
    assert CoursePage.objects.get(pk=paid_course.pk).enrollment_count == 0


def test_enrolling_twice_is_a_409_that_names_the_enrollment(learner_client, free_course):
    first = enroll(learner_client, free_course).json()
    body = assert_problem(enroll(learner_client, free_course), 409, "already_enrolled")
    assert body["enrollment"] == first["id"]
    assert Enrollment.objects.count() == 1


def test_the_database_refuses_a_second_live_enrollment(learner, free_course):
    Enrollment.objects.create(learner=learner, course=free_course, status="active")
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrollment.objects.create(learner=learner, course=free_course, status="pending_payment")
    Enrollment.objects.create(learner=learner, course=free_course, status="refunded")


def test_archived_or_closed_courses_refuse_new_enrollments(learner_client, editor, free_course):
    course_archive(course=free_course, user=editor)
    assert_problem(enroll(learner_client, free_course), 409, "enrollment_closed")

    closed = build_course(price=Decimal("0"))
    closed.enrollment_open = False
    closed.save_revision().publish()
    assert_problem(enroll(learner_client, closed), 409, "enrollment_closed")


def test_enrolling_in_a_draft_course_says_there_is_no_such_course(learner_client):
    draft = build_course(published=False)
    body = assert_problem(enroll(learner_client, draft), 400, "invalid")
    assert body["errors"] == {"course": ["No published course with this id."]}


def test_anonymous_people_must_sign_in(api_client, free_course):
    assert_problem(enroll(api_client, free_course), 401, "not_authenticated")
    assert_problem(api_client.get(ENROLL), 401, "not_authenticated")


def test_completing_counts_once_and_shows_in_my_courses(learner_client, free_course):
    enrollment = enroll(learner_client, free_course).json()
    lesson = lessons_of(free_course)[1]
    url = f"{ENROLL}{enrollment['id']}/lessons/{lesson.pk}/complete/"

    first, second = learner_client.post(url).json(), learner_client.post(url).json()

    assert first == second
    assert first["progress"] == {"completed_lessons": 1, "total_lessons": 4, "percent": 25}
    [mine] = learner_client.get(ENROLL).json()["results"]
    assert mine["progress"]["percent"] == 25
    detail = learner_client.get(f"{ENROLL}{enrollment['id']}/").json()
    assert [[lesson["completed"] for lesson in m["lessons"]] for m in detail["modules"]] == [
        [False, True],
        [False, False],
    ]


def test_progress_follows_the_live_lessons(learner_client, free_course):
    enrollment = enroll(learner_client, free_course).json()
    first = lessons_of(free_course)[0]
    learner_client.post(f"{ENROLL}{enrollment['id']}/lessons/{first.pk}/complete/")

    first.unpublish()

    detail = learner_client.get(f"{ENROLL}{enrollment['id']}/").json()
    assert detail["progress"] == {"completed_lessons": 0, "total_lessons": 3, "percent": 0}
    [mine] = learner_client.get(ENROLL).json()["results"]
    assert mine["progress"] == detail["progress"]


def test_a_lesson_of_another_course_cannot_be_completed(learner_client, free_course):
    enrollment = enroll(learner_client, free_course).json()
    elsewhere = lessons_of(build_course())[0]
    response = learner_client.post(f"{ENROLL}{enrollment['id']}/lessons/{elsewhere.pk}/complete/")
    assert_problem(response, 404, "not_found")


def test_resume_gives_the_first_incomplete_then_the_last_touched(learner_client, free_course):
    enrollment = enroll(learner_client, free_course).json()
    lessons = lessons_of(free_course)
    resume = f"{ENROLL}{enrollment['id']}/resume/"

    assert learner_client.get(resume).json() == {
        "lesson": {"id": lessons[0].pk, "title": lessons[0].title, "completed": False},
        "reason": "first_incomplete",
    }
    learner_client.post(f"{ENROLL}{enrollment['id']}/lessons/{lessons[2].pk}/complete/")
    assert learner_client.get(resume).json()["lesson"]["id"] == lessons[2].pk
    assert learner_client.get(resume).json()["reason"] == "last_touched"


@pytest.mark.parametrize("who", ["other_learner", "specialist", "anonymous"])
def test_someone_elses_enrollment_is_invisible(api_client, learner, free_course, who, specialist):
    enrollment = Enrollment.objects.create(learner=learner, course=free_course, status="active")
    lesson = lessons_of(free_course)[0]
    if who != "anonymous":
        api_client.force_authenticate(UserFactory() if who == "other_learner" else specialist)
    expected = (401, "not_authenticated") if who == "anonymous" else (404, "not_found")

    for response in (
        api_client.get(f"{ENROLL}{enrollment.pk}/"),
        api_client.get(f"{ENROLL}{enrollment.pk}/resume/"),
        api_client.post(f"{ENROLL}{enrollment.pk}/lessons/{lesson.pk}/complete/"),
    ):
        assert_problem(response, *expected)
    if who != "anonymous":
        assert api_client.get(ENROLL).json()["results"] == []
    assert not enrollment.completions.exists()


def test_my_courses_and_detail_stay_within_a_fixed_number_of_queries(
    learner_client, learner, django_assert_max_num_queries
):
    courses = [build_course(price=Decimal("0")) for _ in range(4)]
    for course in courses:
        Enrollment.objects.create(learner=learner, course=course, status="active")
    with django_assert_max_num_queries(4):
        assert len(learner_client.get(ENROLL).json()["results"]) == 4
    enrollment = Enrollment.objects.filter(learner=learner).first()
    with django_assert_max_num_queries(5):
        assert learner_client.get(f"{ENROLL}{enrollment.pk}/").status_code == 200


def test_a_retry_with_the_same_idempotency_key_replays_the_first_answer(
    learner_client, free_course
):
    key = {"HTTP_IDEMPOTENCY_KEY": "enroll-7f3a"}
    first = learner_client.post(ENROLL, {"course": free_course.pk}, **key)
    retry = learner_client.post(ENROLL, {"course": free_course.pk}, **key)

    assert (first.status_code, retry.status_code) == (201, 201)
    assert retry.json() == first.json()
    assert retry["Idempotent-Replayed"] == "true"
    assert Enrollment.objects.count() == 1


def test_an_idempotency_key_is_forgotten_a_day_after_its_first_use(
    learner_client, free_course, monkeypatch
):
    key = {"HTTP_IDEMPOTENCY_KEY": "enroll-yesterday"}
    assert learner_client.post(ENROLL, {"course": free_course.pk}, **key).status_code == 201
    first_use = IdempotencyRecord.objects.get().created_at
    other = build_course(price=Decimal("0"))

    monkeypatch.setattr(timezone, "now", lambda: first_use + timedelta(hours=24))
    prune_idempotency_records.delay()  # exactly a day later: still remembered
    reused = learner_client.post(ENROLL, {"course": other.pk}, **key)
    assert_problem(reused, 422, "idempotency_key_reused")

    monkeypatch.setattr(timezone, "now", lambda: first_use + timedelta(hours=24, microseconds=1))
    prune_idempotency_records.delay()
    assert learner_client.post(ENROLL, {"course": other.pk}, **key).status_code == 201


def test_a_request_that_died_in_flight_frees_its_key_after_60_seconds(
    learner_client, learner, free_course, monkeypatch
):
    key = {"HTTP_IDEMPOTENCY_KEY": "enroll-killed"}
    learner_client.post(ENROLL, {"course": free_course.pk}, **key)
    # What a worker killed mid-request leaves: the record, never answered, and nothing else.
    record = IdempotencyRecord.objects.get()
    IdempotencyRecord.objects.filter(pk=record.pk).update(status_code=None, body=None)
    Enrollment.objects.all().delete()

    monkeypatch.setattr(
        timezone, "now", lambda: record.created_at + timedelta(seconds=60, microseconds=-1)
    )
    still_running = learner_client.post(ENROLL, {"course": free_course.pk}, **key)
    assert_problem(still_running, 409, "idempotent_request_in_flight")

    monkeypatch.setattr(timezone, "now", lambda: record.created_at + timedelta(seconds=60))
    retried = learner_client.post(ENROLL, {"course": free_course.pk}, **key)
    assert retried.status_code == 201
    replayed = learner_client.post(ENROLL, {"course": free_course.pk}, **key)
    assert replayed.status_code == 201 and replayed["Idempotent-Replayed"] == "true"
    assert replayed.json() == retried.json()
    assert Enrollment.objects.filter(learner=learner).count() == 1


def test_an_idempotency_key_cannot_be_reused_for_another_request(learner_client, free_course):
    other = build_course(price=Decimal("0"))
    key = {"HTTP_IDEMPOTENCY_KEY": "enroll-1"}
    learner_client.post(ENROLL, {"course": free_course.pk}, **key)

    response = learner_client.post(ENROLL, {"course": other.pk}, **key)

    assert_problem(response, 422, "idempotency_key_reused")
    assert not Enrollment.objects.filter(course=other).exists()


def test_a_failed_request_is_not_replayed(learner_client, free_course, editor):
    key = {"HTTP_IDEMPOTENCY_KEY": "enroll-after-reopening"}
    free_course.enrollment_open = False
    free_course.save_revision().publish()
    assert_problem(
        learner_client.post(ENROLL, {"course": free_course.pk}, **key), 409, "enrollment_closed"
    )

    free_course.enrollment_open = True
    free_course.save_revision().publish()
    assert learner_client.post(ENROLL, {"course": free_course.pk}, **key).status_code == 201


def test_idempotency_keys_belong_to_their_user(api_client, free_course):
    key = {"HTTP_IDEMPOTENCY_KEY": "same-key"}
    for learner in (UserFactory(), UserFactory()):
        api_client.force_authenticate(learner)
        assert (
            api_client.post(ENROLL, {"course": free_course.pk}, **key).json()["status"] == "active"
        )
    assert Enrollment.objects.count() == 2


def test_completing_reports_progress_over_live_lessons_of_live_modules(learner_client, free_course):
    enrollment = enroll(learner_client, free_course).json()
    lessons = lessons_of(free_course)
    complete = f"{ENROLL}{enrollment['id']}/lessons/{{}}/complete/"
    learner_client.post(complete.format(lessons[0].pk))

    lessons[-1].get_parent().unpublish()  # its lessons stay live, the module does not

    body = learner_client.post(complete.format(lessons[1].pk)).json()
    assert body["progress"] == {"completed_lessons": 2, "total_lessons": 2, "percent": 100}
    assert_problem(learner_client.post(complete.format(lessons[-1].pk)), 404, "not_found")
