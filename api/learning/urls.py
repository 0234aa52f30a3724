from django.urls import path

from api.learning.views import (
    EligibilityView,
    EnrollmentDetailView,
    EnrollmentListView,
    FileDownloadView,
    LessonCompleteView,
    LessonPreviewView,
    LessonView,
    NotificationListView,
    NotificationReadView,
    QuizSubmitView,
    ResumeView,
    SubmitWorkView,
)

urlpatterns = [
    path("enrollments/", EnrollmentListView.as_view(), name="enrollment-list"),
    path("enrollments/<id:pk>/", EnrollmentDetailView.as_view(), name="enrollment-detail"),
    path(
        "enrollments/<id:pk>/lessons/<id:lesson>/complete/",
        LessonCompleteView.as_view(),
        name="lesson-complete",
    ),
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
    path("lessons/<id:lesson>/preview/", LessonPreviewView.as_view(), name="lesson-preview"),
    path("files/<str:token>/", FileDownloadView.as_view(), name="file-download"),
]
