"""URLs for benchmark runs only (config.settings.bench): the real site plus baselines.

Never used in production: Wagtail's API v2 here would serve lesson bodies to anyone.
"""

from django.http import JsonResponse
from django.urls import path
from rest_framework.permissions import AllowAny
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.models import Page

from config.urls import urlpatterns as site_urlpatterns


class PublicPagesAPIViewSet(PagesAPIViewSet):
    """Wagtail's pages endpoint as a stock project serves it: public, no throttling."""

    permission_classes = [AllowAny]
    throttle_classes = []


wagtail_api = WagtailAPIRouter("wagtailapi")
wagtail_api.register_endpoint("pages", PublicPagesAPIViewSet)


def trivial(request):
    return JsonResponse({"ok": True})


def one_select(request):
    return JsonResponse({"title": Page.objects.values_list("title", flat=True).first()})


urlpatterns = [
    path("bench/trivial/", trivial),
    path("bench/one-select/", one_select),
    path("bench/wagtail-api/v2/", wagtail_api.urls),
    *site_urlpatterns,
]
