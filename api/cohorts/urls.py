from django.urls import path

from api.cohorts.attendance import CohortAttendanceView, EnrollmentAttendanceView
from api.cohorts.calendars import CohortCalendarFeedView, CohortCalendarView
from api.cohorts.recordings import SessionRecordingView
from api.cohorts.sessions import (
    CohortSessionCancelView,
    CohortSessionJoinView,
    CohortSessionsView,
    CohortSessionView,
)
from api.cohorts.specialist import CohortRosterView, CohortView, SpecialistCohortsView
from api.cohorts.transfers import CohortTransferView
from api.cohorts.unmatched import (
    UnmatchedParticipantDismissView,
    UnmatchedParticipantResolveView,
    UnmatchedParticipantsView,
)
from api.cohorts.views import CohortEnrollView, CourseCohortsView
from api.cohorts.waitlist import WaitlistAcceptView, WaitlistView
from api.cohorts.zoom_webhooks import ZoomWebhookView

urlpatterns = [
    path("courses/<id:course>/cohorts/", CourseCohortsView.as_view(), name="course-cohorts"),
    path("cohorts/", SpecialistCohortsView.as_view(), name="cohort-list"),
    path("cohorts/<id:pk>/", CohortView.as_view(), name="cohort-detail"),
    path("cohorts/<id:pk>/enroll/", CohortEnrollView.as_view(), name="cohort-enroll"),
    path("cohorts/<id:pk>/sessions/", CohortSessionsView.as_view(), name="cohort-sessions"),
    path(
        "cohorts/<id:pk>/sessions/<id:session>/",
        CohortSessionView.as_view(),
        name="cohort-session",
    ),
    path(
        "cohorts/<id:pk>/sessions/<id:session>/cancel/",
        CohortSessionCancelView.as_view(),
        name="cohort-session-cancel",
    ),
    path(
        "cohorts/<id:pk>/sessions/<id:session>/recording/",
        SessionRecordingView.as_view(),
        name="cohort-session-recording",
    ),
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
    path("cohorts/<id:pk>/enrollments/", CohortRosterView.as_view(), name="cohort-roster"),
    path("cohorts/<id:pk>/waitlist/", WaitlistView.as_view(), name="cohort-waitlist"),
    path(
        "cohorts/<id:pk>/waitlist/accept/",
        WaitlistAcceptView.as_view(),
        name="cohort-waitlist-accept",
    ),
    path("cohorts/<id:pk>/attendance/", CohortAttendanceView.as_view(), name="cohort-attendance"),
    path(
        "enrollments/<id:pk>/attendance/",
        EnrollmentAttendanceView.as_view(),
        name="enrollment-attendance",
    ),
    path(
        "cohorts/<id:pk>/unmatched-participants/",
        UnmatchedParticipantsView.as_view(),
        name="cohort-unmatched-participants",
    ),
    path(
        "cohorts/<id:pk>/unmatched-participants/<id:uid>/resolve/",
        UnmatchedParticipantResolveView.as_view(),
        name="cohort-unmatched-participant-resolve",
    ),
    path(
        "cohorts/<id:pk>/unmatched-participants/<id:uid>/dismiss/",
        UnmatchedParticipantDismissView.as_view(),
        name="cohort-unmatched-participant-dismiss",
    ),
    path("cohorts/<id:pk>/transfer/", CohortTransferView.as_view(), name="cohort-transfer"),
    path("webhooks/zoom/", ZoomWebhookView.as_view(), name="zoom-webhook"),
]
