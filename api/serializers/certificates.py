"""Certificates as their owner sees them, as anyone verifying them sees them, and the
issuer's public documents. Owner and public shapes are separate classes on purpose."""

from django.urls import reverse
from rest_framework import serializers

from certification.links import (
    email_share_url,
    linkedin_add_to_profile_url,
    verification_page_url,
)


class CertificateCourseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()


class ShareLinksSerializer(serializers.Serializer):
    linkedin = serializers.URLField(help_text="LinkedIn's “Add to profile” form, filled in.")
    email = serializers.CharField(help_text="A `mailto:` link with a subject and the public URL.")
    public_url = serializers.URLField(help_text="The public verification page.")


class CertificateSerializer(serializers.Serializer):
    code = serializers.CharField()
    status = serializers.ChoiceField(choices=["valid", "revoked"])
    issued_at = serializers.DateTimeField()
    revoked_at = serializers.DateTimeField(allow_null=True)
    completed_at = serializers.DateTimeField()
    learner_name = serializers.CharField()
    specialist_name = serializers.CharField()
    course = CertificateCourseSerializer()
    pdf_url = serializers.URLField()
    verify_url = serializers.URLField(help_text="The public verification page (the QR target).")
    credential_url = serializers.URLField(help_text="The signed Open Badges 3.0 credential.")
    share = ShareLinksSerializer()


def certificate_data(certificate, request) -> dict:
    snapshot = certificate.snapshot
    public_url = verification_page_url(certificate.code)

    def api_url(name):
        return request.build_absolute_uri(reverse(name, args=[certificate.code]))

    return {
        "code": certificate.code,
        "status": certificate.status,
        "issued_at": certificate.issued_at,
        "revoked_at": certificate.revoked_at,
        "completed_at": snapshot["completed_at"],
        "learner_name": snapshot["learner_name"],
        "specialist_name": snapshot["specialist_name"],
        "course": {"id": snapshot["course_id"], "title": snapshot["course_title"]},
        "pdf_url": api_url("api:certificate-pdf"),
        "verify_url": public_url,
        "credential_url": api_url("api:certificate-credential"),
        "share": {
            "linkedin": linkedin_add_to_profile_url(certificate),
            "email": email_share_url(certificate),
            "public_url": public_url,
        },
    }


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
