"""Grading in the Wagtail admin, for the specialists of the courses concerned.

The queue is a Wagtail index view (filters, search, pagination, CSV/XLSX export) and the
grade form a view of the same viewset (learning/wagtail_hooks.py); who may see which
submission is the grading permission policy registered there.
"""

import django_filters
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.views.generic import IndexView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.coreutils import multigetattr

from accounts.names import display_name
from accounts.spreadsheets import FormulaSafeExportMixin
from coursepages.selectors import courses_taught_by
from learning.downloads import submission_file_token
from learning.exceptions import AlreadySubmitted, InvalidInput
from learning.forms import GradeForm
from learning.models import AssignmentSubmission
from learning.services import submission_grade

Status = AssignmentSubmission.Status


def _courses_of(request):
    return courses_taught_by(request.user).order_by("title") if request else None


class SubmissionFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Status.choices, empty_label=_("All")
    )
    course = django_filters.ModelChoiceFilter(
        label=_("Course"), field_name="enrollment__course", queryset=_courses_of
    )

    class Meta:
        model = AssignmentSubmission
        fields = []


class GradingQueueView(FormulaSafeExportMixin, IndexView):
    """Submissions of the courses the user teaches, waiting ones first unless filtered."""

    page_title = _("Grading")
    filterset_class = SubmissionFilterSet
    default_ordering = "submitted_at"

    def get_base_queryset(self):
        return self.permission_policy.instances_user_has_permission_for(
            self.request.user, "change"
        ).select_related("graded_by")

    def get_filterset_kwargs(self):
        kwargs = super().get_filterset_kwargs()
        if "status" not in kwargs["data"]:  # the queue: what waits ("All" sends status=)
            kwargs["data"] = kwargs["data"].copy()
            kwargs["data"]["status"] = Status.SUBMITTED
        return kwargs

    @cached_property
    def no_results_message(self):
        if not self.get_base_queryset().exists():
            return _(
                "No submissions to grade. Only the course's specialist (its instructor, "
                "or the specialist who created it) grades its assignments: submissions "
                "of other courses are not listed here."
            )
        return _("No submissions match these filters: all caught up.")

    def to_row_dict(self, item):
        computed = {
            "learner": display_name(item.enrollment.learner),
            "course": item.enrollment.course.title,
            "graded_by": display_name(item.graded_by) if item.graded_by else "",
        }
        return {
            field: computed[field] if field in computed else multigetattr(item, field)
            for field in self.list_export
        }


def assignment_instructions(submission):
    """The assignment block's instructions in the lesson as it is now (None if removed)."""
    block = submission.lesson.find_block("assignment", submission.assignment_id)
    return block.value["instructions"] if block else None


class GradeSubmissionView(PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    """The work, the assignment's instructions and its rubric; grading through the service."""

    model = AssignmentSubmission
    permission_required = "change"
    template_name = "learning/admin/grade_submission.html"
    header_icon = "form"
    form_class = GradeForm
    index_url_name = "learning_grading:index"

    @cached_property
    def submission(self):
        queryset = self.permission_policy.instances_user_has_permission_for(
            self.request.user, "change"
        ).select_related("graded_by")
        return get_object_or_404(queryset, pk=self.kwargs["pk"])

    def get_page_title(self):
        return _("Grade “%(title)s”") % {"title": self.submission.assignment_title}

    def get_page_subtitle(self):
        return display_name(self.submission.enrollment.learner)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(self.index_url_name), "label": _("Grading")},
            {"url": "", "label": self.get_page_title(), "sublabel": self.get_page_subtitle()},
        ]

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["rubric"] = self.submission.rubric
        if self.submission.scores:
            kwargs["initial"] = {
                "feedback": self.submission.feedback,
                **{f"criterion_{key}": value for key, value in self.submission.scores.items()},
            }
        return kwargs

    def get_context_data(self, **kwargs):
        submission = self.submission
        file_token = submission_file_token(submission) if submission.file else None
        return super().get_context_data(
            submission=submission,
            file_token=file_token,
            instructions=assignment_instructions(submission),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            graded = submission_grade(
                submission=self.submission,
                grader=self.request.user,
                scores=form.scores(),
                feedback=form.cleaned_data["feedback"],
            )
        except (InvalidInput, AlreadySubmitted) as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Graded: %(score)s%% — %(status)s.")
            % {"score": graded.score, "status": graded.get_status_display()},
        )
        return redirect(self.index_url_name)
