"""Grading in the Wagtail admin, for the specialists of the courses concerned."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from accounts.names import display_name
from learning.downloads import submission_file_token
from learning.exceptions import AlreadySubmitted, InvalidInput
from learning.forms import GradeForm
from learning.models import AssignmentSubmission
from learning.selectors import submissions_for_grader
from learning.services import submission_grade


class GradingQueueView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "learning/admin/grading_queue.html"
    page_title = _("Grading")
    header_icon = "form"

    def get_context_data(self, **kwargs):
        status = self.request.GET.get("status", AssignmentSubmission.Status.SUBMITTED)
        submissions = submissions_for_grader(self.request.user)
        if status in AssignmentSubmission.Status.values:
            submissions = submissions.filter(status=status)
        return super().get_context_data(
            submissions=submissions[:200],
            status=status,
            statuses=AssignmentSubmission.Status.choices,
            **kwargs,
        )


class GradeSubmissionView(WagtailAdminTemplateMixin, FormView):
    template_name = "learning/admin/grade_submission.html"
    header_icon = "form"

    def dispatch(self, request, pk):
        self.submission = get_object_or_404(submissions_for_grader(request.user), pk=pk)
        return super().dispatch(request)

    def get_page_title(self):
        return _("Grade “%(title)s”") % {"title": self.submission.assignment_title}

    def get_page_subtitle(self):
        return display_name(self.submission.enrollment.learner)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["rubric"] = self.submission.rubric
        if self.submission.scores:
            kwargs["initial"] = {
                "feedback": self.submission.feedback,
                **{f"criterion_{key}": value for key, value in self.submission.scores.items()},
            }
        return kwargs

    def get_form_class(self):
        return GradeForm

    def get_context_data(self, **kwargs):
        file_token = submission_file_token(self.submission) if self.submission.file else None
        return super().get_context_data(submission=self.submission, file_token=file_token, **kwargs)

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
        return redirect("learning_grading_queue")
