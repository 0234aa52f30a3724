"""Analytics reports in the Wagtail admin: a course's (for the specialists who teach it and for
staff) and the platform's (staff only). The figures are `analytics.reports`'; these views pick
the range, draw them and export the listing through Wagtail's ReportView (`?export=csv|xlsx`).

A course outside the user's reach is 404, as in the API; the platform report refuses anyone
but staff. A range the form refuses shows its error on the page and computes nothing.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.reports import ReportView

from accounts.names import display_name
from accounts.spreadsheets import FormulaSafeExportMixin
from analytics.access import (
    courses_analysable_by,
    may_read_platform_analytics,
    may_read_specialist_analytics,
)
from analytics.admin_forms import ReportRangeForm
from analytics.reports import (
    COURSE_FIELDS,
    at_risk_learners,
    course_report,
    platform_report,
)
from commerce.money import from_minor_units, money_display

AT_RISK_SHOWN = 20  # the rest in the CSV download
SERIES_FIGURES = {
    "new_enrollments": _("New enrollments"),
    "active_learners": _("Active learners"),
    "completions": _("Completions"),
    "lesson_completions": _("Lesson completions"),
    "quiz_attempts": _("Quiz attempts"),
    "quiz_passes": _("Quiz passes"),
    "assignment_submissions": _("Assignments submitted"),
    "assignment_gradings": _("Assignments graded"),
}
MONEY_FIGURES = {
    "gross": _("Gross"),
    "refunds": _("Refunds"),
    "fees": _("Platform fees"),
    "net": _("Net to specialists"),
}
CHART_ROWS = 10


class RangeReportView(FormulaSafeExportMixin, ReportView):
    """A report over a range of UTC days chosen in a GET form; `report` is computed only when
    the range is valid."""

    paginate_by = None  # the listing is the chart's numbers: all of them, on one page
    header_icon = "table"
    with_granularity = False

    @cached_property
    def range_form(self):
        return ReportRangeForm(self.request.GET)

    def get(self, request, *args, **kwargs):
        if not self.range_form.is_valid():
            self.is_export = False  # show the error instead of a download
        return super().get(request, *args, **kwargs)

    @cached_property
    def report(self):
        raise NotImplementedError

    def get_queryset(self):
        return self.listing_rows() if self.range_form.is_valid() else []

    def listing_rows(self):
        raise NotImplementedError

    def get_table_kwargs(self):
        return {**super().get_table_kwargs(), "attrs": {"id": "analytics-listing"}}

    @cached_property
    def show_export_buttons(self):
        return self.range_form.is_valid()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["range_form"] = self.range_form
        context["with_granularity"] = self.with_granularity
        if self.range_form.is_valid():
            context["report"] = self.report
        return context

    def get_filename(self):
        window = self.range_form.window
        return f"{self.export_filename}-{window.first}-{window.last}"


def money_column(field, label):
    return Column(
        field, label=label, accessor=lambda row: money_display(row[field], row["currency"])
    )


class CoursePickerView(WagtailAdminTemplateMixin, TemplateView):
    """The courses whose report the user may read; `?course=` goes to that course's report,
    keeping the range."""

    template_name = "analytics/admin/course_picker.html"
    page_title = _("Course analytics")
    header_icon = "table"

    def dispatch(self, request, *args, **kwargs):
        if not may_read_specialist_analytics(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        if picked := request.GET.get("course", "").strip():
            course = get_object_or_404(
                courses_analysable_by(request.user), pk=picked if picked.isdigit() else 0
            )
            params = {key: value for key, value in request.GET.items() if key != "course"}
            url = reverse("analytics_course_report", args=[course.pk])
            return redirect(f"{url}?{urlencode(params)}" if params else url)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        courses = courses_analysable_by(self.request.user).order_by("title").only("pk", "title")
        return super().get_context_data(courses=courses, **kwargs)


class CourseReportView(RangeReportView):
    """One course over the range against the previous period: headline figures, the series,
    the lesson funnel, quizzes, revenue; the series is the listing that exports."""

    template_name = "analytics/admin/course_report.html"
    with_granularity = True
    list_export = ["period_start", *SERIES_FIGURES]
    export_headings = {"period_start": _("Period from"), **SERIES_FIGURES}
    export_filename = "course-analytics"
    columns = [
        Column(
            "period_start",
            label=_("Period from"),
            accessor=lambda row: row["period_start"].isoformat(),
        ),
        *[Column(field, label=label) for field, label in SERIES_FIGURES.items()],
    ]

    def setup(self, request, *args, pk, **kwargs):
        super().setup(request, *args, **kwargs)
        self.course_pk = pk

    def dispatch(self, request, *args, **kwargs):
        if not may_read_specialist_analytics(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_course(self):
        courses = courses_analysable_by(self.request.user).only(*COURSE_FIELDS)
        return get_object_or_404(courses, pk=self.course_pk)

    def get(self, request, *args, **kwargs):
        # A course outside the user's reach is 404 whatever the range, valid or not.
        self.course = self.get_course()
        return super().get(request, *args, **kwargs)

    @cached_property
    def report(self):
        return course_report(
            self.course, self.range_form.window, self.range_form.cleaned_data["granularity"]
        )

    def listing_rows(self):
        return self.report["series"]

    def get_page_title(self):
        return _("Analytics: %(course)s") % {"course": self.course.title}

    def get_filename(self):
        return f"{self.course.slug}-{super().get_filename()}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["course"] = self.course
        context["courses"] = (
            courses_analysable_by(self.request.user).order_by("title").only("pk", "title")
        )
        context["picker_url"] = reverse("analytics_course_picker")
        if self.range_form.is_valid():
            context["charts"] = course_charts(self.report)
            context["at_risk"] = [
                {
                    "name": display_name(enrollment.learner),
                    "email": enrollment.learner.email,
                    "last_active_at": enrollment.last_active_at,
                }
                for enrollment in at_risk_learners(self.course)[:AT_RISK_SHOWN]
            ]
            context["at_risk_csv_url"] = (
                reverse("api:course-analytics-at-risk", args=[self.course.pk]) + "?format=csv"
            )
        return context


def course_charts(report) -> dict:
    """The points each chart of the course report draws, from the report's own rows."""
    series = report["series"]
    funnel = report["funnel"]["lessons"]
    steepest = report["funnel"]["steepest_drop_lesson"]

    def points(field):
        return [(row["period_start"], row[field]) for row in series]

    return {
        "new_enrollments": points("new_enrollments"),
        "active_learners": points("active_learners"),
        "completions": points("completions"),
        "gross": gross_by_currency(
            report["revenue_series"], [row["period_start"] for row in series]
        ),
        "funnel": [(lesson_label(row), row["reached"]) for row in funnel],
        "steepest": next((lesson_label(row) for row in funnel if row["lesson"] == steepest), None),
    }


