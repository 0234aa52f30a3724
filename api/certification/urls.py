from django.urls import path

from api.certification.views import (
    CertificateCredentialView,
    CertificateDetailView,
    CertificateListView,
    CertificatePdfLinkView,
    CertificatePdfView,
    CertificateVerifyView,
    IssuerKeysView,
    IssuerProfileView,
)

# `certificates/download/<token>/` comes before `certificates/<code>/`, which would take it.
urlpatterns = [
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
]
