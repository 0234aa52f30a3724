"""The attendance grid in the Wagtail admin: one cohort's learners × its sessions that have
started, where the specialist teaching it records or corrects attendance in bulk.

The grid is read in a handful of queries whatever its size; saving goes through
`attendance_record_bulk`, one call per session with changed cells, all in one transaction,
so a refused cell saves nothing.
"""

from django import forms
from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from accounts.exceptions import RuleError
from accounts.names import display_name
from learning.admin_permissions import ManagedCohortMixin
from learning.attendance import standing_from
from learning.exceptions import InvalidInput
from learning.models import AttendanceRecord, CohortSession, Enrollment
from learning.selectors.unmatched import open_unmatched_count
from learning.services.attendance import AttendanceEntry, attendance_record_bulk
from learning.services.sessions import session_time_text

Status = AttendanceRecord.Status


def cell_name(session, enrollment):
    return f"cell_{session.pk}_{enrollment.pk}"


def note_name(enrollment):
    return f"note_{enrollment.pk}"


class AttendanceGridForm(forms.Form):
    """A select per learner and session (blank: not recorded yet) and a note per learner,
    kept with each cell changed in that row; an excused absence needs one."""

    def __init__(self, *args, sessions, enrollments, records, **kwargs):
        super().__init__(*args, **kwargs)
        self.sessions, self.enrollments, self.records = sessions, enrollments, records
        for enrollment in enrollments:
            for session in sessions:
                record = records.get((session.pk, enrollment.pk))
                blank = [] if record else [("", "–")]
                self.fields[cell_name(session, enrollment)] = forms.ChoiceField(
                    choices=blank + list(Status.choices),
                    required=False,
                    initial=record.status if record else "",
                    label=f"{display_name(enrollment.learner)}, {session.title}",
                )
            self.fields[note_name(enrollment)] = forms.CharField(
                required=False,
                label=_("Note for %(learner)s") % {"learner": display_name(enrollment.learner)},
                widget=forms.TextInput(attrs={"placeholder": _("Why (needed when excused)")}),
            )

    def changes(self):
        """The entries to save, by session: only the cells whose status changed."""
        by_session = {}
        for enrollment in self.enrollments:
            note = self.cleaned_data.get(note_name(enrollment), "").strip()
            for session in self.sessions:
                status = self.cleaned_data.get(cell_name(session, enrollment), "")
                record = self.records.get((session.pk, enrollment.pk))
                if not status or (record and record.status == status):
                    continue
                by_session.setdefault(session, []).append(
                    AttendanceEntry(enrollment=enrollment.pk, status=status, note=note)
                )
        return by_session

    def clean(self):
        cleaned = super().clean()
        for session, entries in self.changes().items():
            for entry in entries:
                if entry.status == Status.EXCUSED and not entry.note:
                    self.add_error(
                        f"note_{entry.enrollment}",
                        _("An excused absence needs a note saying why (%(session)s).")
                        % {"session": session.title},
                    )
        return cleaned


class CohortAttendanceView(
    ManagedCohortMixin, PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView
):
    """Record or correct a cohort's attendance: learners × sessions that have started."""

    permission_required = "change"
    template_name = "learning/admin/attendance_grid.html"
    header_icon = "tasks"
    page_title = _("Attendance")

    cohort_action = "change"

    @cached_property
    def now(self):
        return timezone.now()

    @cached_property
    def all_sessions(self):
        return list(CohortSession.objects.filter(cohort=self.cohort))

    @cached_property
    def sessions(self):
        """The columns: sessions that have started and are not cancelled."""
        return [
            session
            for session in self.all_sessions
            if session.status != CohortSession.Status.CANCELLED and session.starts_at <= self.now
        ]

    @cached_property
    def enrollments(self):
        return list(
            Enrollment.objects.filter(cohort=self.cohort, status__in=Enrollment.ACCESS_STATUSES)
            .select_related("learner")
            .order_by("created_at", "pk")
        )

    @cached_property
    def records(self):
        return {
            (record.session_id, record.enrollment_id): record
            for record in AttendanceRecord.objects.filter(
                session__cohort=self.cohort, enrollment__in=[e.pk for e in self.enrollments]
            )
        }

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "sessions": self.sessions,
            "enrollments": self.enrollments,
            "records": self.records,
        }

    def get_form_class(self):
        return AttendanceGridForm

    def rows(self, form):
        threshold = self.cohort.course.certificate_min_attendance_percent
        rows = []
        for enrollment in self.enrollments:
            mine = {
                session.pk: self.records[(session.pk, enrollment.pk)]
                for session in self.all_sessions
                if (session.pk, enrollment.pk) in self.records
            }
            standing = standing_from(self.all_sessions, mine, threshold=threshold, now=self.now)
            rows.append(
                {
                    "learner": display_name(enrollment.learner),
                    "cells": [form[cell_name(s, enrollment)] for s in self.sessions],
                    "note": form[note_name(enrollment)],
                    "standing": standing,
                }
            )
        return rows

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            cohort=self.cohort,
            open_unmatched=open_unmatched_count(self.cohort.pk),
            unmatched_url=reverse("cohorts:unmatched", args=[self.cohort.pk]),
            columns=[
                (session.title, session_time_text(self.cohort, session.starts_at))
                for session in self.sessions
            ],
            rows=self.rows(context["form"]),
        )
        return context

    def form_valid(self, form):
        changes = form.changes()
        try:
            with transaction.atomic():
                for session, entries in changes.items():
                    try:
                        attendance_record_bulk(
                            cohort=self.cohort,
                            session_id=session.pk,
                            entries=entries,
                            by=self.request.user,
                        )
                    except InvalidInput as refusal:
                        self.add_refusal(form, session, entries, refusal)
                        raise
        except RuleError as refusal:
            if not isinstance(refusal, InvalidInput):
                form.add_error(None, refusal.detail)
            messages.error(self.request, _("The attendance could not be saved: nothing changed."))
            return self.form_invalid(form)
        count = sum(len(entries) for entries in changes.values())
        messages.success(
            self.request, _("Attendance saved: %(count)d change(s).") % {"count": count}
        )
        return redirect("cohorts:attendance", self.cohort.pk)

    def add_refusal(self, form, session, entries, refusal):
        """Put the service's errors (keyed `records.<index>.<field>`) on the grid's fields."""
        for key, messages_ in refusal.errors.items():
            parts = key.split(".")
            field = None
            if len(parts) == 3 and parts[1].isdigit() and int(parts[1]) < len(entries):
                enrollment = entries[int(parts[1])].enrollment
                field = f"note_{enrollment}" if parts[2] == "note" else None
                if field is None:
                    field = f"cell_{session.pk}_{enrollment}"
            for message in messages_:
                form.add_error(field, f"{session.title}: {message}")
