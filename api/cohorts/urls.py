from django.urls import path

from api.cohorts.transfers import CohortTransferView
from api.cohorts.views import CohortDetailView, CohortEnrollView, CourseCohortsView
from api.cohorts.waitlist import WaitlistAcceptView, WaitlistView

urlpatterns = [
    path("courses/<id:course>/cohorts/", CourseCohortsView.as_view(), name="course-cohorts"),
    path("cohorts/<id:pk>/", CohortDetailView.as_view(), name="cohort-detail"),
    path("cohorts/<id:pk>/enroll/", CohortEnrollView.as_view(), name="cohort-enroll"),
    path("cohorts/<id:pk>/waitlist/", WaitlistView.as_view(), name="cohort-waitlist"),
    path(
        "cohorts/<id:pk>/waitlist/accept/",
        WaitlistAcceptView.as_view(),
        name="cohort-waitlist-accept",
    ),
    path("cohorts/<id:pk>/transfer/", CohortTransferView.as_view(), name="cohort-transfer"),
]
