from django.urls import path

from api.platform.views import HealthView

urlpatterns = [
    path("health/", HealthView.as_view(), name="health"),
]
