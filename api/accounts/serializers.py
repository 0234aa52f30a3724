from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers
from rest_framework.exceptions import AuthenticationFailed
from rest_framework_simplejwt.serializers import TokenObtainPairSerializer, TokenRefreshSerializer
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.utils import get_md5_hash_password

from accounts.exceptions import AccountLocked, EmailUnverified
from accounts.selectors import user_roles
from accounts.services import email_is_verified


class RegisterInputSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=150)
    password = serializers.CharField(
        write_only=True, max_length=128, style={"input_type": "password"}
    )
    first_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    last_name = serializers.CharField(max_length=150, required=False, allow_blank=True)

    def validate(self, attrs):
        candidate = get_user_model()(
            email=attrs["email"],
            first_name=attrs.get("first_name", ""),
            last_name=attrs.get("last_name", ""),
        )
        try:
            validate_password(attrs["password"], candidate)
        except DjangoValidationError as error:
            raise serializers.ValidationError({"password": list(error.messages)}) from error
        return attrs


class UserSerializer(serializers.ModelSerializer):
    roles = serializers.SerializerMethodField()
    email_verified = serializers.SerializerMethodField(
        help_text="Whether the owner followed the link sent to this address."
    )

    class Meta:
        model = get_user_model()
        fields = ["id", "email", "email_verified", "first_name", "last_name", "roles"]
        read_only_fields = fields

    def get_roles(self, user) -> list[str]:
        return user_roles(user)

    def get_email_verified(self, user) -> bool:
        return email_is_verified(user)


def _name_field():
    return serializers.CharField(
        max_length=150,
        required=False,
        allow_blank=True,
        help_text="As certificates print it. Certificates never print an e-mail address.",
    )


class ProfileInputSerializer(serializers.Serializer):
    first_name = _name_field()
    last_name = _name_field()

    def validate(self, attrs):
        for field, value in attrs.items():
            if "@" in value:
                raise serializers.ValidationError(
                    {field: ["A name, not an e-mail address: certificates print it."]}
                )
        return attrs


def _password_field(help_text=""):
    return serializers.CharField(
        write_only=True, max_length=128, style={"input_type": "password"}, help_text=help_text
    )


class PasswordInputSerializer(serializers.Serializer):
    password = _password_field("The account's password, to confirm it is you.")


class PasswordChangeInputSerializer(serializers.Serializer):
    current_password = _password_field()
    new_password = _password_field("Checked by the password rules (length, commonness).")


class EmailInputSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)


class PasswordResetConfirmInputSerializer(serializers.Serializer):
    uid = serializers.CharField(max_length=64, help_text="From the link in the e-mail.")
    token = serializers.CharField(max_length=128, help_text="From the link in the e-mail.")
    new_password = _password_field("Checked by the password rules (length, commonness).")


class EmailVerifyInputSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=512, help_text="From the link in the e-mail.")


class RefreshInputSerializer(serializers.Serializer):
    refresh = serializers.CharField(max_length=2048, help_text="The refresh token to retire.")


class AcceptedSerializer(serializers.Serializer):
    detail = serializers.CharField()


class EmailTokenObtainPairSerializer(TokenObtainPairSerializer):
    """Sign in with e-mail and password for an access/refresh token pair."""

    username_field = "email"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # No address is longer than 254 (RFC 5321); a longer one never reaches the database, whose
        # case-insensitive lookup on SQLite refuses a pattern of a megabyte.
        self.fields["email"] = serializers.CharField(write_only=True, max_length=254)

    def validate(self, attrs):
        try:
            tokens = super().validate(attrs)
        except AuthenticationFailed:
            # django-axes refused without trying the password (`accounts.lockout`).
            if getattr(self.context["request"], "axes_locked_out", False):
                raise AccountLocked(int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)) from None
            raise
        if settings.EMAIL_VERIFICATION_REQUIRED and not email_is_verified(self.user):
            raise EmailUnverified()
        # As a session sign-in does: Django records `last_login`, and the lockout's count of
        # failures starts again.
        user_logged_in.send(sender=type(self.user), request=self.context["request"], user=self.user)
        return tokens


class TokenPairSerializer(serializers.Serializer):
    access = serializers.CharField(help_text="Send as `Authorization: Bearer <access>`.")
    refresh = serializers.CharField(
        help_text="Exchange at `auth/token/refresh/` when access expires."
    )


class PasswordCheckedRefreshSerializer(TokenRefreshSerializer):
    """A refresh token issued before the password changed is refused at once, not only the
    access tokens it would still mint."""

    def validate(self, attrs):
        refresh = self.token_class(attrs["refresh"])
        user = (
            get_user_model()
            .objects.filter(**{jwt_settings.USER_ID_FIELD: refresh.get(jwt_settings.USER_ID_CLAIM)})
            .first()
        )
        if user is not None and refresh.get(
            jwt_settings.REVOKE_TOKEN_CLAIM
        ) != get_md5_hash_password(user.password):
            raise AuthenticationFailed(
                "The password changed since this token was issued: sign in again.",
                "password_changed",
            )
        return super().validate(attrs)
