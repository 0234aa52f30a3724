from django.urls import path

from api.accounts.views import (
    EmailVerifyResendView,
    EmailVerifyView,
    LogoutView,
    MeExportView,
    MeView,
    PasswordChangeView,
    PasswordResetConfirmView,
    PasswordResetView,
    RegisterView,
    TokenRefresh,
    TokenView,
)
from api.cohorts.calendars import LearnerCalendarFeedView, LearnerCalendarView

urlpatterns = [
    path("auth/register/", RegisterView.as_view(), name="register"),
    path("auth/token/", TokenView.as_view(), name="token"),
    path("auth/token/refresh/", TokenRefresh.as_view(), name="token-refresh"),
    path("auth/logout/", LogoutView.as_view(), name="logout"),
    path("auth/password/change/", PasswordChangeView.as_view(), name="password-change"),
    path("auth/password/reset/", PasswordResetView.as_view(), name="password-reset"),
    path(
        "auth/password/reset/confirm/",
        PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path("auth/email/verify/", EmailVerifyView.as_view(), name="email-verify"),
    path("auth/email/verify/resend/", EmailVerifyResendView.as_view(), name="email-verify-resend"),
    path("me/", MeView.as_view(), name="me"),
    path("me/export/", MeExportView.as_view(), name="me-export"),
    path("me/calendar/", LearnerCalendarView.as_view(), name="me-calendar"),
    path("me/calendar.ics", LearnerCalendarFeedView.as_view(), name="me-calendar-feed"),
]
