from django.urls import path

from api.caching import cached_catalog_read
from api.catalog.views import (
    CourseBySlugView,
    CourseDetailView,
    CourseListView,
    CourseReviewsView,
)

urlpatterns = [
    path("courses/", cached_catalog_read(CourseListView.as_view()), name="course-list"),
    path("courses/<id:pk>/", cached_catalog_read(CourseDetailView.as_view()), name="course-detail"),
    path(
        "courses/by-slug/<slug:slug>/",
        cached_catalog_read(CourseBySlugView.as_view()),
        name="course-detail-by-slug",
    ),
    path("courses/<id:course>/ratings/", CourseReviewsView.as_view(), name="course-ratings"),
]
