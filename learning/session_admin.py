"""Live sessions in the Wagtail admin: the specialist teaching a cohort schedules, reschedules and
cancels its sessions here, through the same services as the API, so the rules, the revision
and the learners' notifications hold alike. Times are typed in the cohort's time zone."""

from zoneinfo import ZoneInfo

import django_filters
from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import CreateView, EditView, IndexView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import AdminDateTimeInput
from wagtail.admin.widgets.button import Button
from wagtail.log_actions import log

from accounts.exceptions import RuleError
from learning.admin_permissions import TeachingPermissionPolicy
from learning.cohort_admin import provider_choices
from learning.exceptions import CohortNotSchedulable, InvalidInput, SessionCancelled
from learning.models import Cohort, CohortSession, MeetingSyncState
from learning.selectors.cohorts import cohorts_managed_by
from learning.services.sessions import (
    COHORT_STATUSES_WITHOUT_SESSIONS,
    session_cancel,
    session_reschedule,
    session_schedule,
    session_time_text,
)


class SessionPermissionPolicy(TeachingPermissionPolicy):
    """Each specialist or editor sees and changes only the sessions of cohorts they teach.
    Sessions are cancelled, never deleted."""

    actions = ("add", "change", "view")

    def rows_taught_by(self, user):
        return CohortSession.objects.filter(cohort__in=cohorts_managed_by(user))


def _cohorts_of(request):
    return cohorts_managed_by(request.user).order_by("-starts_on") if request else None


class SessionFilterSet(WagtailFilterSet):
    cohort = django_filters.ModelChoiceFilter(label=_("Cohort"), queryset=_cohorts_of)
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=CohortSession.Status.choices, empty_label=_("All")
    )

    class Meta:
        model = CohortSession
        fields = []


class SessionForm(WagtailAdminModelForm):
    """The start is typed as a wall-clock time in the cohort's zone (7 PM in New York), shown
    back the same way, whatever the admin user's own zone."""

    meeting_url = forms.URLField(
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=CohortSession._meta.get_field("meeting_url").help_text,
    )

    class Meta:
        model = CohortSession
        fields = [
            "cohort", "title", "starts_at", "duration_minutes", "description", "meeting_url",
            "meeting_provider",
        ]  # fmt: skip
        labels = {"starts_at": _("Starts at (in the cohort's time zone)")}
        widgets = {"starts_at": AdminDateTimeInput}

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        provider = self.fields["meeting_provider"]
        provider.choices = provider_choices(
            current=self.instance.meeting_provider, blank_label=_("The cohort's provider")
        )
        if self.instance.pk:
            provider.help_text = sync_text(self.instance)
        cohort_field = self.fields["cohort"]
        cohort_field.queryset = cohorts_managed_by(for_user).exclude(
            status__in=COHORT_STATUSES_WITHOUT_SESSIONS
        )
        if self.instance.pk:
            cohort_field.disabled = True
            cohort_field.queryset = Cohort.objects.filter(pk=self.instance.cohort_id)
            zone = ZoneInfo(self.instance.cohort.timezone)
            local = timezone.localtime(self.instance.starts_at, zone)
            self.initial["starts_at"] = local.replace(tzinfo=None, second=0, microsecond=0)

    def clean(self):
        cleaned = super().clean()
        cohort, starts_at = cleaned.get("cohort"), cleaned.get("starts_at")
        if cohort and starts_at:
            wall_clock = timezone.make_naive(starts_at)  # as typed, in the admin user's zone
            cleaned["starts_at"] = wall_clock.replace(tzinfo=ZoneInfo(cohort.timezone))
        return cleaned


def sync_text(session) -> str:
    """The session's meeting sync as the specialist reads it, with the provider's refusal."""
    text = str(session.get_meeting_sync_state_display())
    if session.meeting_sync_error:
        text += f": {session.meeting_sync_error}"
    if session.meeting_sync_state == MeetingSyncState.FAILED:
        text += str(_(" Learners are sent to the meeting link above until it syncs."))
    return text


def _field_of(error):
    if isinstance(error, CohortNotSchedulable):
        return "cohort"
    if isinstance(error, SessionCancelled):
        return None
    return "starts_at"


def _cohort_query(cohort_id):
    return f"?cohort={cohort_id}" if cohort_id else ""


class SessionIndexView(IndexView):
    page_title = _("Live sessions")
    filterset_class = SessionFilterSet
    default_ordering = "starts_at"

    @cached_property
    def add_url(self):
        """Adding from one cohort's sessions starts with that cohort chosen."""
        return super().add_url + _cohort_query(self.request.GET.get("cohort", ""))

    def get_base_queryset(self):
        return self.permission_policy.instances_user_has_permission_for(
            self.request.user, "view"
        ).select_related("cohort")

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if instance.status == CohortSession.Status.SCHEDULED:
            buttons.append(
                Button(
                    _("Cancel session"),
                    url=reverse("cohort_sessions:cancel", args=[instance.pk]),
                    icon_name="cross",
                    priority=30,
                )
            )
        return buttons


class RuleErrorsOnTheFormMixin:
    def rule_refused(self, form, error):
        """Show a rule the service refused as a form error, like any invalid input."""
        if isinstance(error, InvalidInput):
            for field, field_messages in error.errors.items():
                for message in field_messages:
                    form.add_error(field if field in form.fields else None, message)
        else:
            form.add_error(_field_of(error), str(error))
        self.produced_error_message = self.get_error_message()
        return self.form_invalid(form)


