"""Certificates: the owner's list, detail, PDF and signed credential; public verification
and the issuer's profile and keys. Someone else's certificate is a 404 to its non-owners."""

from django.http import FileResponse, Http404, HttpResponseRedirect
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from api.certification.serializers import (
    CertificateSerializer,
    CredentialSerializer,
    IssuerProfileSerializer,
    JsonWebKeySetSerializer,
    VerificationSerializer,
)
from api.pagination import PageNumberPagination
from api.parameters import TOKEN
from api.renderers import FileRenderer, require_acceptable
from certification.credentials import MEDIA_TYPE, credential_jwt, credential_of, issuer_profile
from certification.downloads import certificate_for_link
from certification.exceptions import CertificateRevoked
from certification.selectors import certificate_of, certificate_to_verify, certificates_of
from certification.services import certificate_render_pdf
from certification.signing import jwks
from certification.throttling import VerificationThrottle
from certification.verification import verification_of

CODE = OpenApiParameter(
    "code", OpenApiTypes.STR, OpenApiParameter.PATH, description="e.g. `CERT-2026-7QK4M9XD`."
)


class OwnedCertificateMixin:
    def get_certificate(self, code):
        certificate = certificate_of(self.request.user, code)
        if certificate is None:
            raise Http404
        return certificate


def _pdf_response(certificate):
    if not certificate.pdf:
        certificate_render_pdf(certificate=certificate)
    try:
        certificate.pdf.path  # noqa: B018 - storages without local files raise here
    except NotImplementedError:  # remote storage signs its own short-lived URL
        return HttpResponseRedirect(certificate.pdf.url)
    response = FileResponse(
        certificate.pdf.open("rb"),
        as_attachment=True,
        filename=f"{certificate.code}.pdf",
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, max-age=3600"
    return response


PDF_RESPONSES = {
    (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY),
    302: OpenApiResponse(description="Redirect to the PDF in remote storage."),
}


class CertificateListView(APIView):
    pagination_class = PageNumberPagination

    @extend_schema(responses={200: CertificateSerializer(many=True)})
    def get(self, request):
        """My certificates, newest first, valid and revoked."""
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(certificates_of(request.user), request, self)
        return paginator.get_paginated_response(
            CertificateSerializer(page, many=True, context={"request": request}).data
        )


class CertificateDetailView(OwnedCertificateMixin, APIView):
    @extend_schema(parameters=[CODE], responses={200: CertificateSerializer})
    def get(self, request, code):
        """One of my certificates, with links to share it."""
        certificate = self.get_certificate(code)
        return Response(CertificateSerializer(certificate, context={"request": request}).data)


class CertificatePdfView(OwnedCertificateMixin, APIView):
    problem_statuses = {"406", "409"}
    renderer_classes = [FileRenderer]

    @extend_schema(parameters=[CODE], responses=PDF_RESPONSES)
    def get(self, request, code):
        """The certificate as a PDF (A4 landscape), while it is valid."""
        require_acceptable(request, "application/pdf")
        certificate = self.get_certificate(code)
        if not certificate.is_valid:
            raise CertificateRevoked("This certificate was revoked.")
        return _pdf_response(certificate)


class CertificatePdfLinkView(APIView):
    authentication_classes = []  # the signed link is the credential
    permission_classes = [AllowAny]
    problem_statuses = {"406", "410"}
    renderer_classes = [FileRenderer]

    @extend_schema(
        parameters=[TOKEN],
        responses=PDF_RESPONSES,
    )
    def get(self, request, token):
        """The PDF, from the signed link in the certificate e-mail."""
        require_acceptable(request, "application/pdf")
        return _pdf_response(certificate_for_link(token))


class CertificateCredentialView(OwnedCertificateMixin, APIView):
    problem_statuses = {"409"}

    @extend_schema(parameters=[CODE], responses={200: CredentialSerializer})
    def get(self, request, code):
        """The certificate as an Open Badges 3.0 credential, signed as a VC-JWT (ES256).

        Verify it with the keys at `public/issuer/jwks.json`; its `credentialStatus`
        points at the public verification endpoint, which lists it once revoked.
        """
        certificate = self.get_certificate(code)
        if not certificate.is_valid:
            raise CertificateRevoked("This certificate was revoked.")
        return Response(
            {
                "format": "vc+jwt",
                "media_type": MEDIA_TYPE,
                "jwt": credential_jwt(certificate),
                "credential": credential_of(certificate),
            }
        )


class PublicView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]


class CertificateVerifyView(PublicView):
    throttle_classes = [VerificationThrottle]

    @extend_schema(parameters=[CODE], responses={200: VerificationSerializer})
    def get(self, request, code):
        """Is this certificate genuine? `valid` or `revoked` (with the date).

        Shows only the holder's name, the course, the issuer and the dates, and for a
        cohort course the cohort (name, dates) and the holder's live-session attendance as
        it was when the certificate was issued (`null` for self-paced courses). An unknown
        or malformed code is a 404 problem with code `certificate_unknown`, and nothing
        else. Rate-limited per client (429 with `Retry-After`).
        """
        certificate = certificate_to_verify(code)
        if certificate is None:
            raise NotFound("No certificate has this code.", code="certificate_unknown")
        return Response(verification_of(certificate))


class IssuerProfileView(PublicView):
    @extend_schema(responses={200: IssuerProfileSerializer})
    def get(self, request):
        """The platform as an Open Badges 3.0 issuer `Profile`: the `issuer` of every credential."""
        return Response(issuer_profile())


class IssuerKeysView(PublicView):
    @extend_schema(responses={200: JsonWebKeySetSerializer})
    def get(self, request):
        """The public keys credentials are signed with (a JWKS); `kid` in a JWT names one."""
        response = Response(jwks())
        response["Cache-Control"] = "public, max-age=3600"
        return response
