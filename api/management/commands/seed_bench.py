"""Fill the database fast with a benchmark catalog (default 2,000 courses × 4 modules × 5 lessons).

Bulk inserts straight into the page tree, bypassing revisions and signals, so a
50,000-page catalog takes under a minute. For benchmarks and load tests only.
"""

import random
import time
import uuid
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from wagtail.models import Locale, Page

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
from coursepages.roles import SPECIALISTS

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


class Command(BaseCommand):
    help = "Bulk-create a benchmark catalog (courses, modules, lessons, specialists, categories)."

    def add_arguments(self, parser):
        parser.add_argument("--courses", type=int, default=2000)
        parser.add_argument("--modules", type=int, default=4, help="modules per course")
        parser.add_argument("--lessons", type=int, default=5, help="lessons per module")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, courses, modules, lessons, seed, **options):
        catalog = CourseIndexPage.objects.first()
        if catalog is None:
            raise CommandError("No course catalog page: run `manage.py migrate` first.")
        self.random = random.Random(seed)
        started = time.perf_counter()
        with transaction.atomic():
            specialists = self.specialists(max(1, courses // 10))
            categories = self.categories()
            self.build(catalog, courses, modules, lessons, specialists, categories)
        catalog_changed()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # fresh planner statistics for the new rows
        pages = courses * (1 + modules + modules * lessons)
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {courses} courses ({pages} pages) in {time.perf_counter() - started:.1f}s. "
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
                        children.append(
                            self.page(
                                LessonPage,
                                f"Lesson {m + 1}.{lesson_number + 1}",
                                module.path + self.step(lesson_number + 1),
                                module,
                                types,
                                locale,
                                now,
                                duration_minutes=self.random.randint(3, 40),
                                is_free_preview=m == 0 and lesson_number == 0,
                                has_quiz=lesson_number == lessons - 1,
                            )
                        )
            self.insert(pages + children)
            self.progress("courses", end, courses)
        Page.objects.filter(pk=catalog.pk).update(numchild=first_index + courses)

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
        instructor = self.random.choice(specialists)
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
