from django.urls import path

from api.cohorts.calendars import CohortCalendarFeedView, CohortCalendarView
from api.cohorts.sessions import CohortSessionJoinView
from api.cohorts.views import CohortDetailView, CohortEnrollView, CourseCohortsView

urlpatterns = [
    path("courses/<id:course>/cohorts/", CourseCohortsView.as_view(), name="course-cohorts"),
    path("cohorts/<id:pk>/", CohortDetailView.as_view(), name="cohort-detail"),
    path("cohorts/<id:pk>/enroll/", CohortEnrollView.as_view(), name="cohort-enroll"),
    path("cohorts/<id:pk>/calendar/", CohortCalendarView.as_view(), name="cohort-calendar"),
    path(
        "cohorts/<id:pk>/calendar.ics",
        CohortCalendarFeedView.as_view(),
        name="cohort-calendar-feed",
    ),
    path(
        "cohorts/<id:pk>/sessions/<id:session>/join/",
        CohortSessionJoinView.as_view(),
        name="cohort-session-join",
    ),
]
