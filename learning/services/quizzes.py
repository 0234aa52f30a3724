"""Quizzes: what counts as an answer, what it scores, and taking an attempt."""

from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone

from coursepages.blocks import QuestionKind
from learning.exceptions import AttemptsExhausted, ContentNotFound, InvalidInput
from learning.models import Enrollment, QuizAttempt
from learning.selectors.lessons import lesson_with_block
from learning.services.eligibility import enrollment_complete_if_eligible
from learning.services.lessons import enrollment_act, require_access, require_open


def quiz_snapshot(quiz_value):
    """The quiz as it stands now, as plain data: stored with each attempt."""
    return [
        {
            "id": question.id,
            "kind": question.value["kind"],
            "prompt": question.value["prompt"],
            "points": question.value["points"],
            "explanation": question.value["explanation"],
            "choices": [
                {
                    "id": choice.id,
                    "text": choice.value["text"],
                    "correct": bool(choice.value["correct"]),
                }
                for choice in question.value["choices"].bound_blocks
            ],
        }
        for question in quiz_value["questions"].bound_blocks
    ]


def check_answers(questions, answers):
    """Refuse answers that name unknown questions or choices, or too many for the kind."""
    if not isinstance(answers, dict):
        raise InvalidInput({"answers": ["Send an object of question id → list of choice ids."]})
    by_id = {question["id"]: question for question in questions}
    errors = {}
    for question_id, chosen in answers.items():
        question = by_id.get(question_id)
        if question is None:
            errors[f"answers.{question_id}"] = ["No such question in this quiz."]
        elif not isinstance(chosen, list) or not all(isinstance(c, str) for c in chosen):
            errors[f"answers.{question_id}"] = ["Give a list of choice ids."]
        elif unknown := set(chosen) - {choice["id"] for choice in question["choices"]}:
            errors[f"answers.{question_id}"] = [
                f"Not a choice of this question: {', '.join(sorted(unknown))}."
            ]
        elif question["kind"] != QuestionKind.MULTIPLE and len(chosen) > 1:
            errors[f"answers.{question_id}"] = ["Choose one answer."]
    if errors:
        raise InvalidInput(errors)


def grade(questions, answers, pass_mark):
    """Points, maximum, percent score and pass/fail; a question scores only when exactly right."""
    points = max_points = 0
    for question in questions:
        max_points += question["points"]
        correct = {choice["id"] for choice in question["choices"] if choice["correct"]}
        if set(answers.get(question["id"], [])) == correct:
            points += question["points"]
    score = (
        (Decimal(100) * points / max_points).quantize(Decimal("0.01"), ROUND_HALF_UP)
        if max_points
        else Decimal(0)
    )
    return points, max_points, score, score >= pass_mark


@transaction.atomic
def quiz_attempt_submit(*, enrollment: Enrollment, quiz_id: str, answers) -> QuizAttempt:
    """Grade a quiz submission against the quiz as it is now, within the attempts allowed."""
    require_access(enrollment)
    lesson = lesson_with_block(course=enrollment.course, block_type="quiz", block_id=quiz_id)
    if lesson is None:
        raise ContentNotFound("No such quiz in this course.")
    require_open(enrollment=enrollment, lesson=lesson)
    quiz = lesson.find_block("quiz", quiz_id)
    questions = quiz_snapshot(quiz.value)
    check_answers(questions, answers)
    now = timezone.now()
    # Attempts of one enrollment take turns, so two at once cannot both be the last allowed;
    # refusing one below rolls back what this records.
    enrollment_act(enrollment=enrollment, lesson=lesson, at=now)
    taken = QuizAttempt.objects.filter(enrollment=enrollment, quiz_id=quiz_id).count()
    allowed = quiz.value["attempts_allowed"]
    if allowed and taken >= allowed:
        raise AttemptsExhausted(f"All {allowed} attempts at this quiz are used.")
    pass_mark = quiz.value["pass_mark"]
    points, max_points, score, passed = grade(questions, answers, pass_mark)
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
        submitted_at=now,
    )
    enrollment_complete_if_eligible(enrollment)
    return attempt
