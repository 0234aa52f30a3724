"""factory_boy factories for the whole suite, in one place."""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from factory.django import DjangoModelFactory

from accounts.roles import EDITORS, SPECIALISTS
from coursepages.models import CourseIndexPage, CoursePage, LessonPage, ModulePage
from coursepages.stream_values import assignment, paragraph, question, quiz
from learning.models import Cohort, CohortSession

PASSWORD = "correct-horse-battery"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    # Fixed names: random ones can match catalog searches (instructor names are searchable).
    first_name = "Alex"
    last_name = factory.Sequence(lambda n: f"Person{n}")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def groups(user, create, extracted, **kwargs):
        for name in extracted or []:
            user.groups.add(Group.objects.get(name=name))


class SpecialistFactory(UserFactory):
    groups = factory.PostGeneration(
        lambda user, create, extracted, **kw: user.groups.add(Group.objects.get(name=SPECIALISTS))
    )


class EditorFactory(UserFactory):
    groups = factory.PostGeneration(
        lambda user, create, extracted, **kw: user.groups.add(Group.objects.get(name=EDITORS))
    )


class PageFactory(DjangoModelFactory):
    """Adds the page under `parent`, saves a revision and publishes it unless published=False."""

    class Meta:
        abstract = True
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Page {n}")
    slug = factory.LazyAttribute(lambda page: slugify(page.title))
    live = False

    @classmethod
    def _create(cls, model_class, *args, parent, **kwargs):
        page = model_class(*args, **kwargs)
        parent.add_child(instance=page)
        return page

    @factory.post_generation
    def published(page, create, extracted, **kwargs):
        revision = page.save_revision(user=page.owner)
        if extracted is not False:
            revision.publish()
            page.refresh_from_db()


class CourseFactory(PageFactory):
    class Meta:
        model = CoursePage

    parent = factory.LazyFunction(lambda: CourseIndexPage.objects.get())
    title = factory.Sequence(lambda n: f"Course {n}")
    owner = factory.SubFactory(SpecialistFactory)
    summary = "Learn something useful, step by step."
    price = Decimal("49.00")
    currency = "USD"


class ModuleFactory(PageFactory):
    class Meta:
        model = ModulePage

    title = factory.Sequence(lambda n: f"Module {n}")
    owner = factory.LazyAttribute(lambda module: module.parent.owner)


class LessonFactory(PageFactory):
    class Meta:
        model = LessonPage

    title = factory.Sequence(lambda n: f"Lesson {n}")
    owner = factory.LazyAttribute(lambda lesson: lesson.parent.owner)
    duration_minutes = 10
    body = factory.LazyFunction(lambda: [paragraph("<p>Lesson notes.</p>")])


def sample_quiz():
    return quiz(
        "Check your understanding",
        [
            question("Pick the line chart.", ["Line chart", "Pie chart"], ["Line chart"]),
            question("Bars start at zero.", ["True", "False"], ["True"], kind="true_false"),
        ],
    )


def sample_assignment():
    return assignment(
        "Redesign a chart",
        "<p>Improve a chart from the news.</p>",
        [("Clarity", "One clear message.", 10), ("Honesty", "No misleading scales.", 10)],
    )


def build_course(*, modules=2, lessons_per_module=2, published=True, **course_fields):
    """A course with its modules and lessons (the first lesson holds a quiz and an assignment)."""
    course = CourseFactory(published=published, **course_fields)
    for m in range(modules):
        module = ModuleFactory(parent=course, published=published)
        for n in range(lessons_per_module):
            body = [paragraph(f"<p>Secret lesson notes {m}.{n}.</p>")]
            if m == n == 0:
                body += [sample_quiz(), sample_assignment()]
            LessonFactory(parent=module, published=published, body=body)
    course.refresh_from_db()
    return course


class CompletedEnrollmentFactory(DjangoModelFactory):
    """An enrollment whose learner met every criterion (set directly, not through lessons)."""

    class Meta:
        model = "learning.Enrollment"
        skip_postgeneration_save = True

    learner = factory.SubFactory(UserFactory)
    course = factory.LazyFunction(lambda: build_course(modules=1, lessons_per_module=1))
    status = "completed"
    activated_at = factory.LazyFunction(timezone.now)
    completed_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def counted(enrollment, create, extracted, **kwargs):
        """Counted in the course's enrollments, as enrolling through the service does."""
        CoursePage.objects.filter(pk=enrollment.course_id).update(
            enrollment_count=F("enrollment_count") + 1
        )


def build_quiz_lesson():
    """A free course whose first module ends with a two-question quiz (two attempts, pass 60)."""
    course = build_course(price=Decimal("0"), modules=2, lessons_per_module=2)
    module = ModulePage.objects.child_of(course).first()
    return LessonFactory(
        parent=module,
        title="Quiz lesson",
        body=[
            quiz(
                "Charts",
                [
                    question("Trend over time?", ["Line", "Pie"], ["Line"], explanation="Position is easy."),
                    question("Good colour uses?", ["Highlight", "Decorate", "Categories"],
                             ["Highlight", "Categories"], kind="multiple", points=2),
                ],
                attempts_allowed=2,
                pass_mark=60,
            )
        ],
    )  # fmt: skip


def quiz_ids(lesson):
    """(quiz id, {prompt: (question id, {choice text: choice id})}) of the lesson's quiz."""
    [block] = lesson.blocks_of_type("quiz")
    questions = {}
    for q in block.value["questions"].bound_blocks:
        questions[q.value["prompt"]] = (
            q.id,
            {c.value["text"]: c.id for c in q.value["choices"].bound_blocks},
        )
    return block.id, questions


def answers_for(questions, trend, colours):
    """Answers to build_quiz_lesson's quiz, by choice text."""
    (trend_id, trend_choices), (colour_id, colour_choices) = (
        questions["Trend over time?"],
        questions["Good colour uses?"],
    )
    return {
        trend_id: [trend_choices[c] for c in trend],
        colour_id: [colour_choices[c] for c in colours],
    }


def build_cohort_course(**course_fields):
    """A published cohort-type course with one module of one lesson (free unless priced)."""
    return build_course(
        modules=1,
        lessons_per_module=1,
        course_type="cohort",
        **{"price": Decimal("0"), **course_fields},
    )


class CohortFactory(DjangoModelFactory):
    """An open cohort starting in a month, enrollment closing in three weeks."""

    class Meta:
        model = Cohort

    course = factory.LazyFunction(build_cohort_course)
    name = factory.Sequence(lambda n: f"Batch {n}")
    starts_on = factory.LazyFunction(lambda: (timezone.now() + timezone.timedelta(days=30)).date())
    ends_on = factory.LazyAttribute(lambda cohort: cohort.starts_on + timezone.timedelta(days=35))
    timezone = "America/New_York"
    capacity = 30
    enrollment_deadline = factory.LazyFunction(lambda: timezone.now() + timezone.timedelta(days=21))
    status = Cohort.Status.OPEN


class CohortSessionFactory(DjangoModelFactory):
    """A scheduled hour-long session, a day after its cohort starts, at 7 PM UTC."""

    class Meta:
        model = CohortSession

    cohort = factory.SubFactory(CohortFactory)
    title = factory.Sequence(lambda n: f"Session {n}")
    starts_at = factory.LazyAttribute(
        lambda s: datetime.datetime.combine(
            s.cohort.starts_on + datetime.timedelta(days=1), datetime.time(19), tzinfo=datetime.UTC
        )
    )
    duration_minutes = 60
    meeting_url = "https://meet.example.com/room"
