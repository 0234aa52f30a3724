"""Learners completing courses the way they do, for the certification tests."""

from decimal import Decimal

from coursepages.models import LessonPage
from tests.factories import build_course


def complete_course_through_the_api(api_client, learner, course):
    api_client.force_authenticate(learner)
    enrollment = api_client.post("/api/v1/enrollments/", {"course": course.pk}).json()["id"]
    for lesson in LessonPage.objects.descendant_of(course).order_by("path"):
        api_client.post(f"/api/v1/enrollments/{enrollment}/lessons/{lesson.pk}/complete/")
    return enrollment


def easy_course(**fields):
    """Free, and complete once every lesson is: no quiz score or assignment required."""
    return build_course(
        price=Decimal("0"),
        certificate_requires_assignments=False,
        certificate_min_quiz_average=0,
        **fields,
    )
