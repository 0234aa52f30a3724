from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from coursepages.models import CoursePage
from coursepages.services import CourseStateError, course_archive, course_unarchive


class CourseArchiveView(WagtailAdminTemplateMixin, TemplateView):
    """Confirm, then archive (or unarchive) a course: for editors and the course's specialist."""

    template_name = "coursepages/admin/confirm_archive.html"
    header_icon = "folder-inverse"
    archive = True

    def dispatch(self, request, page_id):
        self.course = get_object_or_404(CoursePage, pk=page_id)
        if not self.course.permissions_for_user(request.user).can_archive():
            raise PermissionDenied
        return super().dispatch(request)

    def get_page_title(self):
        return _("Archive course") if self.archive else _("Unarchive course")

    def get_page_subtitle(self):
        return self.course.get_admin_display_title()

    def get_next_url(self):
        next_url = self.request.GET.get("next") or self.request.POST.get("next")
        if next_url and url_has_allowed_host_and_scheme(next_url, {self.request.get_host()}):
            return next_url
        return reverse("wagtailadmin_pages:edit", args=[self.course.pk])

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            course=self.course, archive=self.archive, next_url=self.get_next_url(), **kwargs
        )

    def post(self, request, *args, **kwargs):
        transition = course_archive if self.archive else course_unarchive
        try:
            transition(course=self.course, user=request.user)
        except CourseStateError as error:
            messages.error(request, str(error))
        else:
            done = (
                _("Course “%(title)s” archived.")
                if self.archive
                else _("Course “%(title)s” is back in the catalog.")
            )
            messages.success(request, done % {"title": self.course.title})
        return redirect(self.get_next_url())


class CourseUnarchiveView(CourseArchiveView):
    archive = False
