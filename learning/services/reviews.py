"""Ratings and reviews, and the course's denormalised rating average and count."""

from django.db import transaction
from django.db.models import Avg, Count

from coursepages.catalog import catalog_changed
from coursepages.models import CoursePage
from learning.exceptions import NotEnrolled
from learning.models import CourseReview, Enrollment


@transaction.atomic
def review_save(*, learner, course, rating: int, comment: str = ""):
    """Create or replace the learner's review; only learners with access may review."""
    if not Enrollment.objects.filter(
        learner=learner, course=course, status__in=Enrollment.ACCESS_STATUSES
    ).exists():
        raise NotEnrolled("Only learners enrolled in this course can review it.")
    review, created = CourseReview.objects.update_or_create(
        course=course, learner=learner, defaults={"rating": rating, "comment": comment}
    )
    course_rating_recount(course.pk)
    return review, created


def course_rating_recount(course_id: int) -> None:
    """The course's rating average and count from its reviews, in the caller's transaction."""
    # Lock the course row so concurrent reviews leave a consistent average.
    CoursePage.objects.select_for_update().filter(pk=course_id).first()
    summary = CourseReview.objects.filter(course_id=course_id).aggregate(
        average=Avg("rating"), count=Count("pk")
    )
    CoursePage.objects.filter(pk=course_id).update(
        rating_average=round(summary["average"] or 0, 2), rating_count=summary["count"]
    )
    catalog_changed()
