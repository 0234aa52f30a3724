"""Enrolling and learning: the rules, for API views, admin views, tasks and tests alike."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from coursepages.models import CoursePage, ModulePage
from learning.eligibility import enrollment_complete_if_eligible
from learning.events import enrollment_activated, enrollment_refunded
from learning.exceptions import (
    AlreadyEnrolled,
    AttemptsExhausted,
    ContentNotFound,
    EnrollmentClosed,
    EnrollmentInactive,
    LessonLocked,
)
from learning.models import Enrollment, LessonCompletion, QuizAttempt
from learning.progress import (
    MODULE_PATH_LENGTH,
    Progress,
    enrollment_progress,
    live_lessons_of,
)
from learning.quizzes import check_answers, grade, quiz_snapshot


def _live_enrollment(learner, course):
    return Enrollment.objects.filter(
        learner=learner, course=course, status__in=Enrollment.LIVE_STATUSES
    ).first()


@transaction.atomic
def enrollment_create(*, learner, course: CoursePage) -> Enrollment:
    """Enroll a learner: free courses give access at once, paid ones wait for payment."""
    if not course.listed or not course.enrollment_open:
        raise EnrollmentClosed("This course is not open for new enrollments.")
    if existing := _live_enrollment(learner, course):
        raise AlreadyEnrolled(existing)
    free = course.price == 0
    enrollment = Enrollment(
        learner=learner,
        course=course,
        status=Enrollment.Status.ACTIVE if free else Enrollment.Status.PENDING_PAYMENT,
    )
    try:
        with transaction.atomic():
            enrollment.save()
    except IntegrityError:  # a concurrent request enrolled first
        raise AlreadyEnrolled(_live_enrollment(learner, course)) from None
    if free:
        _activate(enrollment)
    return enrollment


def _activate(enrollment):
    enrollment.status = Enrollment.Status.ACTIVE
    enrollment.activated_at = timezone.now()
    enrollment.save(update_fields=["status", "activated_at"])
    CoursePage.objects.filter(pk=enrollment.course_id).update(
        enrollment_count=F("enrollment_count") + 1
    )
    transaction.on_commit(
        lambda: enrollment_activated.send(sender=Enrollment, enrollment=enrollment)
    )


@transaction.atomic
def enrollment_activate_paid(enrollment: Enrollment) -> Enrollment:
    """Give access once the payment is in; a second confirmation changes nothing."""
    enrollment = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
    if enrollment.status == Enrollment.Status.PENDING_PAYMENT:
        _activate(enrollment)
    return enrollment


@transaction.atomic
def enrollment_refund(enrollment: Enrollment) -> Enrollment:
    """End the access a refund takes back, once; listeners revoke what it earned."""
    enrollment = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
    if enrollment.status == Enrollment.Status.REFUNDED:
        return enrollment
    if enrollment.status not in Enrollment.ACCESS_STATUSES:
        raise EnrollmentInactive("Only an active or completed enrollment can be refunded.")
    enrollment.status = Enrollment.Status.REFUNDED
    enrollment.save(update_fields=["status"])
    CoursePage.objects.filter(pk=enrollment.course_id).update(
        enrollment_count=F("enrollment_count") - 1
    )
    transaction.on_commit(
        lambda: enrollment_refunded.send(sender=Enrollment, enrollment=enrollment)
    )
    return enrollment


def enrollment_suspend(enrollment: Enrollment) -> Enrollment:
    """Pause access while a payment is disputed; lessons answer 403 until reinstated."""
    Enrollment.objects.filter(pk=enrollment.pk, suspended_at__isnull=True).update(
        suspended_at=timezone.now()
    )
    enrollment.refresh_from_db(fields=["suspended_at"])
    return enrollment


def enrollment_reinstate(enrollment: Enrollment) -> Enrollment:
    Enrollment.objects.filter(pk=enrollment.pk).update(suspended_at=None)
    enrollment.suspended_at = None
    return enrollment


def _require_access(enrollment):
    if enrollment.suspended_at is not None:
        raise EnrollmentInactive("Access is paused while a payment for it is disputed.")
    if not enrollment.grants_access:
        raise EnrollmentInactive(
            "This enrollment does not give access yet: complete the payment first."
        )


def lesson_opens_at(*, enrollment: Enrollment, lesson):
    """When a dripped lesson opens for this learner, or None if it is open (or not dripped)."""
    if enrollment.activated_at is None:
        return None
    module = ModulePage.objects.filter(path=lesson.path[:MODULE_PATH_LENGTH])
    days = module.values_list("opens_after_days", flat=True).first()
    if not days:
        return None
    opens_at = enrollment.activated_at + timedelta(days=days)
    return opens_at if opens_at > timezone.now() else None


def require_open(*, enrollment: Enrollment, lesson):
    """Refuse lessons the enrollment may not use yet: before payment, or before their drip date."""
    _require_access(enrollment)
    if opens_at := lesson_opens_at(enrollment=enrollment, lesson=lesson):
        raise LessonLocked(opens_at)


def lesson_touch(*, enrollment: Enrollment, lesson):
    """Remember the lesson the learner opened last, for resume."""
    if enrollment.last_lesson_id != lesson.pk:
        Enrollment.objects.filter(pk=enrollment.pk).update(last_lesson=lesson)
        enrollment.last_lesson = lesson


@transaction.atomic
def lesson_complete(*, enrollment: Enrollment, lesson) -> tuple[LessonCompletion, Progress]:
    """Mark a lesson complete and return the progress it makes; doing it again changes nothing."""
    require_open(enrollment=enrollment, lesson=lesson)
    # Completions of one enrollment take turns, so each count sees the ones before it.
    Enrollment.objects.select_for_update().filter(pk=enrollment.pk).first()
    completion = LessonCompletion.objects.filter(enrollment=enrollment, lesson=lesson).first()
    created = completion is None
    if created:  # no race to lose: the lock above lets one completion in at a time
        completion = LessonCompletion.objects.create(enrollment=enrollment, lesson=lesson)
    lesson_touch(enrollment=enrollment, lesson=lesson)
    progress = enrollment_progress(enrollment)
    if created:
        enrollment_complete_if_eligible(enrollment, progress)
    return completion, progress


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


@transaction.atomic
def quiz_attempt_submit(*, enrollment: Enrollment, quiz_id: str, answers) -> QuizAttempt:
    """Grade a quiz submission against the quiz as it is now, within the attempts allowed."""
    _require_access(enrollment)
    lesson = lesson_with_block(course=enrollment.course, block_type="quiz", block_id=quiz_id)
    if lesson is None:
        raise ContentNotFound("No such quiz in this course.")
    require_open(enrollment=enrollment, lesson=lesson)
    quiz = lesson.find_block("quiz", quiz_id)
    questions = quiz_snapshot(quiz.value)
    check_answers(questions, answers)
    # Serialise attempts of one enrollment, so two at once cannot both be the last allowed.
    Enrollment.objects.select_for_update().filter(pk=enrollment.pk).first()
    taken = QuizAttempt.objects.filter(enrollment=enrollment, quiz_id=quiz_id).count()
    allowed = quiz.value["attempts_allowed"]
    if allowed and taken >= allowed:
        raise AttemptsExhausted(f"All {allowed} attempts at this quiz are used.")
    pass_mark = quiz.value["pass_mark"]
    points, max_points, score, passed = grade(questions, answers, pass_mark)
    lesson_touch(enrollment=enrollment, lesson=lesson)
    attempt = QuizAttempt.objects.create(
        enrollment=enrollment,
        lesson=lesson,
        quiz_id=quiz_id,
        number=taken + 1,
        questions=questions,
        answers=answers,
        points=points,
        max_points=max_points,
        score=score,
        pass_mark=pass_mark,
        passed=passed,
    )
    enrollment_complete_if_eligible(enrollment)
    return attempt
