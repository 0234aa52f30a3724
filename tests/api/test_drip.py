"""Drip: a module can open some days after the learner enrolls."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from coursepages.models import LessonPage, ModulePage
from learning.models import Enrollment
from tests.api_helpers import assert_problem
from tests.factories import build_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def dripped(api_client, learner):
    course = build_course(price=Decimal("0"))
    second_module = ModulePage.objects.child_of(course).order_by("path").last()
    second_module.opens_after_days = 7
    second_module.save_revision().publish()
    enrollment = Enrollment.objects.create(
        learner=learner, course=course, status="active", activated_at=timezone.now()
    )
    api_client.force_authenticate(learner)
    return api_client, enrollment, LessonPage.objects.child_of(second_module).first()


def test_a_lesson_of_a_dripped_module_is_locked_until_its_date(dripped):
    client, enrollment, lesson = dripped
    base = f"/api/v1/enrollments/{enrollment.pk}/lessons/{lesson.pk}/"

    body = assert_problem(client.get(base), 403, "lesson_locked")
    assert_problem(client.post(f"{base}complete/"), 403, "lesson_locked")

    opens_at = enrollment.activated_at + timedelta(days=7)
    assert body["opens_at"] == opens_at.isoformat()


def test_it_opens_once_the_days_have_passed(dripped):
    client, enrollment, lesson = dripped
    Enrollment.objects.filter(pk=enrollment.pk).update(
        activated_at=timezone.now() - timedelta(days=8)
    )
    assert (
        client.get(f"/api/v1/enrollments/{enrollment.pk}/lessons/{lesson.pk}/").status_code == 200
    )


def test_a_free_preview_is_open_whatever_the_drip(dripped):
    client, enrollment, lesson = dripped
    lesson.is_free_preview = True
    lesson.save_revision().publish()
    assert (
        client.get(f"/api/v1/enrollments/{enrollment.pk}/lessons/{lesson.pk}/").status_code == 200
    )
