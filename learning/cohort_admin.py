"""Cohorts in the Wagtail admin: a specialist lists, creates and edits the batches of the
courses they teach, and reads each batch's roster (with a CSV/XLSX export).

Saving goes through learning.services.cohort_editing, so the admin keeps the API's rules;
a rule the service refuses comes back as a form error. Who sees which cohort is the
permission policy below (registered for the Cohort model).
"""

import django_filters
from django import forms
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import CreateView, EditView, IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import HeaderButton
from wagtail.coreutils import multigetattr
from wagtail.log_actions import log
from wagtail.permissions import register_permission_policy

from accounts.exceptions import RuleError
from accounts.names import display_name
from accounts.spreadsheets import FormulaSafeExportMixin
from coursepages.models import CourseType
from coursepages.selectors import courses_taught_by
from learning.admin_permissions import ManagedCohortMixin, TeachingPermissionPolicy
from learning.attendance_admin import CohortAttendanceView
from learning.exceptions import InvalidInput
from learning.meetings import providers_offered
from learning.models import Cohort, Enrollment, MeetingProviderName
from learning.selectors import cohorts_managed_by, completed_counts, live_lessons_of, percent
from learning.selectors.unmatched import open_unmatched_count, open_unmatched_counter
from learning.services import cohort_create, cohort_update
from learning.services.cohort_editing import NEXT_STATUSES, STARTING_STATUSES
from learning.unmatched_admin import CohortUnmatchedView

Status = Cohort.Status


class CohortPermissionPolicy(TeachingPermissionPolicy):
    """Each specialist or editor sees, adds to and edits only the cohorts of courses they
    teach. Cohorts are cancelled, not deleted."""

    actions = ("view", "add", "change")

    def rows_taught_by(self, user):
        return cohorts_managed_by(user)


register_permission_policy(Cohort, CohortPermissionPolicy(Cohort))


def cohort_courses(user):
    """The courses a user may add cohorts to: cohort-type courses they teach."""
    return courses_taught_by(user).filter(course_type=CourseType.COHORT).order_by("title")


def cohort_links(cohort, open_unmatched):
    """The pages about one cohort besides its edit form, for its row and its header."""
    unmatched = _("Unmatched participants")
    if open_unmatched:
        unmatched = f"{unmatched} ({open_unmatched})"
    return [
        (_("Roster"), reverse("cohorts:roster", args=[cohort.pk]), "group"),
        (_("Attendance"), reverse("cohorts:attendance", args=[cohort.pk]), "tasks"),
        (unmatched, reverse("cohorts:unmatched", args=[cohort.pk]), "warning"),
        (_("Sessions"), reverse("cohort_sessions:index") + f"?cohort={cohort.pk}", "date"),
    ]


class UnmatchedBadgeColumn(Column):
    """How many people Zoom saw in the cohort's sessions still wait to be identified, as a
    badge linking to where the specialist assigns them."""

    cell_template_name = "learning/admin/unmatched_badge_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["url"] = reverse("cohorts:unmatched", args=[instance.pk])
        return context


def provider_choices(*, current=None, blank_label=None):
    """The meeting providers a specialist may pick: those configured, and the one already
    chosen (so a form does not silently change it); a blank first when it means "the
    cohort's"."""
    offered = {provider.name for provider in providers_offered()}
    choices = [
        (value, label)
        for value, label in MeetingProviderName.choices
        if value in offered or value == current
    ]
    return [("", blank_label), *choices] if blank_label else choices


class CohortForm(WagtailAdminModelForm):
    """The fields a specialist sets; the services check the rules when it is saved."""

    class Meta:
        model = Cohort
        fields = [
            "name", "starts_on", "ends_on", "timezone", "capacity", "enrollment_deadline",
            "price", "status", "meeting_provider",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        provider = self.fields["meeting_provider"]
        provider.choices = provider_choices(
            current=self.instance.meeting_provider if self.instance.pk else None
        )
        provider.required = False  # left out, the cohort keeps its provider (a new one: manual)
        current = self.instance.status if self.instance.pk else None
        allowed = {current, *NEXT_STATUSES[current]} if current else set(STARTING_STATUSES)
        self.fields["status"].choices = [
            (value, label) for value, label in Status.choices if value in allowed
        ]

    def clean_meeting_provider(self):
        chosen = self.cleaned_data.get("meeting_provider")
        return chosen or self.instance.meeting_provider or MeetingProviderName.MANUAL


class NewCohortForm(CohortForm):
    course = forms.ModelChoiceField(queryset=None, help_text=_("A cohort-type course you teach."))

    class Meta(CohortForm.Meta):
        fields = ["course", *CohortForm.Meta.fields]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = cohort_courses(self.for_user)


class SavedByServiceMixin:
    """Create and edit views whose form is saved by a service: a refused rule becomes a
    form error instead of a saved cohort."""

    def form_valid(self, form):
        self.form = form
        try:
            self.object = self.save_through_service(form.cleaned_data)
        except RuleError as refusal:
            if isinstance(refusal, InvalidInput):
                for field, messages in refusal.errors.items():
                    for message in messages:
                        form.add_error(field if field in form.fields else None, message)
            else:
                form.add_error(None, refusal.detail)
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)
        log(self.object, self.log_action, user=self.request.user)
        return self.save_action()


class CohortCreateView(SavedByServiceMixin, CreateView):
    log_action = "wagtail.create"

    def save_through_service(self, fields):
        return cohort_create(by=self.request.user, **fields)


