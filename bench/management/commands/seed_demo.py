"""Seed a demo catalog: users for each role, two published self-paced courses, one in
review, and a cohort course ("Python Masterclass") whose running batch has paid learners
and twice-weekly live sessions, some past and some upcoming.

Idempotent: anything that already exists (matched by username, slug or title)
is left exactly as it is.
"""

import contextlib
import datetime
import io
import logging
import zoneinfo
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from PIL import Image as PillowImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from accounts.roles import EDITORS, SPECIALISTS
from bench.demo_history import demo_history_spread, demo_snapshots_rebuild
from bench.demo_zoom import zoom_identity_give, zoom_meetings_replay
from certification.models import Certificate
from commerce.services import order_create, order_mark_paid
from coursepages.models import CourseCategory, CourseIndexPage, CoursePage, LessonPage, ModulePage
from coursepages.services import course_publish
from coursepages.stream_values import assignment, paragraph, question, quiz
from learning.models import Cohort, CohortSession, Enrollment, UnmatchedParticipant
from learning.services import enrollment_create
from learning.services.assignments import assignment_submit, submission_grade
from learning.services.cohort_completion import cohort_complete
from learning.services.lessons import lesson_complete
from learning.services.quizzes import quiz_attempt_submit, quiz_snapshot
from learning.services.recordings import session_recording_attach
from learning.services.zoom_attendance import unmatched_participant_resolve

DEMO_DIR = Path(__file__).resolve().parent.parent.parent / "demo"
DEMO_PASSWORD = "demo1234"
USERS = [
    # username, first, last, group, superuser
    ("admin", "Ada", "Admin", None, True),
    ("editor", "Eddie", "Ng", EDITORS, False),
    ("specialist", "Sam", "Rivera", SPECIALISTS, False),
    ("learner", "Lena", "Park", None, False),
]
# Learners of the finished batch (same password, not printed).
FINISHED_COHORT_LEARNERS = [
    ("maya", "Maya", "Chen"),
    ("omar", "Omar", "Haddad"),
    ("ines", "Inês", "Costa"),
    ("tomasz", "Tomasz", "Nowak"),
    ("grace", "Grace", "Okafor"),
]
# What Zoom saw of them in each of the eight sessions: (joined, left) minutes after the
# start per connection; an e-mail third means a personal address and no registrant link.
PRESENT = [(0, 90)]
ABSENT = []
ZOOM_ATTENDANCE = {
    "maya": [PRESENT] * 8,
    # Late once (in after the grace period), absent once: 7 of 8.
    "omar": [PRESENT, PRESENT, [(25, 90)], PRESENT, ABSENT, PRESENT, PRESENT, PRESENT],
    # Session 5 from her personal address: unmatched until the specialist assigns it;
    # absent once more, so she reaches 7 of 8 only by that assignment.
    "ines": [
        *[PRESENT] * 4,
        [(2, 88, "ines.costa.home@example.net")],
        PRESENT,
        ABSENT,
        PRESENT,
    ],
    # Dropped and rejoined in session 2: one stay once the connections are merged.
    "tomasz": [PRESENT, [(0, 40), (42, 90)], *[PRESENT] * 6],
    # 5 of 8 (62.5 %): under the course's 80 %, no certificate.
    "grace": [PRESENT, PRESENT, ABSENT, PRESENT, ABSENT, PRESENT, ABSENT, PRESENT],
}
# Learners paid into the running batch.
COHORT_LEARNERS = [
    ("noah", "Noah", "Becker"),
    ("lucia", "Lucía", "Romero"),
    ("kenji", "Kenji", "Sato"),
]
COHORT_ZONE = "America/New_York"
COHORT_ZONE_INFO = zoneinfo.ZoneInfo(COHORT_ZONE)
CATEGORIES = [
    ("Data & Analytics", "data-analytics"),
    ("Writing", "writing"),
    ("Food & Cooking", "food"),
]


@contextlib.contextmanager
def _quiet_tasks():
    """Eager Celery logs every task it runs; the seed runs a few hundred."""
    trace = logging.getLogger("celery.app.trace")
    level = trace.level
    trace.setLevel(logging.WARNING)
    try:
        yield
    finally:
        trace.setLevel(level)


