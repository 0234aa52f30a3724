"""Fill the database fast with a benchmark catalog (default 2,000 courses × 4 modules × 5 lessons)
and the learners who use it (default 10 per course, each in 3 courses, part-way through).
With `--activity-days N`, the enrollments were activated over the last N days and carry what
their learners did since (`bench.activity`): lessons, quizzes, the final assignment, course
completions, sales and partial refunds in the ledger.

Bulk inserts straight into the page tree and the learning tables, bypassing
revisions and signals, so the default data set takes well under a minute.
For benchmarks and load tests only.
"""

import copy
import datetime
import hashlib
import random
import time
import uuid
import zoneinfo
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone
from wagtail.models import Locale, Page

from accounts.roles import SPECIALISTS
from bench.activity import Activity, CourseOutline
from commerce.money import to_minor_units
from coursepages.catalog import catalog_changed
from coursepages.models import (
    CourseCategory,
    CourseIndexPage,
    CoursePage,
    CourseType,
    Difficulty,
    LessonPage,
    ModulePage,
)
from coursepages.stream_values import assignment, paragraph, question, quiz
from learning.models import (
    Cohort,
    CohortSession,
    Enrollment,
    LessonCompletion,
    ZoomEvent,
    ZoomParticipantEvent,
    ZoomRegistrant,
)
from learning.selectors import COURSE_PATH_LENGTH
from learning.services.assignments import rubric_snapshot
from learning.services.lessons import last_active_recount
from learning.services.quizzes import quiz_snapshot
from learning.services.zoom_attendance import zoom_attendance_compute

WORDS = [
    "data",
    "charts",
    "python",
    "design",
    "writing",
    "baking",
    "sourdough",
    "finance",
    "marketing",
    "photography",
    "statistics",
    "drawing",
    "music",
    "guitar",
    "spanish",
    "french",
    "leadership",
    "negotiation",
    "excel",
    "sql",
    "javascript",
    "react",
    "testing",
    "security",
    "cloud",
    "kubernetes",
    "gardening",
    "yoga",
    "nutrition",
    "history",
]
RARE_WORD = "zymurgy"
LANGUAGES = ["en"] * 6 + ["fr", "de", "es", "it", "ar", "ja"]
BATCH = 1000
COHORT_NAME = "Bench batch"  # bench_api finds the full cohort whose roster it measures
BENCH_MEETING_ID = "89000000001"  # the full cohort's Zoom meeting


