"""Which lesson: the one holding a quiz or assignment, when a dripped one opens, where to resume."""

import datetime
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils import timezone

from coursepages.models import ModulePage
from learning.models import Enrollment
from learning.selectors.progress import MODULE_PATH_LENGTH, live_lessons_of


def _drip_opens_at(enrollment: Enrollment, days: int):
    """A cohort's learners all get a module together: at midnight in the cohort's zone, that
    many calendar days after the cohort's first day (so a DST change moves no opening).
    Anyone else gets it that many days after their access began."""
    if enrollment.cohort_id:
        cohort = enrollment.cohort
        day = cohort.starts_on + timedelta(days=days)
        midnight = datetime.datetime.combine(day, datetime.time(0), ZoneInfo(cohort.timezone))
        return midnight.astimezone(datetime.UTC)
    if enrollment.activated_at is None:
        return None
    return enrollment.activated_at + timedelta(days=days)


def lesson_opens_at(*, enrollment: Enrollment, lesson):
    """When a dripped lesson opens for this learner, or None if it is open (or not dripped)."""
    module = ModulePage.objects.filter(path=lesson.path[:MODULE_PATH_LENGTH])
    days = module.values_list("opens_after_days", flat=True).first()
    if not days:
        return None
    opens_at = _drip_opens_at(enrollment, days)
    return opens_at if opens_at is not None and opens_at > timezone.now() else None


def lesson_to_resume(*, enrollment: Enrollment):
    """The last lesson touched if it is still live, else the first one not completed (or None)."""
    lessons = live_lessons_of(enrollment.course)
    if enrollment.last_lesson_id and lessons.filter(pk=enrollment.last_lesson_id).exists():
        return lessons.get(pk=enrollment.last_lesson_id), "last_touched"
    done = enrollment.completions.values("lesson_id")
    first_open = lessons.exclude(pk__in=done).first()
    if first_open:
        return first_open, "first_incomplete"
    return None, "all_complete"


def lesson_with_block(*, course, block_type: str, block_id: str):
    """The live lesson of the course whose body holds that quiz or assignment, or None."""
    candidates = (
        live_lessons_of(course)
        .annotate(body_text=Cast("body", TextField()))
        .filter(body_text__contains=block_id)
    )
    return next((lesson for lesson in candidates if lesson.find_block(block_type, block_id)), None)
