"""The course content tree: CourseIndexPage → CoursePage → ModulePage → LessonPage."""

from collections import defaultdict

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import Http404
from django.shortcuts import redirect
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.images import get_image_model_string
from wagtail.models import Page, Task
from wagtail.search import index

from coursepages.blocks import RICH_TEXT_FEATURES, LessonBodyBlock
from coursepages.currencies import CURRENCY_CHOICES, CURRENCY_EXPONENTS
from coursepages.forms import CoursePageForm
from coursepages.languages import LANGUAGE_CHOICES, text_direction
from coursepages.permissions import CourseContentPermissionTester

percent_validators = [MaxValueValidator(100)]


class CourseIndexPage(Page):
    """The catalog: the one page under which every course lives."""

    intro = RichTextField(blank=True, features=RICH_TEXT_FEATURES)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["coursepages.CoursePage"]
    max_count = 1

    class Meta:
        verbose_name = _("course catalog")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["courses"] = CoursePage.objects.child_of(self).filter(listed=True).order_by("title")
        return context


class CourseCategory(models.Model):
    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("course category")
        verbose_name_plural = _("course categories")

    def __str__(self):
        return self.name


class CourseTag(TaggedItemBase):
    content_object = ParentalKey(
        "coursepages.CoursePage", related_name="tagged_items", on_delete=models.CASCADE
    )


class Difficulty(models.TextChoices):
    BEGINNER = "beginner", _("Beginner")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ADVANCED = "advanced", _("Advanced")


class CourseType(models.TextChoices):
    SELF_PACED = "self_paced", _("Self-paced")
    COHORT = "cohort", _("Cohort (instructor-led, with live sessions)")


class CourseContentPage(Page):
    """Behaviour shared by courses, modules and lessons (not a table of its own)."""

    class Meta:
        abstract = True

    def permissions_for_user(self, user):
        return CourseContentPermissionTester(user, self)

    def get_course(self):
        """The course this page belongs to (itself for a course)."""
        if isinstance(self, CoursePage):
            return self
        return CoursePage.objects.ancestor_of(self).first()


class PrivateContentPage(CourseContentPage):
    """A page whose body is for enrolled learners: its public URL leads to the course.

    Lesson and module bodies reach learners only through the learning API; Wagtail's
    page serving shows them to editors in preview and to nobody else.
    """

    class Meta:
        abstract = True

    def serve(self, request, *args, **kwargs):
        if getattr(request, "is_preview", False):
            return super().serve(request, *args, **kwargs)
        course = self.get_course()
        if course is None or not course.live or course.url is None:
            raise Http404
        return redirect(course.url)


