from django.urls import path

from api.analytics.views import (
    CohortAnalyticsView,
    CourseAnalyticsView,
    CourseAtRiskView,
    PlatformAnalyticsView,
    SpecialistAnalyticsView,
)

urlpatterns = [
    path("courses/<id:course>/analytics/", CourseAnalyticsView.as_view(), name="course-analytics"),
    path(
        "courses/<id:course>/analytics/at-risk/",
        CourseAtRiskView.as_view(),
        name="course-analytics-at-risk",
    ),
    path("cohorts/<id:pk>/analytics/", CohortAnalyticsView.as_view(), name="cohort-analytics"),
    path("specialist/analytics/", SpecialistAnalyticsView.as_view(), name="specialist-analytics"),
    path("staff/analytics/", PlatformAnalyticsView.as_view(), name="staff-analytics"),
]
