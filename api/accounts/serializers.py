from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers
from rest_framework.exceptions import AuthenticationFailed
from rest_framework_simplejwt.serializers import TokenObtainPairSerializer, TokenRefreshSerializer
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.utils import get_md5_hash_password

from accounts.selectors import user_roles


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

    class Meta:
        model = get_user_model()
        fields = ["id", "email", "first_name", "last_name", "roles"]
        read_only_fields = fields

    def get_roles(self, user) -> list[str]:
        return user_roles(user)


class EmailTokenObtainPairSerializer(TokenObtainPairSerializer):
    """Sign in with e-mail and password for an access/refresh token pair."""

    username_field = "email"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # No address is longer than 254 (RFC 5321); a longer one never reaches the database, whose
        # case-insensitive lookup on SQLite refuses a pattern of a megabyte.
        self.fields["email"] = serializers.CharField(write_only=True, max_length=254)


class TokenPairSerializer(serializers.Serializer):
    access = serializers.CharField(help_text="Send as `Authorization: Bearer <access>`.")
    refresh = serializers.CharField(
        help_text="Exchange at `auth/token/refresh/` when access expires."
    )


class AccessTokenSerializer(serializers.Serializer):
    access = serializers.CharField()


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
