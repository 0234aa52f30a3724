"""A learner's quiz and assignment results in one enrollment, one query each."""

from django.db.models import Count, Max, Q

from learning.models import AssignmentSubmission, QuizAttempt


def quiz_results(enrollment):
    """Per quiz attempted: attempts, best score and whether any attempt passed."""
    rows = (
        QuizAttempt.objects.filter(enrollment=enrollment)
        .values("quiz_id", "lesson_id")
        .annotate(
            attempts=Count("pk"),
            best_score=Max("score"),
            passes=Count("pk", filter=Q(passed=True)),
        )
        .order_by("lesson_id", "quiz_id")
    )
    return [
        {
            "quiz": row["quiz_id"],
            "lesson": row["lesson_id"],
            "attempts": row["attempts"],
            "best_score": f"{row['best_score']:.2f}",
            "passed": row["passes"] > 0,
        }
        for row in rows
    ]


def assignment_results(enrollment):
    """Per assignment handed in: the latest submission's status and score."""
    latest = {}
    for submission in AssignmentSubmission.objects.filter(enrollment=enrollment).order_by(
        "submitted_at", "pk"
    ):
        latest[submission.assignment_id] = submission
    return [
        {
            "assignment": submission.assignment_id,
            "title": submission.assignment_title,
            "lesson": submission.lesson_id,
            "submission": submission.pk,
            "status": submission.status,
            "score": f"{submission.score:.2f}" if submission.score is not None else None,
            "feedback": submission.feedback,
        }
        for submission in latest.values()
    ]
