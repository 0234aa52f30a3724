"""Analytics on the Wagtail admin's home: a specialist's courses, and for staff the platform,
over the last 30 days against the 30 before. The figures are `analytics.reports`'."""

from collections import defaultdict
from datetime import timedelta

from django.urls import reverse
from wagtail.admin.ui.components import Component

from analytics.definitions import Window, activity_rows, utc_today
from analytics.reports import platform_report, specialist_report
from coursepages.selectors import courses_taught_by

DASHBOARD_DAYS = 30
TOP_COURSES = 5


def last_days(days: int = DASHBOARD_DAYS) -> Window:
    today = utc_today()
    return Window(today - timedelta(days=days - 1), today)


def new_enrollments_by_day(window: Window, course_ids) -> dict:
    """{course id: [new enrollments on each day of the window]}: the sparklines' points. One
    query; new enrollments add up across days, so a course's daily counts are its rows'."""
    counts = defaultdict(lambda: [0] * window.days)
    for row in activity_rows(window, course_ids):
        if row["day"] in window:
            counts[row["course_id"]][(row["day"] - window.first).days] += row["new_enrollments"]
    return counts


class AnalyticsPanel(Component):
    class Media:
        css = {"all": ["analytics/admin.css"]}


class SpecialistAnalyticsPanel(AnalyticsPanel):
    """The specialist's courses: enrollments, active learners, completions, learners at risk,
    submissions waiting and revenue per currency, each against the previous 30 days."""

    name = "specialist_analytics"
    template_name = "analytics/admin/specialist_panel.html"
    order = 50

    def get_context_data(self, parent_context):
        window = last_days()
        courses = courses_taught_by(parent_context["request"].user)
        report = specialist_report(courses, window, "new_enrollments")
        ids = [row["course"].pk for row in report["courses"]]
        by_day = new_enrollments_by_day(window, ids)
        for row in report["courses"]:
            row["new_enrollments_by_day"] = by_day[row["course"].pk]
            row["url"] = reverse("analytics_course_report", args=[row["course"].pk])
            row["sparkline_id"] = f"sparkline-course-{row['course'].pk}"
        total_by_day = [
            sum(counts[day] for counts in by_day.values()) for day in range(window.days)
        ]
        return {"report": report, "new_enrollments_by_day": total_by_day}


class PlatformAnalyticsPanel(AnalyticsPanel):
    """The platform: activity, new learners and revenue per currency against the previous 30
    days, and the courses with most new enrollments."""

    name = "platform_analytics"
    template_name = "analytics/admin/platform_panel.html"
    order = 60

    def get_context_data(self, parent_context):
        return {
            "report": platform_report(last_days(), top=TOP_COURSES),
            "report_url": reverse("analytics_platform_report"),
        }