def gross_by_currency(revenue_series, starts) -> list[dict]:
    """Per currency, the gross of every bucket (none sold is 0), in major units."""
    gross = {}
    for row in revenue_series:
        gross.setdefault(row["currency"], {})[row["period_start"]] = row["gross"]
    return [
        {
            "currency": currency,
            "points": [
                (start, from_minor_units(by_start.get(start, 0), currency)) for start in starts
            ],
        }
        for currency, by_start in sorted(gross.items())
    ]


def lesson_label(row) -> str:
    return f"{row['position']}. {row['title']}"


class PlatformReportView(RangeReportView):
    """The platform over the range against the previous period; revenue by course or by
    specialist (`?by=`) is the listing that exports."""

    template_name = "analytics/admin/platform_report.html"
    page_title = _("Platform analytics")
    header_icon = "site"
    export_filename = "platform-revenue"
    breakdowns = {
        "course": ("title", _("Course")),
        "specialist": ("name", _("Specialist")),
    }

    def dispatch(self, request, *args, **kwargs):
        if not may_read_platform_analytics(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def breakdown(self):
        by = self.request.GET.get("by")
        return by if by in self.breakdowns else "course"

    @cached_property
    def name_field(self):
        return self.breakdowns[self.breakdown][0]

    @property
    def list_export(self):
        return [self.name_field, "currency", *MONEY_FIGURES, "sales", "refund_count", "refund_rate"]

    @property
    def export_headings(self):
        return {
            self.name_field: self.breakdowns[self.breakdown][1],
            "currency": _("Currency"),
            **MONEY_FIGURES,
            "sales": _("Sales"),
            "refund_count": _("Refunds given"),
            "refund_rate": _("Refund rate (%)"),
        }

    @property
    def columns(self):
        return [
            Column(self.name_field, label=self.breakdowns[self.breakdown][1]),
            Column("currency", label=_("Currency")),
            *[money_column(field, label) for field, label in MONEY_FIGURES.items()],
            Column("sales", label=_("Sales")),
            Column("refund_count", label=_("Refunds given")),
            Column(
                "refund_rate",
                label=_("Refund rate"),
                accessor=lambda row: "–" if row["refund_rate"] is None else row["refund_rate"],
            ),
        ]

    @cached_property
    def report(self):
        return platform_report(self.range_form.window, top=None)  # the listing shows every row

    def listing_rows(self):
        return self.report[f"revenue_by_{self.breakdown}"]

    def to_row_dict(self, item):
        row = super().to_row_dict(item)
        for field in MONEY_FIGURES:
            row[field] = from_minor_units(row[field], item["currency"])
        return row

    def get_filename(self):
        return f"{super().get_filename()}-by-{self.breakdown}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["breakdown"] = self.breakdown
        context["extra_params"] = {"by": self.breakdown}
        context["range_query"] = self.range_form.query()
        context["breakdowns"] = {name: label for name, (_, label) in self.breakdowns.items()}
        if self.range_form.is_valid():
            context["charts"] = platform_charts(self.report)
        return context


def platform_charts(report) -> dict:
    """The top courses by new enrollments, and per currency the courses that grossed most."""
    gross_by_currency = {}
    for row in report["revenue_by_course"]:
        rows = gross_by_currency.setdefault(row["currency"], [])
        if len(rows) < CHART_ROWS:
            rows.append(row)
    return {
        "top_courses": [
            (row["title"], row["new_enrollments"]) for row in report["top_courses"][:CHART_ROWS]
        ],
        "gross_by_currency": {
            currency: [(row["title"], from_minor_units(row["gross"], currency)) for row in rows]
            for currency, rows in gross_by_currency.items()
        },
    }
