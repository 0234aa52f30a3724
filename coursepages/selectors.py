"""Reads about courses that several apps share."""

from django.db.models import Q

# A module reference: coursepages.models imports this module (through its permission tester).
from coursepages import models


def course_teacher(course):
    """Who teaches a course: its instructor, else the specialist who created it."""
    return course.instructor or course.owner


def teaches(user, course) -> bool:
    """True for the course's instructor and its owner (not superusers: they act as staff)."""
    return user.pk is not None and user.pk in (course.owner_id, course.instructor_id)


def teaching_filter(user, *, to_course: str = "") -> Q:
    """A filter for rows whose course `user` teaches; `to_course` is the lookup path to the
    course from the filtered model, e.g. "enrollment__course__"."""
    return Q(**{f"{to_course}instructor": user}) | Q(**{f"{to_course}owner": user})


def courses_taught_by(user):
    """Courses the user teaches, live or not; every course for superusers."""
    courses = models.CoursePage.objects.all()
    if user.is_superuser:
        return courses
    # Two index lookups: `teaching_filter`'s OR spans the page and course tables, which makes
    # PostgreSQL scan every page of the site.
    taught = (
        courses.filter(instructor=user)
        .order_by()
        .values("pk")
        .union(courses.filter(owner=user).order_by().values("pk"))
    )
    return courses.filter(pk__in=taught)