class CoursePage(CourseContentPage):
    summary = models.TextField(
        max_length=300,
        blank=True,
        help_text=_("One or two sentences for the catalog card and search results."),
    )
    description = RichTextField(
        blank=True,
        features=RICH_TEXT_FEATURES,
        help_text=_("What learners will be able to do afterwards, who it is for, what they need."),
    )
    cover_image = models.ForeignKey(
        get_image_model_string(),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Shown on the catalog card; 16:9 works best."),
    )
    instructor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="courses_taught",
        help_text=_(
            "The specialist who teaches and earns from this course. Defaults to its author."
        ),
    )
    difficulty = models.CharField(
        max_length=20, choices=Difficulty.choices, default=Difficulty.BEGINNER
    )
    course_type = models.CharField(
        max_length=20, choices=CourseType.choices, default=CourseType.SELF_PACED
    )
    language = models.CharField(
        max_length=12,
        choices=LANGUAGE_CHOICES,
        default="en",
        help_text=_("The language the course is taught in."),
    )
    category = models.ForeignKey(
        CourseCategory, null=True, blank=True, on_delete=models.SET_NULL, related_name="courses"
    )
    tags = ClusterTaggableManager(through=CourseTag, blank=True)

    price = models.DecimalField(
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("0 makes the course free."),
    )
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES, default="USD")
    refund_window_days = models.PositiveSmallIntegerField(
        default=30,
        validators=[MaxValueValidator(365)],
        verbose_name=_("refund window (days)"),
        help_text=_("Learners can get a refund this many days after paying."),
    )
    cohort_refund_until_percent = models.PositiveSmallIntegerField(
        default=50,
        validators=percent_validators,
        verbose_name=_("cohort refunds until (% of the cohort)"),
        help_text=_(
            "Cohort courses: learners get a refund at once until this share of the cohort's "
            "time has passed (50 = its midpoint, 0 = until it starts); after it, staff decide."
        ),
    )
    enrollment_open = models.BooleanField(
        default=True,
        verbose_name=_("open for enrollment"),
        help_text=_("Untick to stop new enrollments; enrolled learners keep their access."),
    )

    certificate_min_lessons_percent = models.PositiveSmallIntegerField(
        default=80, validators=percent_validators, verbose_name=_("lessons completed (%)")
    )
    certificate_min_quiz_average = models.PositiveSmallIntegerField(
        default=70, validators=percent_validators, verbose_name=_("average quiz score (%)")
    )
    certificate_requires_assignments = models.BooleanField(
        default=True, verbose_name=_("all assignments passed")
    )
    certificate_min_attendance_percent = models.PositiveSmallIntegerField(
        default=80,
        validators=percent_validators,
        verbose_name=_("live sessions attended (%)"),
        help_text=_("Cohort courses only."),
    )

    # Operational state, changed by services rather than by editing a revision.
    archived_at = models.DateTimeField(null=True, blank=True, editable=False)
    rating_average = models.DecimalField(max_digits=3, decimal_places=2, default=0, editable=False)
    rating_count = models.PositiveIntegerField(default=0, editable=False)
    enrollment_count = models.PositiveIntegerField(default=0, editable=False)
    OPERATIONAL_FIELDS = ("archived_at", "rating_average", "rating_count", "enrollment_count")

    # The catalog reads these instead of joining Wagtail's page table: a course is
    # listed while live and not archived. Kept in step by save() and the services.
    listed = models.BooleanField(default=False, editable=False)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)

    # Plain text of everything catalog search matches (title, summary, description,
    # category, tags, instructor), rebuilt on every save; PostgreSQL indexes it.
    search_document = models.TextField(blank=True, editable=False)

    base_form_class = CoursePageForm
    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("description"),
        FieldPanel("cover_image"),
        FieldPanel("instructor", permission="coursepages.assign_instructor"),
        FieldRowPanel(
            [FieldPanel("difficulty"), FieldPanel("course_type"), FieldPanel("language")]
        ),
        FieldRowPanel([FieldPanel("category"), FieldPanel("tags")]),
    ]
    offer_panels = [
        FieldRowPanel([FieldPanel("price"), FieldPanel("currency")], heading=_("Price")),
        FieldPanel("refund_window_days"),
        FieldPanel("cohort_refund_until_percent"),
        FieldPanel("enrollment_open"),
        MultiFieldPanel(
            [
                FieldPanel("certificate_min_lessons_percent"),
                FieldPanel("certificate_min_quiz_average"),
                FieldPanel("certificate_requires_assignments"),
                FieldPanel("certificate_min_attendance_percent"),
            ],
            heading=_("Certificate criteria"),
            help_text=_("A learner earns the certificate when all of these hold."),
        ),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(offer_panels, heading=_("Price & certificate")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
        ]
    )

    search_fields = Page.search_fields + [
        index.SearchField("search_document"),
        index.FilterField("difficulty"),
        index.FilterField("course_type"),
        index.FilterField("language"),
        index.FilterField("archived_at"),
    ]

    parent_page_types = ["coursepages.CourseIndexPage"]
    subpage_types = ["coursepages.ModulePage"]
    admin_default_ordering = "ord"  # modules in syllabus (tree) order in the explorer

    # Only for Wagtail's API v2, which the benchmark mounts as its reference
    # (config.settings.bench); the product's API is api/.
    api_fields = [
        APIField(name)
        for name in ("summary", "difficulty", "course_type", "language", "price", "currency",
                     "rating_average", "enrollment_count")
    ]  # fmt: skip

    class Meta:
        verbose_name = _("course")
        permissions = [("assign_instructor", _("Can assign a course to any instructor"))]
        indexes = [
            models.Index(fields=fields, condition=models.Q(listed=True), name=name)
            for name, fields in [
                ("course_listed_newest", ["-published_at"]),
                ("course_listed_rating", ["-rating_average", "-rating_count"]),
                ("course_listed_price", ["price"]),
                ("course_listed_popular", ["-enrollment_count"]),
            ]
        ]

    @property
    def is_archived(self):
        return self.archived_at is not None

    @property
    def is_free(self):
        return self.price == 0

    @property
    def text_direction(self):
        return text_direction(self.language)

    def clean(self):
        super().clean()
        exponent = CURRENCY_EXPONENTS.get(self.currency, 2)
        if self.price is not None and self.price != round(self.price, exponent):
            raise ValidationError(
                {
                    "price": _("%(currency)s prices have at most %(places)d decimal places.")
                    % {"currency": self.currency, "places": exponent}
                }
            )

    def save(self, *args, **kwargs):
        if self.instructor_id is None:
            self.instructor_id = self.owner_id
        self.search_document = self.build_search_document()
        self.listed = self.live and self.archived_at is None
        self.published_at = self.first_published_at
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {
                *kwargs["update_fields"],
                "listed",
                "published_at",
                "search_document",
            }
        super().save(*args, **kwargs)

    def build_search_document(self):
        instructor = self.instructor.get_full_name() if self.instructor_id else ""
        parts = [
            self.title,
            self.summary,
            strip_tags(self.description),
            self.category.name if self.category_id else "",
            " ".join(self.tags.names()),
            instructor,
        ]
        return "\n".join(part for part in parts if part)

    def with_content_json(self, content):
        # Archiving and the catalog counters belong to the live course, not to any
        # revision: publishing an older draft must not undo them.
        course = super().with_content_json(content)
        for name in self.OPERATIONAL_FIELDS:
            setattr(course, name, getattr(self, name))
        return course

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        if getattr(request, "is_preview", False):
            context["modules"] = self.syllabus_draft()
            return context
        lessons_by_module = defaultdict(list)
        for lesson in LessonPage.objects.descendant_of(self).live().order_by("path"):
            lessons_by_module[lesson.path[: -self.steplen]].append(lesson)
        context["modules"] = [
            (module, lessons_by_module[module.path])
            for module in ModulePage.objects.child_of(self).live()
        ]
        return context

    def syllabus_draft(self):
        """[(module, [lesson, …])] in tree order, each page as its latest revision, live or
        not: what an editor reviewing the course approves (`.live` and
        `.has_unpublished_changes` say which parts learners do not see yet)."""
        lessons_by_module = defaultdict(list)
        for lesson in LessonPage.objects.descendant_of(self).order_by("path"):
            lessons_by_module[lesson.path[: -self.steplen]].append(
                lesson.get_latest_revision_as_object()
            )
        return [
            (module.get_latest_revision_as_object(), lessons_by_module[module.path])
            for module in ModulePage.objects.child_of(self).order_by("path")
        ]


