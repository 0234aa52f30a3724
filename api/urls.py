"""The API's routes: each domain's own URLconf, then the schema and docs, then a problem-JSON
404 for everything else. Sub-URLconfs set no `app_name`: every name is `api:<name>`."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from api.errors import endpoint_not_found, problem_type_page

app_name = "api"

urlpatterns = [
    path("", include("api.platform.urls")),
    path("", include("api.accounts.urls")),
    path("", include("api.catalog.urls")),
    path("", include("api.specialist.urls")),
    path("", include("api.commerce.urls")),
    path("", include("api.learning.urls")),
    path("", include("api.cohorts.urls")),
    path("", include("api.certification.urls")),
    path("", include("api.webhooks.urls")),
    path("", include("api.analytics.urls")),
    path("errors/<slug:code>/", problem_type_page, name="problem-type"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    # Unknown API paths answer problem JSON even with DEBUG on.
    re_path(r"^.*$", endpoint_not_found),
]