class CohortEditView(SavedByServiceMixin, EditView):
    log_action = "wagtail.edit"

    def get_queryset(self):
        return self.permission_policy.instances_user_has_permission_for(
            self.request.user, "change"
        ).select_related("course")

    def save_through_service(self, fields):
        return cohort_update(cohort=self.object, by=self.request.user, **fields)

    def get_page_subtitle(self):
        return f"{self.object.course.title} – {self.object.name}"

    @cached_property
    def header_buttons(self):
        return [
            HeaderButton(label, url=url, icon_name=icon)
            for label, url, icon in cohort_links(self.object, open_unmatched_count(self.object.pk))
        ]


def _courses_of(request):
    return cohort_courses(request.user) if request else None


class CohortFilterSet(WagtailFilterSet):
    course = django_filters.ModelChoiceFilter(label=_("Course"), queryset=_courses_of)
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Status.choices, empty_label=_("All")
    )

    class Meta:
        model = Cohort
        fields = []


class CohortIndexView(FormulaSafeExportMixin, IndexView):
    filterset_class = CohortFilterSet
    default_ordering = "starts_on"

    def get_base_queryset(self):
        return (
            self.permission_policy.instances_user_has_permission_for(self.request.user, "view")
            .select_related("course")
            .annotate(open_unmatched=open_unmatched_counter())
        )

    def get_list_more_buttons(self, instance):
        return [
            *super().get_list_more_buttons(instance),
            *(
                MenuItem(label, url=url, icon_name=icon, priority=15)
                for label, url, icon in cohort_links(instance, instance.open_unmatched)
            ),
        ]


class CohortRosterView(FormulaSafeExportMixin, ManagedCohortMixin, IndexView):
    """Who is in one cohort, with their progress; export gives every row."""

    model = Enrollment
    any_permission_required = ["view", "change"]
    header_icon = "group"
    page_title = _("Roster")
    paginate_by = 50
    default_ordering = "created_at"
    list_display = [
        Column("learner", label=_("Learner"), accessor=lambda e: display_name(e.learner)),
        Column("email", label=_("E-mail"), accessor="learner.email"),
        Column("status", label=_("Status"), accessor="get_status_display"),
        DateColumn("created_at", label=_("Enrolled")),
        DateColumn("activated_at", label=_("Activated")),
        Column("progress", label=_("Progress"), accessor=lambda e: f"{e.progress_percent}%"),
    ]
    list_export = [
        "id", "learner", "email", "status", "created_at", "activated_at", "progress_percent",
    ]  # fmt: skip
    export_headings = {
        "id": _("Enrollment"),
        "learner": _("Learner"),
        "email": _("E-mail"),
        "status": _("Status"),
        "created_at": _("Enrolled"),
        "activated_at": _("Activated"),
        "progress_percent": _("Progress (%)"),
    }

    def get_base_queryset(self):
        return Enrollment.objects.filter(cohort=self.cohort).select_related("learner")

    def get_index_url(self):
        return reverse("cohorts:roster", args=[self.cohort.pk])

    def get_filename(self):
        return f"{self.cohort.course.slug}-{slugify(self.cohort.name)}-roster"

    def with_progress(self, enrollments):
        enrollments = list(enrollments)
        lessons = live_lessons_of(self.cohort.course).count()
        completed = completed_counts([enrollment.pk for enrollment in enrollments])
        for enrollment in enrollments:
            enrollment.progress_percent = percent(completed.get(enrollment.pk, 0), lessons)
        return enrollments

    def paginate_queryset(self, queryset, page_size):
        paginator, page, enrollments, paginated = super().paginate_queryset(queryset, page_size)
        return paginator, page, self.with_progress(enrollments), paginated

    def as_spreadsheet(self, queryset, spreadsheet_format):
        return super().as_spreadsheet(self.with_progress(queryset), spreadsheet_format)

    def to_row_dict(self, item):
        computed = {"learner": display_name(item.learner), "email": item.learner.email}
        return {
            field: computed[field] if field in computed else multigetattr(item, field)
            for field in self.list_export
        }


class CohortViewSet(ModelViewSet):
    model = Cohort
    icon = "group"
    menu_label = _("Cohorts")
    menu_order = 240
    add_to_admin_menu = True
    copy_view_enabled = False
    index_view_class = CohortIndexView
    add_view_class = CohortCreateView
    edit_view_class = CohortEditView
    list_display = [
        "name",
        Column("course", label=_("Course"), accessor="course.title"),
        Column(
            "dates",
            label=_("Dates"),
            accessor=lambda c: f"{c.starts_on:%d %b %Y} – {c.ends_on:%d %b %Y}",
        ),
        Column("status", label=_("Status"), accessor="get_status_display"),
        Column(
            "seats", label=_("Seats taken"), accessor=lambda c: f"{c.seats_taken} / {c.capacity}"
        ),
        UnmatchedBadgeColumn("open_unmatched", label=_("Unmatched in Zoom")),
    ]
    search_fields = ["name", "course__title"]
    search_backend_name = None
    list_export = [
        "id", "course", "name", "status", "starts_on", "ends_on", "timezone",
        "enrollment_deadline", "capacity", "seats_taken", "price",
    ]  # fmt: skip
    export_filename = "cohorts"

    def get_form_class(self, for_update=False):
        return CohortForm if for_update else NewCohortForm

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(**{"delete_url_name": None, **kwargs})

    @cached_property
    def roster_view(self):
        return CohortRosterView.as_view()

    @cached_property
    def attendance_view(self):
        return CohortAttendanceView.as_view()

    @cached_property
    def unmatched_view(self):
        return CohortUnmatchedView.as_view()

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("roster/<int:pk>/", self.roster_view, name="roster"),
            path("attendance/<int:pk>/", self.attendance_view, name="attendance"),
            path("unmatched/<int:pk>/", self.unmatched_view, name="unmatched"),
        ]


cohort_viewset = CohortViewSet("cohorts")
