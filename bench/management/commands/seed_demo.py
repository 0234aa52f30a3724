"""Seed a demo catalog: users for each role, two published self-paced courses, one in
review, and a cohort course ("Python Masterclass") whose running batch has paid learners
and twice-weekly live sessions, some past and some upcoming.

Idempotent: anything that already exists (matched by username, slug or title)
is left exactly as it is.
"""

import datetime
import io
import zoneinfo
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from PIL import Image as PillowImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from accounts.roles import EDITORS, SPECIALISTS
from commerce.services import order_create, order_mark_paid
from coursepages.models import CourseCategory, CourseIndexPage, CoursePage, LessonPage, ModulePage
from coursepages.services import course_publish
from coursepages.stream_values import assignment, paragraph, question, quiz
from learning.models import Cohort, CohortSession
from learning.services import enrollment_create

DEMO_DIR = Path(__file__).resolve().parent.parent.parent / "demo"
DEMO_PASSWORD = "demo1234"
USERS = [
    # username, first, last, group, superuser
    ("admin", "Ada", "Admin", None, True),
    ("editor", "Eddie", "Ng", EDITORS, False),
    ("specialist", "Sam", "Rivera", SPECIALISTS, False),
    ("learner", "Lena", "Park", None, False),
]
# Learners already paid into the running cohort (same password, not printed).
COHORT_LEARNERS = [
    ("maya", "Maya", "Chen"),
    ("omar", "Omar", "Haddad"),
    ("ines", "Inês", "Costa"),
    ("tomasz", "Tomasz", "Nowak"),
    ("grace", "Grace", "Okafor"),
]
COHORT_ZONE = "America/New_York"
CATEGORIES = [
    ("Data & Analytics", "data-analytics"),
    ("Writing", "writing"),
    ("Food & Cooking", "food"),
]