class SessionCreateView(RuleErrorsOnTheFormMixin, CreateView):
    def get_initial(self):
        initial = super().get_initial()
        if cohort := self.request.GET.get("cohort", "").strip():
            initial["cohort"] = cohort  # offered only if the user teaches it (the form's queryset)
        return initial

    def get_success_url(self):
        return super().get_success_url() + _cohort_query(self.object.cohort_id)

    def form_valid(self, form):
        self.form = form
        fields = form.cleaned_data
        try:
            self.object = session_schedule(
                cohort=fields["cohort"],
                title=fields["title"],
                starts_at=fields["starts_at"],
                duration_minutes=fields["duration_minutes"],
                description=fields["description"],
                meeting_url=fields["meeting_url"],
                meeting_provider=fields["meeting_provider"],
            )
        except RuleError as error:
            return self.rule_refused(form, error)
        log(self.object, "wagtail.create", user=self.request.user)
        return self.save_action()


class SessionEditView(RuleErrorsOnTheFormMixin, EditView):
    def get_success_url(self):
        return super().get_success_url() + _cohort_query(self.object.cohort_id)

    def get_object(self, queryset=None):
        """Sessions of cohorts the user does not teach are 404, not a permission error."""
        mine = self.permission_policy.instances_user_has_permission_for(self.request.user, "change")
        return get_object_or_404(mine.select_related("cohort"), pk=self.kwargs["pk"])

    def form_valid(self, form):
        self.form = form
        fields = form.cleaned_data
        try:
            self.object = session_reschedule(
                session=CohortSession.objects.get(pk=self.object.pk),
                starts_at=fields["starts_at"],
                duration_minutes=fields["duration_minutes"],
                title=fields["title"],
                description=fields["description"],
                meeting_url=fields["meeting_url"],
                meeting_provider=fields["meeting_provider"],
            )
        except RuleError as error:
            return self.rule_refused(form, error)
        log(self.object, "wagtail.edit", user=self.request.user)
        return self.save_action()

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        if self.object.status == CohortSession.Status.SCHEDULED:
            buttons.append(
                Button(
                    _("Cancel session"),
                    url=reverse("cohort_sessions:cancel", args=[self.object.pk]),
                    icon_name="cross",
                    priority=30,
                )
            )
        return buttons


class SessionCancelView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """Ask, then cancel through the service: the session stays, marked cancelled."""

    model = CohortSession
    permission_required = "change"
    template_name = "learning/admin/session_cancel.html"
    header_icon = "calendar"

    @cached_property
    def session(self):
        queryset = self.permission_policy.instances_user_has_permission_for(
            self.request.user, "change"
        ).select_related("cohort")
        return get_object_or_404(queryset, pk=self.kwargs["pk"])

    def get_page_title(self):
        return _("Cancel “%(title)s”") % {"title": self.session.title}

    def get_page_subtitle(self):
        return session_time_text(self.session.cohort, self.session.starts_at)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("cohort_sessions:index"), "label": _("Live sessions")},
            {"url": "", "label": self.get_page_title(), "sublabel": self.get_page_subtitle()},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(session=self.session, **kwargs)

    def post(self, request, pk):
        try:
            session_cancel(session=self.session)
        except RuleError as error:
            messages.error(request, str(error))
            return redirect("cohort_sessions:edit", pk)
        log(self.session, "learning.session_cancel", user=request.user)
        messages.success(
            request,
            _("“%(title)s” is cancelled; its learners have been told.")
            % {"title": self.session.title},
        )
        return redirect(reverse("cohort_sessions:index") + f"?cohort={self.session.cohort_id}")


class CohortSessionViewSet(ModelViewSet):
    model = CohortSession
    url_prefix = "cohort-sessions"
    icon = "calendar"
    menu_label = _("Live sessions")
    menu_order = 260
    add_to_admin_menu = True
    index_view_class = SessionIndexView
    add_view_class = SessionCreateView
    edit_view_class = SessionEditView
    copy_view_enabled = False
    list_display = [
        "title",
        Column("cohort", label=_("Cohort"), accessor="cohort.name"),
        Column(
            "starts_at",
            label=_("When"),
            accessor=lambda s: session_time_text(s.cohort, s.starts_at),
            sort_key="starts_at",
        ),
        Column("duration_minutes", label=_("Minutes")),
        Column("status", label=_("Status"), accessor="get_status_display"),
        Column("revision", label=_("Revision")),
        Column("meeting", label=_("Meeting"), accessor=sync_text),
    ]
    search_fields = ["title", "cohort__name"]
    search_backend_name = None

    def get_form_class(self, for_update=False):
        return SessionForm

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(**{"delete_url_name": None, **kwargs})

    def get_urlpatterns(self):
        """Index, add, edit, history and cancel; sessions are cancelled, never deleted."""
        return [
            pattern for pattern in super().get_urlpatterns() if pattern.name not in ("delete",)
        ] + [path("cancel/<int:pk>/", SessionCancelView.as_view(), name="cancel")]


cohort_sessions_viewset = CohortSessionViewSet("cohort_sessions")
