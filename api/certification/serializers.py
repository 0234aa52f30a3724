"""Certificates as their owner sees them, as anyone verifying them sees them, and the
issuer's public documents. Owner and public shapes are separate classes on purpose."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from certification.links import (
    email_share_url,
    linkedin_add_to_profile_url,
    verification_page_url,
)


class CertificateCourseSerializer(serializers.Serializer):
    # The course as the certificate's snapshot recorded it.

    id = serializers.IntegerField(source="course_id")
    title = serializers.CharField(source="course_title")


class ShareLinksSerializer(serializers.Serializer):
    # A `Certificate`'s share links.

    linkedin = serializers.SerializerMethodField(
        help_text="LinkedIn's “Add to profile” form, filled in."
    )
    email = serializers.SerializerMethodField(
        help_text="A `mailto:` link with a subject and the public URL."
    )
    public_url = serializers.SerializerMethodField(help_text="The public verification page.")

    @extend_schema_field(OpenApiTypes.URI)
    def get_linkedin(self, certificate):
        return linkedin_add_to_profile_url(certificate)

    def get_email(self, certificate) -> str:
        return email_share_url(certificate)

    @extend_schema_field(OpenApiTypes.URI)
    def get_public_url(self, certificate):
        return verification_page_url(certificate.code)


class CertificateCohortSerializer(serializers.Serializer):
    # The cohort the certificate states, as `certification.verification.cohort_of` gives it.

    name = serializers.CharField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()


class CertificateAttendanceSerializer(serializers.Serializer):
    # The live-session attendance the certificate states, frozen when it was issued.

    attended = serializers.IntegerField(help_text="Sessions attended (present or late).")
    counted = serializers.IntegerField(help_text="Sessions that count: held less excused.")
    held = serializers.IntegerField(help_text="Sessions held (cancelled ones never count).")
    excused = serializers.IntegerField(help_text="Held sessions the learner was excused from.")
    percent = serializers.FloatField(
        allow_null=True, help_text="attended ÷ counted, in percent, to one decimal."
    )


class CertificateSerializer(serializers.Serializer):
    # A `Certificate` as its owner sees it; needs `request` in the context.

    code = serializers.CharField()
    status = serializers.ChoiceField(choices=["valid", "revoked"])
    issued_at = serializers.DateTimeField()
    revoked_at = serializers.DateTimeField(allow_null=True)
    completed_at = serializers.DateTimeField(source="snapshot.completed_at")
    learner_name = serializers.CharField(source="snapshot.learner_name")
    specialist_name = serializers.CharField(source="snapshot.specialist_name")
    course = CertificateCourseSerializer(source="snapshot")
    cohort = CertificateCohortSerializer(
        source="snapshot.cohort",
        allow_null=True,
        help_text="The cohort the course was taken in; null when self-paced.",
    )
    attendance = CertificateAttendanceSerializer(
        source="snapshot.attendance",
        allow_null=True,
        help_text="Live-session attendance in the cohort; null when self-paced.",
    )
    pdf_url = serializers.SerializerMethodField()
    verify_url = serializers.SerializerMethodField(
        help_text="The public verification page (the QR target)."
    )
    credential_url = serializers.SerializerMethodField(
        help_text="The signed Open Badges 3.0 credential."
    )
    share = ShareLinksSerializer(source="*")

    def _api_url(self, name, certificate):
        return self.context["request"].build_absolute_uri(reverse(name, args=[certificate.code]))

    @extend_schema_field(OpenApiTypes.URI)
    def get_pdf_url(self, certificate):
        return self._api_url("api:certificate-pdf", certificate)

    @extend_schema_field(OpenApiTypes.URI)
    def get_verify_url(self, certificate):
        return verification_page_url(certificate.code)

    @extend_schema_field(OpenApiTypes.URI)
    def get_credential_url(self, certificate):
        return self._api_url("api:certificate-credential", certificate)


class CredentialSerializer(serializers.Serializer):
    format = serializers.CharField(help_text="`vc+jwt`: a VC-JWT secured with JOSE.")
    media_type = serializers.CharField(help_text="`application/vc+jwt`.")
    jwt = serializers.CharField(help_text="The compact JWS; its payload is the credential.")
    credential = serializers.DictField(
        help_text="The OpenBadgeCredential the JWT carries, decoded, for display."
    )


class VerificationIssuerSerializer(serializers.Serializer):
    id = serializers.URLField(help_text="The issuer's Open Badges profile.")
    name = serializers.CharField()
    instructor = serializers.CharField()


class RevokedCredentialSerializer(serializers.Serializer):
    id = serializers.URLField()
    revoked = serializers.BooleanField()


class VerificationSerializer(serializers.Serializer):
    id = serializers.URLField(help_text="This endpoint: the credential's `credentialStatus.id`.")
    code = serializers.CharField()
    status = serializers.ChoiceField(choices=["valid", "revoked"])
    holder = serializers.CharField()
    course = serializers.CharField()
    issuer = VerificationIssuerSerializer()
    completed_on = serializers.DateField()
    issued_on = serializers.DateField()
    revoked_on = serializers.DateField(allow_null=True)
    cohort = CertificateCohortSerializer(
        allow_null=True, help_text="The cohort the course was taken in; null when self-paced."
    )
    attendance = CertificateAttendanceSerializer(
        allow_null=True, help_text="Live-session attendance in the cohort; null when self-paced."
    )
    verify_url = serializers.URLField(help_text="The human-readable verification page.")
    revokedCredentials = RevokedCredentialSerializer(
        many=True, help_text="1EdTech Revocation List: this credential, once revoked."
    )


class IssuerProfileSerializer(serializers.Serializer):
    context = serializers.ListField(child=serializers.CharField())
    id = serializers.URLField()
    type = serializers.ListField(child=serializers.CharField())
    name = serializers.CharField()
    url = serializers.URLField()
    description = serializers.CharField()

    def get_fields(self):
        fields = super().get_fields()
        fields["@context"] = fields.pop("context")
        return fields


class JsonWebKeySerializer(serializers.Serializer):
    kty = serializers.CharField()
    crv = serializers.CharField()
    x = serializers.CharField()
    y = serializers.CharField()
    kid = serializers.CharField()
    use = serializers.CharField()
    alg = serializers.CharField()


class JsonWebKeySetSerializer(serializers.Serializer):
    keys = JsonWebKeySerializer(many=True)