class Command(BaseCommand):
    help = "Bulk-create a benchmark catalog (courses, modules, lessons, specialists, categories)."

    def add_arguments(self, parser):
        parser.add_argument("--courses", type=int, default=2000)
        parser.add_argument("--modules", type=int, default=4, help="modules per course")
        parser.add_argument("--lessons", type=int, default=5, help="lessons per module")
        parser.add_argument("--learners", type=int, default=None, help="default: 10 per course")
        parser.add_argument("--enrollments", type=int, default=3, help="courses per learner")
        parser.add_argument(
            "--cohort-seats",
            type=int,
            default=0,
            help="make the first new course a cohort course with one full cohort of this size",
        )
        parser.add_argument(
            "--cohorts", type=int, default=50, help="courses run as one cohort of 8 sessions"
        )
        parser.add_argument(
            "--activity-days",
            type=int,
            default=0,
            help="activate enrollments over this many past days, with what learners did since",
        )
        parser.add_argument(
            "--specialist-courses",
            type=int,
            default=0,
            help="one specialist teaches this many of the new courses (the analytics benchmark)",
        )
        parser.add_argument("--seed", type=int, default=1)

    def handle(
        self,
        *args,
        courses,
        modules,
        lessons,
        learners,
        enrollments,
        cohort_seats,
        cohorts,
        activity_days,
        specialist_courses,
        seed,
        **options,
    ):
        catalog = CourseIndexPage.objects.first()
        if catalog is None:
            raise CommandError("No course catalog page: run `manage.py migrate` first.")
        self.random = random.Random(seed)
        self.activity_days = activity_days
        self.specialist_courses = specialist_courses
        self.written = {}  # rows of activity, by kind
        started = time.perf_counter()
        learners = courses * 10 if learners is None else learners
        with transaction.atomic():
            specialists = self.specialists(max(2 if specialist_courses else 1, courses // 10))
            categories = self.categories()
            self.bodies = self.lesson_bodies()
            new_courses = self.build(catalog, courses, modules, lessons, specialists, categories)
            full_cohort_course, others = (
                (new_courses[0], new_courses[1:] or new_courses)
                if cohort_seats
                else (None, new_courses)
            )
            enrolled = self.enroll(others, learners, min(enrollments, len(others)))
            if full_cohort_course:
                self.full_cohort(full_cohort_course, cohort_seats)
            cohorts = self.cohorts(others[:cohorts])
            last_active_recount(Enrollment.objects.filter(last_active_at__isnull=True))
        catalog_changed()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # Fresh planner statistics, and the visibility map that lets index-only scans
                # skip the heap, as autovacuum gives a database in use (VACUUM cannot run
                # inside a transaction, as when a test calls this command).
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
        pages = courses * (1 + modules + modules * lessons)
        if self.activity_days:
            self.stdout.write(
                f"Activity over {self.activity_days} days: "
                + ", ".join(f"{count} {name}" for name, count in self.written.items())
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {courses} courses ({pages} pages), {learners} learners, "
                f"{enrolled[0]} enrollments and {enrolled[1]} lesson completions, "
                f"{cohorts} cohorts of 8 sessions "
                f"in {time.perf_counter() - started:.1f}s. "
                "Run `manage.py update_index` if searching with Wagtail's backend."
            )
        )

    def progress(self, label, done, total):
        width = 30
        filled = width * done // total
        self.stdout.write(
            f"\r{label:<8} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}", ending=""
        )
        if done == total:
            self.stdout.write("")
        self.stdout.flush()

    def specialists(self, count):
        group = Group.objects.get(name=SPECIALISTS)
        prefix = uuid.uuid4().hex[:6]
        users = get_user_model().objects.bulk_create(
            get_user_model()(
                username=f"bench-{prefix}-{n}",
                email=f"bench-{prefix}-{n}@example.com",
                first_name=self.random.choice(["Ada", "Sam", "Lena", "Omar", "Mei", "Ravi"]),
                last_name=self.random.choice(["Rivera", "Park", "Okafor", "Nilsen", "Tanaka"]),
            )
            for n in range(count)
        )
        group.user_set.add(*users)
        return users

    def categories(self):
        names = ["Data", "Design", "Writing", "Cooking", "Business", "Music", "Languages", "Tech"]
        return [
            CourseCategory.objects.get_or_create(slug=name.lower(), defaults={"name": name})[0]
            for name in names
        ]

    def build(self, catalog, courses, modules, lessons, specialists, categories):
        locale = Locale.get_default()
        types = {
            model: ContentType.objects.get_for_model(model)
            for model in (CoursePage, ModulePage, LessonPage)
        }
        now = timezone.now()
        first_index = catalog.numchild
        per_batch = max(1, BATCH // (1 + modules + modules * lessons))
        built = []
        for start in range(0, courses, per_batch):
            end = min(courses, start + per_batch)
            pages, children = [], []
            for n in range(start, end):
                course_path = catalog.path + self.step(first_index + n + 1)
                course = self.course(
                    n, catalog, course_path, specialists, categories, types, locale, now
                )
                course.numchild = modules
                pages.append(course)
                for m in range(modules):
                    module_path = course.path + self.step(m + 1)
                    module = self.page(
                        ModulePage,
                        f"Module {m + 1}",
                        module_path,
                        course,
                        types,
                        locale,
                        now,
                        numchild=lessons,
                    )
                    children.append(module)
                    for lesson_number in range(lessons):
                        lesson_path = module.path + self.step(lesson_number + 1)
                        quizzed = lesson_number == lessons - 1
                        final = quizzed and m == modules - 1 and bool(self.activity_days)
                        children.append(
                            self.page(
                                LessonPage,
                                f"Lesson {m + 1}.{lesson_number + 1}",
                                lesson_path,
                                module,
                                types,
                                locale,
                                now,
                                duration_minutes=self.random.randint(3, 40),
                                is_free_preview=m == 0 and lesson_number == 0,
                                has_quiz=quizzed,
                                body=self.body(
                                    "final" if final else "quiz" if quizzed else "reading",
                                    lesson_path,
                                ),
                            )
                        )
            self.insert(pages + children)
            built += [course.path for course in pages]
            self.progress("courses", end, courses)
        Page.objects.filter(pk=catalog.pk).update(numchild=first_index + courses)
        return built

    def lesson_bodies(self):
        """Raw StreamField JSON for a reading, a reading with a five-question quiz, and the
        course's final lesson (with activity): the quiz and an assignment graded by rubric."""
        stream = LessonPage._meta.get_field("body").stream_block
        reading = paragraph("<p>Read the notes, then try the exercise on your own.</p>")
        questions = [
            question(f"Question {n}?", ["Right", "Wrong", "Also wrong"], ["Right"])
            for n in range(1, 6)
        ]
        checked = quiz("Check your understanding", questions, attempts_allowed=0)
        project = assignment(
            "Final project",
            "<p>Build something small with what you learned and link to it.</p>",
            [("Result", "It works.", 10), ("Explanation", "The write-up says why.", 5)],
            kinds=("url",),
        )
        kinds = {
            "reading": [reading],
            "quiz": [reading, checked],
            "final": [reading, checked, project],
        }
        normalized = {kind: stream.normalize(blocks) for kind, blocks in kinds.items()}
        bodies = {kind: stream.get_prep_value(blocks) for kind, blocks in normalized.items()}
        final = {block.block_type: block.value for block in normalized["final"]}
        # What an attempt and a submission store of the quiz and the rubric, as asked.
        self.quiz_questions = quiz_snapshot(final["quiz"])
        self.rubric = rubric_snapshot(final["assignment"])
        self.blocks = {}  # lesson path → {block type: block id}, for the activity
        return bodies

    def body(self, kind, lesson_path):
        """A lesson body with block ids of its own, as the editor would give it."""
        raw = copy.deepcopy(self.bodies[kind])
        pending = list(raw)
        while pending:
            item = pending.pop()
            if isinstance(item, dict):
                if "id" in item:
                    item["id"] = str(uuid.UUID(int=self.random.getrandbits(128), version=4))
                pending += item.values()
            elif isinstance(item, list):
                pending += item
        if self.activity_days and kind != "reading":
            self.blocks[lesson_path] = {block["type"]: block["id"] for block in raw}
        return raw

    def enroll(self, course_paths, learners, per_learner):
        """Active enrollments spread over the new courses, each some way through its lessons."""
        if not learners:
            return 0, 0
        courses = dict(CoursePage.objects.filter(path__in=course_paths).values_list("path", "pk"))
        lessons = {}
        catalog_path = course_paths[0][: -Page.steplen]
        for pk, path in (
            LessonPage.objects.filter(path__startswith=catalog_path)
            .order_by("path")
            .values_list("pk", "path")
        ):
            if path[:COURSE_PATH_LENGTH] in courses:
                lessons.setdefault(path[:COURSE_PATH_LENGTH], []).append((pk, path))
        prefix = uuid.uuid4().hex[:6]
        password = make_password(None)
        now = timezone.now()
        enrollments, completions = 0, 0
        if self.activity_days:
            activity = Activity(
                rng=self.random,
                days=self.activity_days,
                now=now,
                quiz_questions=self.quiz_questions,
                rubric=self.rubric,
                prefix=prefix,
            )
            outlines = self.outlines(courses, lessons)
        for start in range(0, learners, BATCH):
            users = get_user_model().objects.bulk_create(
                get_user_model()(
                    username=f"learner-{prefix}-{n}",
                    email=f"learner-{prefix}-{n}@example.com",
                    first_name=self.random.choice(["Noor", "Jonas", "Aiko", "Maya", "Tom"]),
                    last_name=self.random.choice(["Haddad", "Weber", "Sato", "Cruz", "Berg"]),
                    password=password,
                )
                for n in range(start, min(learners, start + BATCH))
            )
            picks = [
                (user, path)
                for user in users
                for path in self.random.sample(course_paths, per_learner)
            ]
            if self.activity_days:
                rows = [activity.enrollment(user, outlines[courses[path]]) for user, path in picks]
                written = activity.write(rows, outlines)
                self.written = {
                    name: self.written.get(name, 0) + count for name, count in written.items()
                }
                enrollments += written["enrollments"]
                completions += written["lessons"]
                self.progress("learners", min(learners, start + BATCH), learners)
                continue
            rows = [
                Enrollment(
                    learner=user,
                    course_id=courses[path],
                    status=Enrollment.Status.ACTIVE,
                    activated_at=now - timezone.timedelta(days=self.random.randint(0, 90)),
                )
                for user, path in picks
            ]
            Enrollment.objects.bulk_create(rows, batch_size=BATCH)
            done = [
                LessonCompletion(enrollment=enrollment, lesson_id=lesson_id)
                for enrollment, (_, path) in zip(rows, picks, strict=True)
                for lesson_id, _ in lessons[path][: self.random.randint(0, len(lessons[path]) // 2)]
            ]
            LessonCompletion.objects.bulk_create(done, batch_size=BATCH)
            enrollments, completions = enrollments + len(rows), completions + len(done)
            self.progress("learners", min(learners, start + BATCH), learners)
        return enrollments, completions

    def outlines(self, courses, lessons):
        """{course pk: CourseOutline} of the new courses, for their activity."""
        outlines = {}
        for pk, path, instructor, price, currency in CoursePage.objects.filter(
            pk__in=courses.values()
        ).values_list("pk", "path", "instructor", "price", "currency"):
            outline = CourseOutline(
                pk=pk,
                instructor_id=instructor,
                lessons=[lesson for lesson, _ in lessons[path]],
                amount=to_minor_units(price, currency),
                currency=currency,
            )
            for lesson, lesson_path in lessons[path]:
                blocks = self.blocks.get(lesson_path, {})
                if "quiz" in blocks:
                    outline.quizzes[lesson] = blocks["quiz"]
                if "assignment" in blocks:
                    outline.assignment = (lesson, blocks["assignment"])
            outlines[pk] = outline
        return outlines

    def full_cohort(self, course_path, seats):
        """A cohort of the first new course, every seat taken by a learner of its own."""
        CoursePage.objects.filter(path=course_path).update(course_type=CourseType.COHORT)
        course = CoursePage.objects.get(path=course_path)
        today = timezone.localdate()
        cohort = Cohort.objects.create(
            course=course,
            name=COHORT_NAME,
            starts_on=today - timezone.timedelta(days=28),
            ends_on=today + timezone.timedelta(days=7),
            timezone="America/New_York",
            capacity=seats,
            seats_taken=seats,
            enrollment_deadline=timezone.now(),
            status=Cohort.Status.CLOSED,
        )
        prefix = uuid.uuid4().hex[:6]
        users = get_user_model().objects.bulk_create(
            get_user_model()(
                username=f"cohort-{prefix}-{n}",
                email=f"cohort-{prefix}-{n}@example.com",
                first_name=self.random.choice(["Noor", "Jonas", "Aiko", "Maya", "Tom"]),
                last_name=self.random.choice(["Haddad", "Weber", "Sato", "Cruz", "Berg"]),
                password=make_password(None),
            )
            for n in range(seats)
        )
        now = timezone.now()
        rows = Enrollment.objects.bulk_create(
            Enrollment(
                learner=user, course=course, cohort=cohort, status=Enrollment.Status.ACTIVE,
                activated_at=now,
            )
            for user in users
        )  # fmt: skip
        lessons = list(
            LessonPage.objects.filter(path__startswith=course_path).values_list("pk", flat=True)
        )
        LessonCompletion.objects.bulk_create(
            LessonCompletion(enrollment=enrollment, lesson_id=lesson_id)
            for enrollment in rows
            for lesson_id in lessons[: self.random.randint(0, len(lessons))]
        )
        self.zoom_sessions(cohort, rows)
        return cohort

    def zoom_sessions(self, cohort, enrollments):
        """The full cohort's 8 sessions, all held in its Zoom meeting: each learner a
        registrant, their joins and leaves stored as the webhooks would have (a few rejoin,
        come late or stay away), two people per session whom nobody can identify, and the
        attendance computed from it all, as `meeting.ended` does."""
        sessions = CohortSession.objects.bulk_create(
            CohortSession(
                cohort=cohort,
                title=f"Live session {number + 1}",
                starts_at=datetime.datetime.combine(
                    cohort.starts_on + timezone.timedelta(days=3 * number),
                    datetime.time(23),
                    tzinfo=datetime.UTC,
                ),
                duration_minutes=90,
                zoom_meeting_id=BENCH_MEETING_ID,
            )
            for number in range(8)
        )
        prefix = uuid.uuid4().hex[:8]
        registrants = ZoomRegistrant.objects.bulk_create(
            ZoomRegistrant(cohort=cohort, enrollment=enrollment, registrant_id=f"bench{prefix}{n}")
            for n, enrollment in enumerate(enrollments)
        )
        minute = timezone.timedelta(minutes=1)
        events = []  # (kind, session, instance uuid, participant, at)
        for session in sessions:
            instance = f"{prefix}{session.pk:08d}=="
            connections = [
                ({"registrant_id": r.registrant_id, "email": "", "name": f"Learner {n}"}, spans)
                for n, r in enumerate(registrants)
                for spans in [self.attendance_spans()]
            ] + [
                ({"registrant_id": "", "email": f"guest{g}@home.example", "name": f"Guest {g}"},
                 [(5, 60)])
                for g in range(2)
            ]  # fmt: skip
            for number, (who, spans) in enumerate(connections):
                for joined, left in spans:
                    participant = {**who, "participant_uuid": f"{instance}-{number}-{joined}"}
                    events.append(("joined", session, instance, participant, joined * minute))
                    events.append(("left", session, instance, participant, left * minute))
        now = timezone.now()
        stored = ZoomEvent.objects.bulk_create(
            (
                ZoomEvent(
                    event=f"meeting.participant_{kind}",
                    event_ts=int((session.starts_at + offset).timestamp() * 1000),
                    dedupe_key=hashlib.sha256(
                        f"bench-{kind}-{participant['participant_uuid']}".encode()
                    ).hexdigest(),
                    payload={"event": f"meeting.participant_{kind}", "bench": True},
                    received_at=now,
                    processed_at=now,
                )
                for kind, session, _instance, participant, offset in events
            ),
            batch_size=BATCH,
        )
        ZoomParticipantEvent.objects.bulk_create(
            (
                ZoomParticipantEvent(
                    zoom_event=zoom_event,
                    kind=kind,
                    meeting_id=BENCH_MEETING_ID,
                    meeting_uuid=instance,
                    participant_uuid=participant["participant_uuid"],
                    registrant_id=participant["registrant_id"],
                    email=participant["email"],
                    name=participant["name"],
                    occurred_at=session.starts_at + offset,
                )
                for zoom_event, (kind, session, instance, participant, offset) in zip(
                    stored, events, strict=True
                )
            ),
            batch_size=BATCH,
        )
        for session in sessions:
            zoom_attendance_compute(session=session)

    def attendance_spans(self):
        """One learner's connections to a 90-minute session, in minutes from its start."""
        roll = self.random.random()
        if roll < 0.05:
            return []  # stayed away
        if roll < 0.15:
            return [(self.random.randint(16, 40), 90)]  # came late
        if roll < 0.35:
            dropped = self.random.randint(20, 50)  # lost the connection and came back
            return [(-2, dropped), (dropped + self.random.randint(1, 10), 92)]
        return [(self.random.randint(-5, 3), self.random.randint(80, 95))]

    def cohorts(self, course_paths):
        """These courses run as cohorts: one batch each holding all its enrollments, with 8
        evening sessions in New York time, some past, some to come (calendar feeds read them)."""
        today = timezone.now().date()
        new_york = zoneinfo.ZoneInfo("America/New_York")
        courses = CoursePage.objects.filter(path__in=course_paths)
        courses.update(course_type=CourseType.COHORT)
        learners = dict(
            Enrollment.objects.filter(course__in=courses)
            .values("course")
            .annotate(count=Count("pk"))
            .values_list("course", "count")
        )
        cohorts = Cohort.objects.bulk_create(
            Cohort(
                course_id=course,
                name="Batch 1",
                starts_on=today - timezone.timedelta(days=10),
                ends_on=today + timezone.timedelta(days=20),
                timezone="America/New_York",
                capacity=learners.get(course, 0) + 10_000,  # room for the enroll benchmark
                seats_taken=learners.get(course, 0),
                enrollment_deadline=timezone.now() + timezone.timedelta(days=5),
                status=Cohort.Status.OPEN,
            )
            for course in courses.values_list("pk", flat=True)
        )
        for cohort in cohorts:
            Enrollment.objects.filter(course_id=cohort.course_id).update(cohort=cohort)
        CohortSession.objects.bulk_create(
            CohortSession(
                cohort=cohort,
                title=f"Live session {number + 1}",
                starts_at=datetime.datetime.combine(
                    cohort.starts_on + timezone.timedelta(days=1 + 3 * number),
                    datetime.time(19),
                    tzinfo=new_york,
                ),
                duration_minutes=90,
                meeting_url="https://meet.example.com/bench",
            )
            for cohort in cohorts
            for number in range(8)
        )
        return len(cohorts)

    def step(self, index):
        return Page._int2str(index).rjust(Page.steplen, "0")

    def page(self, model, title, path, parent, types, locale, now, **fields):
        slug = title.lower().replace(" ", "-").replace(".", "-")
        return model(
            title=title,
            draft_title=title,
            slug=slug,
            path=path,
            depth=len(path) // Page.steplen,
            numchild=fields.pop("numchild", 0),
            url_path=f"{parent.url_path}{slug}/",
            content_type=types[model],
            locale=locale,
            live=True,
            has_unpublished_changes=False,
            first_published_at=now,
            last_published_at=now,
            translation_key=uuid.uuid4(),
            owner_id=parent.owner_id,
            **fields,
        )

    def course(self, n, catalog, path, specialists, categories, types, locale, now):
        words = self.random.sample(WORDS, 3)
        if n % 10_000 == 7:
            words[2] = RARE_WORD  # one course in ten thousand: a search whose matches stay few
        title = f"{words[0].title()} and {words[1]} {n}"
        if n < self.specialist_courses:
            instructor = specialists[0]
        else:
            instructor = self.random.choice(
                specialists[1:] if self.specialist_courses else specialists
            )
        course = CoursePage(
            title=title,
            draft_title=title,
            slug=f"bench-{words[0]}-{words[1]}-{n}-{uuid.uuid4().hex[:6]}",
            path=path,
            depth=len(path) // Page.steplen,
            numchild=0,
            content_type=types[CoursePage],
            locale=locale,
            live=True,
            has_unpublished_changes=False,
            first_published_at=now - timezone.timedelta(minutes=n),
            published_at=now - timezone.timedelta(minutes=n),
            listed=True,
            last_published_at=now,
            translation_key=uuid.uuid4(),
            owner=instructor,
            instructor=instructor,
            summary=f"Learn {words[0]}, {words[1]} and {words[2]} with practical projects.",
            description=f"<p>A course about {' '.join(words)}.</p>",
            difficulty=self.random.choice(Difficulty.values),
            course_type=self.random.choice(CourseType.values),
            language=self.random.choice(LANGUAGES),
            category=self.random.choice(categories),
            price=self.random.choice(
                [Decimal("0"), Decimal("19.00"), Decimal("49.00"), Decimal("129.00")]
            ),
            rating_average=Decimal(self.random.randint(30, 50)) / 10,
            rating_count=self.random.randint(0, 500),
            enrollment_count=self.random.randint(0, 5000),
        )
        course.url_path = f"{catalog.url_path}{course.slug}/"
        course.search_document = "\n".join(
            [
                course.title,
                course.summary,
                course.description,
                course.category.name,
                instructor.get_full_name(),
            ]
        )
        return course

    def insert(self, pages):
        """Insert page rows, then each subclass's own table rows (Django won't bulk-create those)."""
        Page.objects.bulk_create(pages, batch_size=BATCH)
        for model in (CoursePage, ModulePage, LessonPage):
            rows = [page for page in pages if isinstance(page, model)]
            for row in rows:
                row.page_ptr_id = row.id
            fields = model._meta.local_concrete_fields
            for start in range(0, len(rows), BATCH):
                model._base_manager._insert(rows[start : start + BATCH], fields=fields)
