from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from accounts.roles import EDITORS, SPECIALISTS
from learning.views import GradeSubmissionView, GradingQueueView


@hooks.register("register_admin_urls")
def register_grading_urls():
    return [
        path("grading/", GradingQueueView.as_view(), name="learning_grading_queue"),
        path("grading/<int:pk>/", GradeSubmissionView.as_view(), name="learning_grade_submission"),
    ]


class GradingMenuItem(MenuItem):
    def is_shown(self, request):
        user = request.user
        return user.is_superuser or user.groups.filter(name__in=[SPECIALISTS, EDITORS]).exists()


@hooks.register("register_admin_menu_item")
def register_grading_menu_item():
    return GradingMenuItem(
        _("Grading"), reverse("learning_grading_queue"), icon_name="form", order=250
    )
