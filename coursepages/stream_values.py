"""Build lesson body values in Python (for the demo seed, benchmarks and tests).

Each function returns a (block type, value) pair that LessonPage.body accepts.
"""


def paragraph(html):
    return ("paragraph", html)


def question(prompt, choices, correct, *, kind="single", explanation="", points=1):
    return {
        "kind": kind,
        "prompt": prompt,
        "points": points,
        "explanation": explanation,
        "choices": [{"text": text, "correct": text in correct} for text in choices],
    }


def quiz(title, questions, *, pass_mark=70, attempts_allowed=3):
    return (
        "quiz",
        {
            "title": title,
            "pass_mark": pass_mark,
            "attempts_allowed": attempts_allowed,
            "questions": questions,
        },
    )


def assignment(title, instructions, rubric, *, kinds=("text", "url"), pass_mark=60):
    """rubric: (title, description, max points) triples."""
    return (
        "assignment",
        {
            "title": title,
            "instructions": instructions,
            "submission_kinds": list(kinds),
            "pass_mark": pass_mark,
            "rubric": [
                {"title": name, "description": description, "max_points": points}
                for name, description, points in rubric
            ],
        },
    )
