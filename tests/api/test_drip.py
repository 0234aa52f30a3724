"""Drip: a module can open some days after the learner enrolls."""

import datetime
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from coursepages.models import LessonPage, ModulePage
from learning.models import Enrollment
from tests.api_helpers import api_instant, assert_problem
from tests.factories import CohortFactory, build_course
from tests.session_helpers import freeze, member_of

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
    assert body["opens_at"] == api_instant(opens_at)


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


# Cohorts: the module opens for the whole batch at once, counted from the cohort's first day.


@pytest.fixture
def cohort_dripped(api_client, monkeypatch):
    """Batch 3 starts on 1 March 2024 in New York; its second module opens after 14 days,
    past the change to summer time on 10 March. The learner enrolled weeks before."""
    course = build_course(price=Decimal("0"), course_type="cohort")
    second_module = ModulePage.objects.child_of(course).order_by("path").last()
    second_module.opens_after_days = 14
    second_module.save_revision().publish()
    cohort = CohortFactory(
        course=course,
        starts_on=datetime.date(2024, 3, 1),
        ends_on=datetime.date(2024, 4, 5),
        enrollment_deadline=datetime.datetime(2024, 2, 25, tzinfo=datetime.UTC),
    )
    enrollment = member_of(cohort, activated_at=datetime.datetime(2024, 1, 10, tzinfo=datetime.UTC))
    api_client.force_authenticate(enrollment.learner)
    lesson = LessonPage.objects.child_of(second_module).first()
    return api_client, f"/api/v1/enrollments/{enrollment.pk}/lessons/{lesson.pk}/"


# Midnight of 15 March in New York, in summer time: 04:00 UTC, not 05:00.
COHORT_OPENS_AT = datetime.datetime(2024, 3, 15, 4, tzinfo=datetime.UTC)


def test_a_cohort_module_is_locked_until_midnight_local_of_its_day(cohort_dripped, monkeypatch):
    client, url = cohort_dripped
    freeze(monkeypatch, COHORT_OPENS_AT - timedelta(microseconds=1))

    body = assert_problem(client.get(url), 403, "lesson_locked")
    assert_problem(client.post(f"{url}complete/"), 403, "lesson_locked")

    assert body["opens_at"] == "2024-03-15T04:00:00Z"
    assert "2024-03-15 04:00 UTC" in body["detail"]


def test_a_cohort_module_opens_at_that_instant_whenever_the_learner_enrolled(
    cohort_dripped, monkeypatch
):
    client, url = cohort_dripped
    freeze(monkeypatch, COHORT_OPENS_AT)

    assert client.get(url).status_code == 200
    assert client.post(f"{url}complete/").status_code == 200
