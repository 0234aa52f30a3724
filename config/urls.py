import os

from django.conf import settings
from django.conf.urls.static import static
from django.urls import include, path
from django.views import defaults
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from api.errors import api_or_site_handler
from certification.views import certificate_page

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v1/", include("api.urls")),
    path("checkout/", include("commerce.urls")),
]

if settings.DEBUG:
    # Only images are public media; documents, handed-in work and certificates are
    # served after an access check (learning/downloads.py, certification).
    for folder in ("images", "original_images"):
        urlpatterns += static(
            f"{settings.MEDIA_URL}{folder}/",
            document_root=os.path.join(settings.MEDIA_ROOT, folder),
        )

handler404 = api_or_site_handler(404, "not_found", "No such API endpoint.", defaults.page_not_found)
handler500 = api_or_site_handler(
    500,
    "server_error",
    "Something went wrong on our side; it has been logged.",
    defaults.server_error,
)

# The public certificate verification page, the target of every certificate's QR code.
urlpatterns += [path("c/<str:code>/", certificate_page, name="certificate-page")]

# Wagtail's page serving comes last: it matches every remaining path.
urlpatterns += [path("", include(wagtail_urls))]