class Command(BaseCommand):
    help = "Create demo users and courses (local development only). Safe to run twice."

    def handle(self, *args, **options):
        if not settings.DEMO_SEED_ALLOWED:
            raise CommandError("seed_demo creates users with known passwords: local settings only.")
        catalog = CourseIndexPage.objects.first()
        if catalog is None:
            raise CommandError("No course catalog page: run `manage.py migrate` first.")

        with transaction.atomic():
            users = {username: self.user(username, *rest) for username, *rest in USERS}
            categories = {
                slug: CourseCategory.objects.get_or_create(slug=slug, defaults={"name": name})[0]
                for name, slug in CATEGORIES
            }
            media = self.media()
            for course in self.courses(categories, media):
                self.course(catalog, users["specialist"], users["editor"], **course)
            masterclass = self.course(
                catalog, users["specialist"], users["editor"], **self.cohort_course(categories)
            )
            if masterclass is not None:
                self.cohorts(masterclass)

        self.stdout.write(self.style.SUCCESS("Demo data ready. Sign in at /admin/ with:"))
        for username, first, last, group, superuser in USERS:
            role = "superuser" if superuser else (group or "learner")
            self.stdout.write(f"  {username:<11} / {DEMO_PASSWORD}   ({first} {last}, {role})")

    def user(self, username, first_name, last_name, group, superuser):
        user, created = get_user_model().objects.get_or_create(
            username=username,
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "email": f"{username}@example.com",
                "is_staff": superuser,
                "is_superuser": superuser,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            if group:
                user.groups.add(Group.objects.get(name=group))
        return user

    def media(self):
        Document = get_document_model()
        Image = get_image_model()

        def document(title, filename):
            found = Document.objects.filter(title=title).first()
            if found:
                return found
            doc = Document(title=title)
            doc.file.save(filename, ContentFile((DEMO_DIR / filename).read_bytes()), save=False)
            doc.save()
            return doc

        def cover(title, colour):
            found = Image.objects.filter(title=title).first()
            if found:
                return found
            buffer = io.BytesIO()
            PillowImage.new("RGB", (1280, 720), colour).save(buffer, format="PNG")
            filename = f"{title.lower().replace(' ', '-')}.png"
            return Image.objects.create(title=title, file=ImageFile(buffer, name=filename))

        return {
            "handbook": document("Data Visualisation handbook", "handbook.pdf"),
            "captions": document("Welcome video captions (English)", "welcome.en.vtt"),
            "dataviz_cover": cover("Data visualisation cover", (43, 95, 138)),
            "writing_cover": cover("Technical writing cover", (90, 60, 120)),
            "baking_cover": cover("Sourdough cover", (190, 140, 80)),
        }

    def course(self, catalog, specialist, editor, *, modules, publish, **fields):
        """Create, fill and publish (or send for review) a course; None if it exists."""
        if CoursePage.objects.child_of(catalog).filter(slug=fields["slug"]).exists():
            return None
        course = catalog.add_child(instance=CoursePage(owner=specialist, live=False, **fields))
        course.save_revision(user=specialist)
        for module_title, lessons in modules:
            module = course.add_child(
                instance=ModulePage(title=module_title, owner=specialist, live=False)
            )
            module.save_revision(user=specialist)
            for lesson_fields in lessons:
                lesson = module.add_child(
                    instance=LessonPage(owner=specialist, live=False, **lesson_fields)
                )
                lesson.save_revision(user=specialist)
        if publish:
            course_publish(course=course, user=editor)
        else:
            course.get_workflow().start(course, specialist)
        self.stdout.write(
            f"Created course “{course.title}” ({'published' if publish else 'in review'})"
        )
        course.refresh_from_db()  # publishing updated the row, not this instance
        return course

    def cohorts(self, course):
        """Batch 3 runs now: four weeks of Tuesday and Thursday sessions at 7 PM New York
        time that started two weeks ago, paid learners in it, still enrolling for three days.
        Batch 4 opens later with no sessions yet."""
        zone = zoneinfo.ZoneInfo(COHORT_ZONE)
        today = timezone.localdate(timezone=zone)
        first_day = today - datetime.timedelta(days=14)
        first_day += datetime.timedelta(days=(1 - first_day.weekday()) % 7)  # a Tuesday
        days = [first_day + datetime.timedelta(weeks=w, days=d) for w in range(4) for d in (0, 2)]
        batch = Cohort.objects.create(
            course=course,
            name="Batch 3",
            starts_on=days[0],
            ends_on=days[-1],
            timezone=COHORT_ZONE,
            capacity=30,
            enrollment_deadline=timezone.now() + datetime.timedelta(days=3),
            status=Cohort.Status.OPEN,
        )
        for number, day in enumerate(days, start=1):
            CohortSession.objects.create(
                cohort=batch,
                title=f"Session {number}",
                starts_at=datetime.datetime.combine(day, datetime.time(19), tzinfo=zone),
                duration_minutes=90,
                meeting_url="https://meet.example.com/python-masterclass-batch-3",
            )
        for username, first_name, last_name in COHORT_LEARNERS:
            learner = self.user(username, first_name, last_name, None, False)
            enrollment = enrollment_create(learner=learner, course=course, cohort=batch)
            order = order_create(enrollment=enrollment)
            order_mark_paid(order_id=order.pk, payment_reference=f"demo_{username}")
        next_start = days[-1] + datetime.timedelta(weeks=6)
        Cohort.objects.create(
            course=course,
            name="Batch 4",
            starts_on=next_start,
            ends_on=next_start + datetime.timedelta(weeks=4),
            timezone=COHORT_ZONE,
            capacity=30,
            enrollment_deadline=datetime.datetime.combine(
                next_start - datetime.timedelta(days=4), datetime.time(23, 59), tzinfo=zone
            ),
            status=Cohort.Status.OPEN,
        )
        self.stdout.write(
            f"Created cohorts “Batch 3” ({len(COHORT_LEARNERS)} learners, {len(days)} sessions) "
            "and “Batch 4”"
        )

    def cohort_course(self, categories):
        return {
            "title": "Python Masterclass",
            "slug": "python-masterclass",
            "summary": "Four weeks of live sessions and projects that take you to idiomatic Python.",
            "description": "<p>A cohort course: learn with a batch, live, twice a week.</p>",
            "category": categories["data-analytics"],
            "difficulty": "intermediate",
            "course_type": "cohort",
            "price": Decimal("299.00"),
            "currency": "USD",
            "publish": True,
            "modules": [
                (
                    "Idioms",
                    [
                        {
                            "title": "Iterators and generators",
                            "slug": "iterators-and-generators",
                            "duration_minutes": 20,
                            "body": [
                                paragraph("<p>Most loops want to be comprehensions.</p>"),
                                quiz(
                                    "Generators",
                                    [
                                        question(
                                            "What does a generator function return?",
                                            ["A generator", "A list", "None"],
                                            ["A generator"],
                                        )
                                    ],
                                ),
                            ],
                        },
                        {
                            "title": "Context managers",
                            "slug": "context-managers",
                            "duration_minutes": 15,
                            "body": [paragraph("<p>`with` closes what you open.</p>")],
                        },
                    ],
                ),
                (
                    "Projects",
                    [
                        {
                            "title": "Testing with pytest",
                            "slug": "testing-with-pytest",
                            "duration_minutes": 25,
                            "body": [paragraph("<p>Fixtures, parametrize, and plain asserts.</p>")],
                        },
                        {
                            "title": "Capstone",
                            "slug": "capstone",
                            "duration_minutes": 90,
                            "body": [
                                assignment(
                                    "Capstone project",
                                    "<p>Ship a small, tested command-line tool.</p>",
                                    [("Design", "Small functions, clear names.", 10)],
                                    kinds=("url",),
                                )
                            ],
                        },
                    ],
                ),
            ],
        }

    def courses(self, categories, media):
        video = (
            "video",
            {
                "url": "https://www.youtube.com/watch?v=5Zg-C8AAIGg",
                "title": "Welcome to the course",
                "captions": [{"language": "en", "label": "English", "file": media["captions"]}],
                "transcript": "Welcome to Data Visualisation Fundamentals. In this course you "
                "will learn to choose, build and critique charts.",
            },
        )
        handbook = (
            "document",
            {"document": media["handbook"], "title": "Course handbook (PDF)", "description": ""},
        )
        dataviz_quiz = quiz(
            "Choosing charts",
            [
                question(
                    "Which chart shows a trend over time best?",
                    ["Line chart", "Pie chart", "Radar chart"],
                    ["Line chart"],
                    explanation="Position along a common time axis is the easiest to compare.",
                ),
                question(
                    "Bar charts should start their value axis at zero.",
                    ["True", "False"],
                    ["True"],
                    kind="true_false",
                    explanation="Bar length encodes the value; a cut axis exaggerates differences.",
                ),
                question(
                    "Which of these are good uses of colour?",
                    ["Highlighting one series", "Encoding a category", "Decoration"],
                    ["Highlighting one series", "Encoding a category"],
                    kind="multiple",
                    points=2,
                ),
            ],
        )
        redesign = assignment(
            "Redesign a chart",
            "<p>Find a chart in the news that confuses you, redesign it, and explain your choices.</p>",
            [
                ("Message", "The redesigned chart makes one point clearly.", 10),
                ("Honesty", "Scales and baselines do not mislead.", 10),
                ("Explanation", "Your write-up justifies each change.", 5),
            ],
        )
        writing_quiz = quiz(
            "Plain language",
            [
                question(
                    "Which sentence is clearer?",
                    ["Run the installer.", "The installer should be executed by the user."],
                    ["Run the installer."],
                )
            ],
        )
        baking_quiz = quiz(
            "Starter basics",
            [
                question(
                    "A starter needs regular feeding.",
                    ["True", "False"],
                    ["True"],
                    kind="true_false",
                )
            ],
        )
        return [
            {
                "title": "Data Visualisation Fundamentals",
                "slug": "data-visualisation-fundamentals",
                "summary": "Choose the right chart, build it honestly and make one point clearly.",
                "description": "<p>A practical course for analysts and journalists.</p>",
                "cover_image": media["dataviz_cover"],
                "category": categories["data-analytics"],
                "difficulty": "intermediate",
                "price": Decimal("99.00"),
                "currency": "USD",
                "publish": True,
                "modules": [
                    (
                        "Seeing data",
                        [
                            {
                                "title": "Why charts matter",
                                "slug": "why-charts-matter",
                                "duration_minutes": 8,
                                "is_free_preview": True,
                                "body": [
                                    video,
                                    paragraph("<p>Charts are arguments.</p>"),
                                    handbook,
                                ],
                            },
                            {
                                "title": "Choosing a chart",
                                "slug": "choosing-a-chart",
                                "duration_minutes": 15,
                                "body": [
                                    paragraph("<p>Match the chart to the question.</p>"),
                                    dataviz_quiz,
                                ],
                            },
                        ],
                    ),
                    (
                        "Honest charts",
                        [
                            {
                                "title": "Scales and baselines",
                                "slug": "scales-and-baselines",
                                "duration_minutes": 12,
                                "body": [
                                    paragraph("<p>Where an axis starts changes the story.</p>"),
                                    (
                                        "link",
                                        {
                                            "url": "https://en.wikipedia.org/wiki/Misleading_graph",
                                            "title": "Misleading graphs",
                                            "description": "Classic examples to learn from.",
                                        },
                                    ),
                                ],
                            },
                            {
                                "title": "Final project",
                                "slug": "final-project",
                                "duration_minutes": 60,
                                "body": [redesign],
                            },
                        ],
                    ),
                ],
            },
            {
                "title": "Writing Clear Technical Docs",
                "slug": "writing-clear-technical-docs",
                "summary": "Write documentation people can follow on the first read.",
                "description": "<p>For engineers who document their own work.</p>",
                "cover_image": media["writing_cover"],
                "category": categories["writing"],
                "difficulty": "beginner",
                "price": Decimal("0"),
                "publish": True,
                "modules": [
                    (
                        "Know your reader",
                        [
                            {
                                "title": "Who reads docs",
                                "slug": "who-reads-docs",
                                "duration_minutes": 6,
                                "body": [paragraph("<p>Readers skim. Write for skimming.</p>")],
                            },
                            {
                                "title": "Plain language",
                                "slug": "plain-language",
                                "duration_minutes": 10,
                                "body": [
                                    paragraph("<p>Short words, active voice.</p>"),
                                    writing_quiz,
                                ],
                            },
                        ],
                    ),
                    (
                        "Structure",
                        [
                            {
                                "title": "Tutorials and references",
                                "slug": "tutorials-and-references",
                                "duration_minutes": 9,
                                "body": [paragraph("<p>Four kinds of docs.</p>")],
                            },
                            {
                                "title": "Rewrite a README",
                                "slug": "rewrite-a-readme",
                                "duration_minutes": 45,
                                "body": [
                                    assignment(
                                        "Rewrite a README",
                                        "<p>Rewrite the README of a project you use.</p>",
                                        [("Clarity", "A newcomer can follow it.", 10)],
                                        kinds=("url", "file"),
                                    )
                                ],
                            },
                        ],
                    ),
                ],
            },
            {
                "title": "Introduction to Sourdough Baking",
                "slug": "introduction-to-sourdough-baking",
                "summary": "From starter to loaf in four weekends.",
                "description": "<p>A hands-on course for home bakers.</p>",
                "cover_image": media["baking_cover"],
                "category": categories["food"],
                "price": Decimal("29.00"),
                "currency": "EUR",
                "publish": False,
                "modules": [
                    (
                        "The starter",
                        [
                            {
                                "title": "Making a starter",
                                "slug": "making-a-starter",
                                "duration_minutes": 12,
                                "body": [paragraph("<p>Flour, water, patience.</p>")],
                            },
                            {
                                "title": "Feeding schedule",
                                "slug": "feeding-schedule",
                                "duration_minutes": 8,
                                "body": [paragraph("<p>Feed twice a day.</p>"), baking_quiz],
                            },
                        ],
                    ),
                    (
                        "The first loaf",
                        [
                            {
                                "title": "Mixing and folding",
                                "slug": "mixing-and-folding",
                                "duration_minutes": 20,
                                "body": [paragraph("<p>Stretch and fold every 30 minutes.</p>")],
                            },
                            {
                                "title": "Baking day",
                                "slug": "baking-day",
                                "duration_minutes": 30,
                                "body": [paragraph("<p>A hot Dutch oven makes the crust.</p>")],
                            },
                        ],
                    ),
                ],
            },
        ]
