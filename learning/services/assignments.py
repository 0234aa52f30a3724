"""Assignments: handing in work, and grading it against the rubric."""

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from coursepages.blocks import SubmissionKind
from learning.events import announce, submission_graded
from learning.exceptions import AlreadySubmitted, ContentNotFound, InvalidInput
from learning.models import AssignmentSubmission, Enrollment
from learning.selectors.lessons import lesson_with_block
from learning.services.eligibility import enrollment_complete_if_eligible
from learning.services.lessons import enrollment_act, require_open


def rubric_snapshot(assignment_value):
    return [
        {
            "id": criterion.id,
            "title": criterion.value["title"],
            "description": criterion.value["description"],
            "max_points": criterion.value["max_points"],
        }
        for criterion in assignment_value["rubric"].bound_blocks
    ]


def _work(kinds, text, url, file):
    given = {
        kind: value
        for kind, value in (
            (SubmissionKind.TEXT, text),
            (SubmissionKind.URL, url),
            (SubmissionKind.FILE, file),
        )
        if value
    }
    if len(given) != 1:
        raise InvalidInput({"non_field_errors": ["Hand in exactly one of: text, url, file."]})
    [(kind, value)] = given.items()
    if kind not in kinds:
        allowed = ", ".join(kinds)
        raise InvalidInput({kind: [f"This assignment accepts: {allowed}."]})
    if kind == SubmissionKind.FILE:
        extension = Path(value.name).suffix.lower().lstrip(".")
        if extension not in settings.ASSIGNMENT_UPLOAD_EXTENSIONS:
            allowed = ", ".join(settings.ASSIGNMENT_UPLOAD_EXTENSIONS)
            raise InvalidInput({"file": [f"Upload one of these file types: {allowed}."]})
        if value.size > settings.ASSIGNMENT_UPLOAD_MAX_BYTES:
            limit = settings.ASSIGNMENT_UPLOAD_MAX_BYTES // (1024 * 1024)
            raise InvalidInput({"file": [f"Files can be at most {limit} MB."]})
    return kind, value


@transaction.atomic
def assignment_submit(
    *, enrollment: Enrollment, assignment_id: str, text: str = "", url: str = "", file=None
) -> AssignmentSubmission:
    """Hand in work for an assignment of a lesson open to the learner; again only after a fail."""
    lesson = lesson_with_block(
        course=enrollment.course, block_type="assignment", block_id=assignment_id
    )
    if lesson is None:
        raise ContentNotFound("No such assignment in this course.")
    require_open(enrollment=enrollment, lesson=lesson)
    assignment = lesson.find_block("assignment", assignment_id)
    kind, value = _work(assignment.value["submission_kinds"], text, url, file)
    rubric = rubric_snapshot(assignment.value)
    submission = AssignmentSubmission(
        enrollment=enrollment,
        lesson=lesson,
        assignment_id=assignment_id,
        assignment_title=assignment.value["title"],
        kind=kind,
        rubric=rubric,
        pass_mark=assignment.value["pass_mark"],
        max_points=sum(criterion["max_points"] for criterion in rubric),
        **{kind: value},
    )
    try:
        with transaction.atomic():
            submission.save()
    except IntegrityError:
        raise AlreadySubmitted(
            "This assignment is already handed in and waiting for grading, or passed."
        ) from None
    enrollment_act(enrollment=enrollment, lesson=lesson, at=submission.submitted_at)
    return submission


@transaction.atomic
def submission_grade(*, submission, grader, scores, feedback=""):
    """Score every rubric criterion within its maximum; the pass mark decides passed or failed."""
    submission = AssignmentSubmission.objects.select_for_update().get(pk=submission.pk)
    criteria = {criterion["id"]: criterion for criterion in submission.rubric}
    errors = {}
    for criterion_id in criteria.keys() - scores.keys():
        errors[f"scores.{criterion_id}"] = ["Score this criterion."]
    for criterion_id, points in scores.items():
        criterion = criteria.get(criterion_id)
        if criterion is None:
            errors[f"scores.{criterion_id}"] = ["No such criterion in this rubric."]
        elif (
            not isinstance(points, int)
            or isinstance(points, bool)
            or not 0 <= points <= criterion["max_points"]
        ):
            errors[f"scores.{criterion_id}"] = [
                f"Give whole points from 0 to {criterion['max_points']}."
            ]
    if errors:
        raise InvalidInput(errors)
    points = sum(scores.values())
    score = (Decimal(100) * points / submission.max_points).quantize(Decimal("0.01"), ROUND_HALF_UP)
    submission.scores = scores
    submission.points = points
    submission.score = score
    submission.feedback = feedback
    submission.status = (
        AssignmentSubmission.Status.PASSED
        if score >= submission.pass_mark
        else AssignmentSubmission.Status.FAILED
    )
    submission.graded_by = grader
    submission.graded_at = timezone.now()
    try:
        with transaction.atomic():
            submission.save()
    except IntegrityError:  # a pass while a newer hand-in of the same assignment waits
        raise AlreadySubmitted(
            "The learner has handed in this assignment again: grade the newer submission."
        ) from None
    announce(submission_graded, sender=AssignmentSubmission, submission=submission)
    enrollment_complete_if_eligible(submission.enrollment)
    return submission
