from django.urls import path

from api.specialist.views import (
    CourseRosterView,
    GradeView,
    SpecialistCoursesView,
    SubmissionQueueView,
)

urlpatterns = [
    path("courses/<id:course>/enrollments/", CourseRosterView.as_view(), name="course-roster"),
    path("specialist/courses/", SpecialistCoursesView.as_view(), name="specialist-courses"),
    path("submissions/", SubmissionQueueView.as_view(), name="submission-list"),
    path("submissions/<id:pk>/grade/", GradeView.as_view(), name="submission-grade"),
]
