from django.urls import path

from commerce.views import DevelopmentCheckoutView

app_name = "commerce"

urlpatterns = [
    path("dev/<str:token>/", DevelopmentCheckoutView.as_view(), name="development-checkout"),
]
