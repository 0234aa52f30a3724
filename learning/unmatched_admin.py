"""Who Zoom saw but we could not identify, in the Wagtail admin: one cohort's unmatched
participants, where the specialist teaching it picks the learner each one was (or marks
them as no learner, e.g. a guest speaker) and saves.

Saving goes through the same services as the API, all rows in one transaction, so a
refused row saves nothing.
"""

from django import forms
from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from accounts.exceptions import RuleError
from accounts.names import display_name
from learning.admin_permissions import ManagedCohortMixin
from learning.exceptions import InvalidInput
from learning.models import Enrollment
from learning.selectors.unmatched import unmatched_participants_of
from learning.services.sessions import session_time_text
from learning.services.zoom_attendance import (
    unmatched_participant_dismiss,
    unmatched_participant_resolve,
)

DISMISS = "dismiss"


def choice_name(unmatched):
    return f"participant_{unmatched.pk}"


class UnmatchedParticipantsForm(forms.Form):
    """A select per open row: leave it, one of the cohort's learners, or not a learner."""

    def __init__(self, *args, rows, enrollments, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = [row for row in rows if row.state == "open"]
        learners = [
            (str(e.pk), f"{display_name(e.learner)} <{e.learner.email}>") for e in enrollments
        ]
        for row in self.rows:
            self.fields[choice_name(row)] = forms.ChoiceField(
                choices=[("", _("– Decide later –")), *learners, (DISMISS, _("Not a learner"))],
                required=False,
                label=row.name or row.email,
            )

    def decisions(self):
        """(row, enrollment id or DISMISS) for each row given an answer."""
        return [
            (row, self.cleaned_data[choice_name(row)])
            for row in self.rows
            if self.cleaned_data.get(choice_name(row))
        ]


class CohortUnmatchedView(
    ManagedCohortMixin, PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView
):
    """Assign the people Zoom could not identify in a cohort's sessions."""

    permission_required = "change"
    cohort_action = "change"
    template_name = "learning/admin/unmatched_participants.html"
    header_icon = "warning"
    page_title = _("Unmatched participants")

    @cached_property
    def rows(self):
        return list(unmatched_participants_of(self.cohort.pk))

    @cached_property
    def enrollments(self):
        return list(
            Enrollment.objects.filter(cohort=self.cohort, status__in=Enrollment.ACCESS_STATUSES)
            .select_related("learner")
            .order_by("learner__first_name", "learner__last_name", "pk")
        )

    def get_form_class(self):
        return UnmatchedParticipantsForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "rows": self.rows, "enrollments": self.enrollments}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        context.update(
            cohort=self.cohort,
            attendance_url=reverse("cohorts:attendance", args=[self.cohort.pk]),
            rows=[
                {
                    "unmatched": row,
                    "session": row.session.title,
                    "time": session_time_text(self.cohort, row.session.starts_at),
                    "choice": form[choice_name(row)] if row.state == "open" else None,
                    "resolved_to": display_name(row.resolved_to.learner) if row.resolved_to else "",
                }
                for row in self.rows
            ],
        )
        return context

    def form_valid(self, form):
        decisions = form.decisions()
        try:
            with transaction.atomic():
                for row, choice in decisions:
                    try:
                        if choice == DISMISS:
                            unmatched_participant_dismiss(unmatched=row, by=self.request.user)
                        else:
                            unmatched_participant_resolve(
                                unmatched=row, enrollment_id=int(choice), by=self.request.user
                            )
                    except RuleError as refusal:
                        detail = (
                            " ".join(sum(refusal.errors.values(), []))
                            if isinstance(refusal, InvalidInput)
                            else refusal.detail
                        )
                        form.add_error(choice_name(row), detail)
                        raise
        except RuleError:
            messages.error(self.request, _("Nothing was saved: see the row below."))
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(count)d participant(s) assigned or dismissed.") % {"count": len(decisions)},
        )
        return redirect("cohorts:unmatched", self.cohort.pk)
