"""The API's routes: each domain's own URLconf, then the schema and docs, then a problem-JSON
404 for everything else. Sub-URLconfs set no `app_name`: every name is `api:<name>`.

TODO (rest of the frontends issue, 15): done are CORS for every documented header, file
endpoints' negotiation, throttles that trust X-Forwarded-For only from our proxies, 403 on
earnings for non-specialists, registration's 409 behind the auth throttle, problem-type pages,
account self-service (profile, password change and reset, e-mail verification, refresh rotation
with a blacklist, sign-out, export, closing with a retention rule), the per-account lockout and
timestamps in one format. Left: a typed schema (block union, named enums, summaries, error
codes per operation) proven by a generated TypeScript client; one source of absolute URLs; the
learner-screen fields; the demo and README for frontend developers; the cross-origin browser
journey."""

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