class Command(BaseCommand):
    help = "Create demo users and courses (local development only). Safe to run twice."

    def handle(self, *args, **options):
        if not settings.DEMO_SEED_ALLOWED:
            raise CommandError("seed_demo creates users with known passwords: local settings only.")
        catalog = CourseIndexPage.objects.first()
        if catalog is None:
            raise CommandError("No course catalog page: run `manage.py migrate` first.")
        # The demo's own e-mails (enrollments, grades, certificates) would bury the logins.
        with (
            override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"),
            _quiet_tasks(),
        ):
            mail.outbox = []
            self.seed(catalog)
            self.stdout.write(f"Kept the {len(mail.outbox)} e-mails the demo sent (not printed)")
        self.stdout.write(self.style.SUCCESS("Demo data ready. Sign in at /admin/ with:"))
        for username, first, last, group, superuser in USERS:
            role = "superuser" if superuser else (group or "learner")
            self.stdout.write(f"  {username:<11} / {DEMO_PASSWORD}   ({first} {last}, {role})")

    def seed(self, catalog):
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
            finished = self.cohorts(masterclass, users["specialist"]) if masterclass else None
        if finished is not None:
            # Outside the seed's transaction: each event is processed when its own commits.
            self.zoom_attendance(finished, users["specialist"])
            self.recording(finished, users["specialist"])
            self.cohort_end(finished)
            self.history(finished)

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

    def cohorts(self, course, specialist):
        """Batch 3 ran four weeks of Tuesday and Thursday sessions at 7 PM New York time and
        ended last week: its learners did the coursework, and Zoom's events for every session
        are replayed below. Batch 4 started two weeks ago, still enrolling for three days;
        Batch 5 opens later with no sessions yet."""
        today = timezone.localdate(timezone=COHORT_ZONE_INFO)
        finished = self.batch(
            course,
            "Batch 3",
            first_day=today - datetime.timedelta(weeks=5),
            enrollment_deadline=timezone.now() + datetime.timedelta(minutes=1),
        )
        for username, first_name, last_name in FINISHED_COHORT_LEARNERS:
            enrollment = self.paid_seat(course, finished, username, first_name, last_name)
            self.coursework(enrollment, specialist)
        # Enrollment closed when the batch began.
        finished.enrollment_deadline = datetime.datetime.combine(
            finished.starts_on, datetime.time(), tzinfo=COHORT_ZONE_INFO
        )
        finished.save(update_fields=["enrollment_deadline"])
        running = self.batch(
            course,
            "Batch 4",
            first_day=today - datetime.timedelta(days=14),
            enrollment_deadline=timezone.now() + datetime.timedelta(days=3),
        )
        for username, first_name, last_name in COHORT_LEARNERS:
            self.paid_seat(course, running, username, first_name, last_name)
        next_start = running.ends_on + datetime.timedelta(weeks=6)
        Cohort.objects.create(
            course=course,
            name="Batch 5",
            starts_on=next_start,
            ends_on=next_start + datetime.timedelta(weeks=4),
            timezone=COHORT_ZONE,
            capacity=30,
            enrollment_deadline=datetime.datetime.combine(
                next_start - datetime.timedelta(days=4),
                datetime.time(23, 59),
                tzinfo=COHORT_ZONE_INFO,
            ),
            status=Cohort.Status.OPEN,
        )
        self.stdout.write(
            f"Created cohorts “Batch 3” (finished, {len(FINISHED_COHORT_LEARNERS)} learners), "
            f"“Batch 4” (running, {len(COHORT_LEARNERS)} learners) and “Batch 5”"
        )
        return finished

    def batch(self, course, name, *, first_day, enrollment_deadline):
        """A batch of eight sessions, Tuesdays and Thursdays for four weeks from the Tuesday
        on or after `first_day`."""
        first_day += datetime.timedelta(days=(1 - first_day.weekday()) % 7)
        days = [first_day + datetime.timedelta(weeks=w, days=d) for w in range(4) for d in (0, 2)]
        batch = Cohort.objects.create(
            course=course,
            name=name,
            starts_on=days[0],
            ends_on=days[-1],
            timezone=COHORT_ZONE,
            capacity=30,
            enrollment_deadline=enrollment_deadline,
            status=Cohort.Status.OPEN,
        )
        slug = name.lower().replace(" ", "-")
        for number, day in enumerate(days, start=1):
            CohortSession.objects.create(
                cohort=batch,
                title=f"Session {number}",
                starts_at=datetime.datetime.combine(
                    day, datetime.time(19), tzinfo=COHORT_ZONE_INFO
                ),
                duration_minutes=90,
                meeting_url=f"https://meet.example.com/python-masterclass-{slug}",
            )
        return batch

    def paid_seat(self, course, batch, username, first_name, last_name):
        learner = self.user(username, first_name, last_name, None, False)
        enrollment = enrollment_create(learner=learner, course=course, cohort=batch)
        order = order_create(enrollment=enrollment)
        order_mark_paid(order_id=order.pk, payment_reference=f"demo_{username}")
        enrollment.refresh_from_db()
        return enrollment

    def coursework(self, enrollment, specialist):
        """Every lesson done, every quiz passed, the capstone handed in and graded."""
        for lesson in LessonPage.objects.descendant_of(enrollment.course).live().order_by("path"):
            for block in lesson.body:
                if block.block_type == "quiz":
                    answers = {
                        question["id"]: [c["id"] for c in question["choices"] if c["correct"]]
                        for question in quiz_snapshot(block.value)
                    }
                    quiz_attempt_submit(enrollment=enrollment, quiz_id=block.id, answers=answers)
                elif block.block_type == "assignment":
                    submission = assignment_submit(
                        enrollment=enrollment,
                        assignment_id=block.id,
                        url=f"https://code.example.com/{enrollment.learner.username}/capstone",
                    )
                    submission_grade(
                        submission=submission,
                        grader=specialist,
                        scores={c["id"]: c["max_points"] for c in submission.rubric},
                        feedback="Clear, small functions; well tested.",
                    )
            lesson_complete(enrollment=enrollment, lesson=lesson)

    def zoom_attendance(self, batch, specialist):
        """Attendance from Zoom's replayed events, and the one participant nobody could
        identify assigned by the specialist by hand."""
        enrollments = {
            e.learner.username: e
            for e in Enrollment.objects.filter(cohort=batch).select_related("learner")
        }
        zoom_identity_give(batch, enrollments.values())
        plan = {enrollments[username]: sessions for username, sessions in ZOOM_ATTENDANCE.items()}
        delivered = zoom_meetings_replay(batch, plan)
        unmatched = UnmatchedParticipant.objects.get(session__cohort=batch)
        unmatched_participant_resolve(
            unmatched=unmatched, enrollment_id=enrollments["ines"].pk, by=specialist
        )
        self.stdout.write(
            f"Replayed {delivered} signed Zoom events for “{batch.name}”; "
            f"{unmatched.email} assigned to Inês Costa by hand"
        )

    def recording(self, batch, specialist):
        """The specialist attached the last session's recording the next morning: its members
        were told and watch it through links signed for each of them."""
        last = batch.sessions.order_by("starts_at").last()
        session_recording_attach(
            session=last,
            by=specialist,
            url="https://videos.example.com/python-masterclass/batch-3/session-8",
            duration_seconds=90 * 60,
        )
        self.stdout.write(f"Attached the recording of “{last.title}” of “{batch.name}”")

    def cohort_end(self, batch):
        """What the beat job does after a batch's last session: complete it and its learners
        who qualify (most already did, as their attendance came in after the end)."""
        cohort_complete(cohort=batch)
        certified = Certificate.objects.filter(enrollment__cohort=batch, status="valid").count()
        self.stdout.write(
            f"Completed “{batch.name}”: {certified} certificates, each stating attendance"
        )

    def history(self, batch):
        """The seats and coursework dated over the past weeks, as they would have happened,
        and the analytics snapshots of those days rebuilt: the specialist's dashboard has a
        shape over time at first login."""
        first = demo_history_spread(batch)
        days = demo_snapshots_rebuild(first)
        self.stdout.write(
            f"Dated the demo's seats and coursework from {first}; "
            f"rebuilt the analytics snapshots of {len(days)} days"
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
