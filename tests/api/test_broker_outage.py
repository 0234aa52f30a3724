"""The broker down while learners act: what they did is saved and answered as usual; the
background work it queues is logged as not queued (and found later by beat's sweeps), never
turned into an error for a change that committed."""

import logging

import pytest

from config.celery_app import app
from coursepages.models import LessonPage
from learning.models import Enrollment
from tests.certification.helpers import easy_course
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def broker_down():
    def connect_to(broker_url, *, eager):
        app.conf.task_always_eager, app.conf.broker_url = eager, broker_url
        app._pool, app.amqp._producer_pool = None, None  # the next send connects anew

    saved = app.conf.broker_url
    connect_to("redis://127.0.0.1:1/0", eager=False)  # nothing listens there
    yield
    connect_to(saved, eager=True)


def test_completing_a_course_with_the_broker_down_is_saved_and_answered(
    api_client, broker_down, caplog
):
    course = easy_course()
    api_client.force_authenticate(UserFactory())
    with caplog.at_level(logging.WARNING, logger="config.celery_app"):
        enrolled = api_client.post("/api/v1/enrollments/", {"course": course.pk})
        assert enrolled.status_code == 201
        enrollment_id = enrolled.json()["id"]
        for lesson in LessonPage.objects.descendant_of(course).order_by("path"):
            done = api_client.post(
                f"/api/v1/enrollments/{enrollment_id}/lessons/{lesson.pk}/complete/"
            )
            assert done.status_code in (200, 201), done.content

    enrollment = Enrollment.objects.get(pk=enrollment_id)
    assert enrollment.status == "completed"
    assert not enrollment.certificates.exists()  # beat's sweep issues it once a worker runs
    not_queued = [r.getMessage() for r in caplog.records if r.name == "config.celery_app"]
    assert any(m.endswith("certification.tasks.issue_certificate not queued") for m in not_queued)
