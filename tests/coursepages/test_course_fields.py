"""Course fields a specialist fills in: defaults and the checks on them."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.factories import CourseFactory

pytestmark = pytest.mark.django_db


def test_instructor_defaults_to_the_author(specialist):
    assert CourseFactory(owner=specialist).instructor == specialist


def test_certificate_criteria_and_refund_window_have_the_documented_defaults():
    course = CourseFactory()
    assert (
        course.certificate_min_lessons_percent,
        course.certificate_min_quiz_average,
        course.certificate_requires_assignments,
        course.certificate_min_attendance_percent,
        course.refund_window_days,
        course.enrollment_open,
    ) == (80, 70, True, 80, 30, True)


@pytest.mark.parametrize(("language", "direction"), [("en", "ltr"), ("ar", "rtl"), ("he", "rtl")])
def test_course_language_gives_the_text_direction(language, direction):
    assert CourseFactory(language=language).text_direction == direction


def test_a_price_finer_than_the_currency_allows_is_refused_on_the_price_field():
    course = CourseFactory(currency="JPY", price=Decimal("1500"))
    course.price = Decimal("1500.50")
    with pytest.raises(ValidationError) as raised:
        course.full_clean()
    assert list(raised.value.message_dict) == ["price"]
