"""Analytics in the Wagtail admin: panels on the home page, and the course and platform reports
under Reports."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from accounts.selectors import user_roles
from analytics.access import may_read_platform_analytics, may_read_specialist_analytics
from analytics.admin_views import CoursePickerView, CourseReportView, PlatformReportView
from analytics.dashboard import PlatformAnalyticsPanel, SpecialistAnalyticsPanel


@hooks.register("construct_homepage_panels")
def add_analytics_panels(request, panels):
    if "specialist" in user_roles(request.user):
        panels.append(SpecialistAnalyticsPanel())
    if may_read_platform_analytics(request.user):
        panels.append(PlatformAnalyticsPanel())


@hooks.register("register_admin_urls")
def register_analytics_urls():
    return [
        path("analytics/courses/", CoursePickerView.as_view(), name="analytics_course_picker"),
        path("analytics/courses/<int:pk>/", CourseReportView.as_view(), name="analytics_course_report"),
        path("analytics/platform/", PlatformReportView.as_view(), name="analytics_platform_report"),
    ]  # fmt: skip


class CourseAnalyticsMenuItem(MenuItem):
    def is_shown(self, request):
        return may_read_specialist_analytics(request.user)


class PlatformAnalyticsMenuItem(MenuItem):
    def is_shown(self, request):
        return may_read_platform_analytics(request.user)


@hooks.register("register_reports_menu_item")
def register_course_analytics_menu_item():
    return CourseAnalyticsMenuItem(
        _("Course analytics"),
        reverse("analytics_course_picker"),
        name="course-analytics",
        icon_name="table",
        order=100,
    )


@hooks.register("register_reports_menu_item")
def register_platform_analytics_menu_item():
    return PlatformAnalyticsMenuItem(
        _("Platform analytics"),
        reverse("analytics_platform_report"),
        name="platform-analytics",
        icon_name="site",
        order=110,
    )
