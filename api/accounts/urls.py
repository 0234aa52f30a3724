from django.urls import path

from api.accounts.views import MeView, RegisterView, TokenRefresh, TokenView
from api.cohorts.calendars import LearnerCalendarFeedView, LearnerCalendarView

urlpatterns = [
    path("auth/register/", RegisterView.as_view(), name="register"),
    path("auth/token/", TokenView.as_view(), name="token"),
    path("auth/token/refresh/", TokenRefresh.as_view(), name="token-refresh"),
    path("me/", MeView.as_view(), name="me"),
    path("me/calendar/", LearnerCalendarView.as_view(), name="me-calendar"),
    path("me/calendar.ics", LearnerCalendarFeedView.as_view(), name="me-calendar-feed"),
]
