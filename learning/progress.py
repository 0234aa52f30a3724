"""Progress, always counted against the course's current live lessons.

A lesson counts when it is live and so is its module; a completion of a lesson
that has since been unpublished or moved away stops counting, and comes back
if the lesson does.
"""

from django.db.models import Count, Exists, F, OuterRef
from django.db.models.functions import Substr
from wagtail.models import Page

from coursepages.models import LessonPage
from learning.models import LessonCompletion

COURSE_PATH_LENGTH = 3 * Page.steplen  # root → catalog → course
MODULE_PATH_LENGTH = 4 * Page.steplen


def live_lessons():
    """Every live lesson whose module is live too."""
    module_is_live = Exists(
        Page.objects.filter(live=True, path=Substr(OuterRef("path"), 1, MODULE_PATH_LENGTH))
    )
    return LessonPage.objects.live().filter(module_is_live)


def live_lessons_of(course):
    return live_lessons().filter(path__startswith=course.path).order_by("path")


def lesson_totals(course_paths):
    """{course path: number of live lessons} for many courses, in one query."""
    rows = (
        live_lessons()
        .annotate(course_path=Substr("path", 1, COURSE_PATH_LENGTH))
        .filter(course_path__in=course_paths)
        .values("course_path")
        .annotate(lessons=Count("pk"))
        .order_by()
    )
    return {row["course_path"]: row["lessons"] for row in rows}


def completed_counts(enrollment_ids):
    """{enrollment id: live lessons completed} for many enrollments, in one query."""
    rows = (
        LessonCompletion.objects.filter(
            enrollment_id__in=enrollment_ids,
            lesson__in=live_lessons(),
            lesson__path__startswith=F("enrollment__course__path"),
        )
        .values("enrollment_id")
        .annotate(done=Count("pk"))
        .order_by()
    )
    return {row["enrollment_id"]: row["done"] for row in rows}


def percent(done, total):
    return round(100 * done / total) if total else 0
