"""The course readiness rule: what a course, module or lesson needs before it goes live.

One rule for every path that publishes: the review workflow's automated task,
an editor's direct publish in the admin, bulk publishing and the services.
"""

from django.db.models import Q
from django.utils.translation import gettext as _

from coursepages.blocks import question_choices_problem
from coursepages.models import CoursePage, LessonPage, ModulePage

MIN_MODULES = 2
MIN_LESSONS_PER_MODULE = 2


def readiness_problems(page):
    """Everything that stops this page from being published, as sentences; empty when ready."""
    page = page.specific
    if isinstance(page, CoursePage):
        return _course_problems(page)
    if isinstance(page, ModulePage):
        return _module_problems(page)
    if isinstance(page, LessonPage):
        return _lesson_problems(page)
    return []


def readiness_report(problems):
    return "\n".join([_("Not ready to publish yet:")] + [f"• {problem}" for problem in problems])


def _to_be_live(pages):
    """Pages that are live, or that publishing their course will publish (never live before)."""
    return pages.filter(Q(live=True) | Q(first_published_at__isnull=True))


def _latest(page):
    return page.get_latest_revision_as_object() if page.has_unpublished_changes else page


def _course_problems(course):
    problems = []
    if not course.summary.strip():
        problems.append(_("Add a summary."))
    if course.price is None:
        problems.append(_("Set a price (0 makes the course free)."))
    modules = list(_to_be_live(ModulePage.objects.child_of(course)).order_by("path"))
    if len(modules) < MIN_MODULES:
        problems.append(
            _("Add at least %(minimum)d modules (it has %(count)d).")
            % {"minimum": MIN_MODULES, "count": len(modules)}
        )
    for module in modules:
        problems += _module_problems(module)
    return problems


def _module_problems(module):
    lessons = list(_to_be_live(LessonPage.objects.child_of(module)).order_by("path"))
    problems = []
    if len(lessons) < MIN_LESSONS_PER_MODULE:
        problems.append(
            _("Module “%(module)s”: add at least %(minimum)d lessons (it has %(count)d).")
            % {"module": module.title, "minimum": MIN_LESSONS_PER_MODULE, "count": len(lessons)}
        )
    for lesson in lessons:
        problems += _lesson_problems(_latest(lesson))
    return problems


def _lesson_problems(lesson):
    problems = []
    where = _("Lesson “%(lesson)s”") % {"lesson": lesson.title}
    for quiz in lesson.blocks_of_type("quiz"):
        quiz_name = _("%(where)s, quiz “%(title)s”") % {
            "where": where,
            "title": quiz.value["title"],
        }
        questions = quiz.value["questions"]
        if not questions:
            problems.append(_("%(quiz)s: add at least one question.") % {"quiz": quiz_name})
        for number, question in enumerate(questions, start=1):
            problem = question_choices_problem(question["kind"], question["choices"])
            if problem:
                problems.append(
                    _("%(quiz)s, question %(number)d: %(problem)s")
                    % {"quiz": quiz_name, "number": number, "problem": problem}
                )
    for assignment in lesson.blocks_of_type("assignment"):
        assignment_name = _("%(where)s, assignment “%(title)s”") % {
            "where": where,
            "title": assignment.value["title"],
        }
        rubric = assignment.value["rubric"]
        if not rubric:
            problems.append(_("%(assignment)s: add a rubric.") % {"assignment": assignment_name})
        for number, criterion in enumerate(rubric, start=1):
            if not criterion["max_points"]:
                problems.append(
                    _("%(assignment)s, rubric criterion %(number)d: give it points.")
                    % {"assignment": assignment_name, "number": number}
                )
    return problems
