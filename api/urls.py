from django.urls import path, re_path, register_converter
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from api.caching import cached_catalog_read
from api.errors import endpoint_not_found
from api.views.accounts import MeView, RegisterView, TokenRefresh, TokenView
from api.views.catalog import CourseBySlugView, CourseDetailView, CourseListView
from api.views.certificates import (
    CertificateCredentialView,
    CertificateDetailView,
    CertificateListView,
    CertificatePdfLinkView,
    CertificatePdfView,
    CertificateVerifyView,
    IssuerKeysView,
    IssuerProfileView,
)
from api.views.commerce import PaymentView, RefundView, StripeWebhookView
from api.views.downloads import FileDownloadView
from api.views.earnings import EarningsView, PayoutOnboardingView, PayoutsView
from api.views.grading import GradeView, SubmissionQueueView, SubmitWorkView
from api.views.health import HealthView
from api.views.learning import (
    EligibilityView,
    EnrollmentDetailView,
    EnrollmentListView,
    LessonCompleteView,
    LessonPreviewView,
    LessonView,
    QuizSubmitView,
    ResumeView,
)
from api.views.notifications import NotificationListView, NotificationReadView
from api.views.reviews import CourseReviewsView
from api.views.specialist import CourseRosterView, SpecialistCoursesView

app_name = "api"


class IdConverter:
    """Ids that fit a 64-bit column; anything longer is simply not found."""

    regex = "[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


register_converter(IdConverter, "id")

urlpatterns = [
    path("health/", HealthView.as_view(), name="health"),
    path("auth/register/", RegisterView.as_view(), name="register"),
    path("auth/token/", TokenView.as_view(), name="token"),
    path("auth/token/refresh/", TokenRefresh.as_view(), name="token-refresh"),
    path("me/", MeView.as_view(), name="me"),
    path("courses/", cached_catalog_read(CourseListView.as_view()), name="course-list"),
    path("courses/<id:pk>/", cached_catalog_read(CourseDetailView.as_view()), name="course-detail"),
    path(
        "courses/by-slug/<slug:slug>/",
        cached_catalog_read(CourseBySlugView.as_view()),
        name="course-detail-by-slug",
    ),
    path("courses/<id:course>/ratings/", CourseReviewsView.as_view(), name="course-ratings"),
    path("courses/<id:course>/enrollments/", CourseRosterView.as_view(), name="course-roster"),
    path("specialist/earnings/", EarningsView.as_view(), name="specialist-earnings"),
    path("specialist/payouts/", PayoutsView.as_view(), name="specialist-payouts"),
    path(
        "specialist/payouts/connect/",
        PayoutOnboardingView.as_view(),
        name="specialist-payouts-connect",
    ),
    path("specialist/courses/", SpecialistCoursesView.as_view(), name="specialist-courses"),
    path("enrollments/", EnrollmentListView.as_view(), name="enrollment-list"),
    path("enrollments/<id:pk>/", EnrollmentDetailView.as_view(), name="enrollment-detail"),
    path(
        "enrollments/<id:pk>/lessons/<id:lesson>/complete/",
        LessonCompleteView.as_view(),
        name="lesson-complete",
    ),
    path("enrollments/<id:pk>/payment/", PaymentView.as_view(), name="enrollment-payment"),
    path("enrollments/<id:pk>/refund/", RefundView.as_view(), name="enrollment-refund"),
    path("webhooks/stripe/", StripeWebhookView.as_view(), name="stripe-webhook"),
    path("enrollments/<id:pk>/resume/", ResumeView.as_view(), name="enrollment-resume"),
    path("enrollments/<id:pk>/status/", EligibilityView.as_view(), name="enrollment-status"),
    path(
        "enrollments/<id:pk>/lessons/<id:lesson>/", LessonView.as_view(), name="enrollment-lesson"
    ),
    path(
        "enrollments/<id:pk>/quizzes/<slug:quiz>/submit/",
        QuizSubmitView.as_view(),
        name="quiz-submit",
    ),
    path(
        "enrollments/<id:pk>/assignments/<slug:assignment>/submit/",
        SubmitWorkView.as_view(),
        name="assignment-submit",
    ),
    path("notifications/", NotificationListView.as_view(), name="notification-list"),
    path("notifications/<id:pk>/read/", NotificationReadView.as_view(), name="notification-read"),
    path("submissions/", SubmissionQueueView.as_view(), name="submission-list"),
    path("submissions/<id:pk>/grade/", GradeView.as_view(), name="submission-grade"),
    path("lessons/<id:lesson>/preview/", LessonPreviewView.as_view(), name="lesson-preview"),
    path("files/<str:token>/", FileDownloadView.as_view(), name="file-download"),
    path("certificates/", CertificateListView.as_view(), name="certificate-list"),
    path(
        "certificates/download/<str:token>/",
        CertificatePdfLinkView.as_view(),
        name="certificate-pdf-link",
    ),
    path("certificates/<str:code>/", CertificateDetailView.as_view(), name="certificate-detail"),
    path("certificates/<str:code>/pdf/", CertificatePdfView.as_view(), name="certificate-pdf"),
    path(
        "certificates/<str:code>/credential/",
        CertificateCredentialView.as_view(),
        name="certificate-credential",
    ),
    path(
        "public/certificates/<str:code>/verify/",
        CertificateVerifyView.as_view(),
        name="certificate-verify",
    ),
    path("public/issuer/", IssuerProfileView.as_view(), name="issuer-profile"),
    path("public/issuer/jwks.json", IssuerKeysView.as_view(), name="issuer-jwks"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    # Unknown API paths answer problem JSON even with DEBUG on.
    re_path(r"^.*$", endpoint_not_found),
]
