"""Grading and live sessions in the Wagtail admin: viewsets and who may see which rows."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from accounts.names import display_name
from learning.admin_permissions import TeachingPermissionPolicy
from learning.cohort_admin import cohort_viewset
from learning.models import AssignmentSubmission, CohortSession
from learning.selectors import submissions_for_grader
from learning.session_admin import SessionPermissionPolicy, cohort_sessions_viewset
from learning.views import GradeSubmissionView, GradingQueueView


class GradingPermissionPolicy(TeachingPermissionPolicy):
    """Each specialist or editor sees and grades only the submissions of courses they teach.
    Submissions are never added or deleted here."""

    actions = ("view", "change")

    def rows_taught_by(self, user):
        return submissions_for_grader(user)


register_permission_policy(AssignmentSubmission, GradingPermissionPolicy(AssignmentSubmission))


class SubmissionViewSet(ModelViewSet):
    model = AssignmentSubmission
    url_prefix = "grading"
    icon = "form"
    menu_label = _("Grading")
    menu_order = 250
    add_to_admin_menu = True
    index_view_class = GradingQueueView
    copy_view_enabled = False
    list_display = [
        "assignment_title",
        Column(
            "learner", label=_("Learner"), accessor=lambda s: display_name(s.enrollment.learner)
        ),
        Column("course", label=_("Course"), accessor="enrollment.course.title"),
        Column("status", label=_("Status"), accessor="get_status_display"),
        DateColumn("submitted_at", label=_("Handed in"), sort_key="submitted_at"),
        Column(
            "score", label=_("Score"), accessor=lambda s: "—" if s.score is None else f"{s.score}%"
        ),
    ]
    search_fields = [
        "assignment_title",
        "enrollment__learner__first_name",
        "enrollment__learner__last_name",
        "enrollment__course__title",
    ]
    search_backend_name = None
    list_export = [
        "id", "course", "assignment_id", "assignment_title", "learner", "kind", "status",
        "points", "max_points", "score", "submitted_at", "graded_at", "graded_by",
    ]  # fmt: skip
    export_headings = {"course": _("Course"), "learner": _("Learner"), "graded_by": _("Graded by")}
    export_filename = "submissions"

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            **{"add_url_name": None, "delete_url_name": None, "inspect_url_name": None, **kwargs}
        )

    def get_urlpatterns(self):
        """The queue and the grade form; submissions are handed in by learners, never here."""
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("<int:pk>/", GradeSubmissionView.as_view(), name="edit"),
        ]


grading_viewset = SubmissionViewSet("learning_grading")


@hooks.register("register_admin_viewset")
def register_grading_viewset():
    return grading_viewset


@hooks.register("register_admin_urls")
def register_grading_url_names():
    """The names the grading pages had before they were a viewset, for existing links."""
    return [
        path("grading/", grading_viewset.index_view, name="learning_grading_queue"),
        path("grading/<int:pk>/", GradeSubmissionView.as_view(), name="learning_grade_submission"),
    ]


register_permission_policy(CohortSession, SessionPermissionPolicy(CohortSession))


@hooks.register("register_admin_viewset")
def register_cohort_sessions_viewset():
    return cohort_sessions_viewset


@hooks.register("register_log_actions")
def register_session_log_actions(actions):
    actions.register_action("learning.session_cancel", _("Cancel session"), _("Session cancelled"))


@hooks.register("register_admin_viewset")
def register_cohort_viewset():
    return cohort_viewset