class ModulePage(PrivateContentPage):
    summary = models.TextField(
        blank=True, help_text=_("What this module covers, in a sentence or two.")
    )
    opens_after_days = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MaxValueValidator(365)],
        verbose_name=_("opens after (days)"),
        help_text=_(
            "Drip: open this module this many days after a learner enrolls; in a cohort, this "
            "many days after the cohort's first day, at midnight in its time zone. "
            "Empty: at once."
        ),
    )

    content_panels = Page.content_panels + [FieldPanel("summary"), FieldPanel("opens_after_days")]
    parent_page_types = ["coursepages.CoursePage"]
    subpage_types = ["coursepages.LessonPage"]
    admin_default_ordering = "ord"  # lessons in syllabus (tree) order in the explorer

    class Meta:
        verbose_name = _("module")


class LessonPage(PrivateContentPage):
    duration_minutes = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        verbose_name=_("duration (minutes)"),
        help_text=_("About how long the lesson takes; shown in the syllabus."),
    )
    is_free_preview = models.BooleanField(
        default=False,
        verbose_name=_("free preview"),
        help_text=_("Let anyone signed in read this lesson before enrolling."),
    )
    body = StreamField(LessonBodyBlock(), blank=True)
    # Derived from the body on save, so the syllabus needs no StreamField parsing.
    has_quiz = models.BooleanField(default=False, editable=False)
    has_assignment = models.BooleanField(default=False, editable=False)

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("duration_minutes"), FieldPanel("is_free_preview")]),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [index.SearchField("body")]
    parent_page_types = ["coursepages.ModulePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("lesson")

    def save(self, *args, **kwargs):
        block_types = {block.block_type for block in self.body}
        self.has_quiz = "quiz" in block_types
        self.has_assignment = "assignment" in block_types
        super().save(*args, **kwargs)

    def blocks_of_type(self, block_type):
        """The body's blocks of one type (e.g. "quiz"), each with its stable `.id`."""
        return [block for block in self.body if block.block_type == block_type]

    def find_block(self, block_type, block_id):
        """The body block of that type and id, or None."""
        return next((b for b in self.blocks_of_type(block_type) if b.id == block_id), None)


class CourseReadinessTask(Task):
    """Automated first step of course review.

    Passes ready content on to the editors and sends the rest back to the author
    with the exact list of what is missing.
    """

    def start(self, workflow_state, user=None):
        from coursepages.readiness import readiness_problems, readiness_report

        task_state = super().start(workflow_state, user=user)
        problems = readiness_problems(task_state.revision.as_object())
        # update=False: WorkflowState.update() moves the workflow on once start() returns.
        if problems:
            task_state.reject(update=False, comment=readiness_report(problems))
        else:
            task_state.approve(update=False, comment=str(_("Ready for editorial review.")))
        return task_state

    @classmethod
    def get_description(cls):
        return _(
            "Checks modules, lessons, summary, price, quizzes and rubrics, and sends the "
            "course back listing anything missing."
        )

    class Meta:
        verbose_name = _("course readiness check")
        verbose_name_plural = _("course readiness checks")
