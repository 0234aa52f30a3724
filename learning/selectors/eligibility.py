"""Certificate eligibility: the course's criteria, each with where the learner stands."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Max, Q

from learning.attendance import attendance_standing
from learning.models import AssignmentSubmission, QuizAttempt
from learning.selectors.progress import Progress, enrollment_progress, live_lessons_of


@dataclass
class Criterion:
    name: str
    required: float
    current: float | None
    met: bool


@dataclass
class AttendanceCriterion(Criterion):
    """The attendance criterion of cohort courses, with how the learner can still do."""

    sessions_left: int
    max_achievable: float | None
    reachable: bool


def _percent(value) -> float | None:
    return None if value is None else float(value)


def attendance_criterion(enrollment) -> AttendanceCriterion:
    standing = attendance_standing(enrollment)
    return AttendanceCriterion(
        "attendance",
        standing.threshold,
        _percent(standing.percent),
        standing.met,
        sessions_left=standing.sessions_left,
        max_achievable=_percent(standing.max_achievable),
        reachable=standing.reachable,
    )


def course_assessments(course):
    """Block ids of the quizzes and assignments in the course's live lessons, in order."""
    ids = {"quiz": [], "assignment": []}
    lessons = live_lessons_of(course).filter(Q(has_quiz=True) | Q(has_assignment=True))
    for body in lessons.values_list("body", flat=True):
        for block in body.raw_data:
            if block["type"] in ids:
                ids[block["type"]].append(block["id"])
    return ids["quiz"], ids["assignment"]


def eligibility(enrollment, progress: Progress | None = None):
    """(eligible, [Criterion]) for the enrollment's course as it is now."""
    course = enrollment.course
    lessons = (progress or enrollment_progress(enrollment)).percent
    criteria = [
        Criterion("lessons", course.certificate_min_lessons_percent, lessons,
                  lessons >= course.certificate_min_lessons_percent),
    ]  # fmt: skip

    quiz_ids, assignment_ids = course_assessments(course)
    if quiz_ids:
        best = dict(
            QuizAttempt.objects.filter(enrollment=enrollment, quiz_id__in=quiz_ids)
            .values_list("quiz_id")
            .annotate(best=Max("score"))
        )
        average = sum(best.get(quiz_id, Decimal(0)) for quiz_id in quiz_ids) / len(quiz_ids)
        required = course.certificate_min_quiz_average
        criteria.append(
            Criterion("quizzes", required, float(round(average, 2)), average >= required)
        )

    if assignment_ids and course.certificate_requires_assignments:
        passed = (
            AssignmentSubmission.objects.filter(
                enrollment=enrollment, assignment_id__in=assignment_ids, status="passed"
            )
            .values("assignment_id")
            .distinct()
            .count()
        )
        criteria.append(
            Criterion("assignments", len(assignment_ids), passed, passed >= len(assignment_ids))
        )

    if enrollment.cohort_id:  # met when the attendance percent reaches the course's minimum
        criteria.append(attendance_criterion(enrollment))
    return all(criterion.met for criterion in criteria), criteria
