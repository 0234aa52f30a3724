"""Accounts: registration, JWT sign-in, refresh and sign-out, the signed-in user's profile,
password change and reset, e-mail verification, the data export, and closing the account."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.tokens import RefreshToken
from rest_framework_simplejwt.views import TokenObtainPairView, TokenRefreshView

from accounts.services import (
    account_close,
    email_verification_resend,
    email_verify,
    password_change,
    password_reset_confirm,
    password_reset_request,
    profile_update,
    user_register,
)
from api.accounts.export import account_export
from api.accounts.serializers import (
    AcceptedSerializer,
    EmailInputSerializer,
    EmailTokenObtainPairSerializer,
    EmailVerifyInputSerializer,
    PasswordChangeInputSerializer,
    PasswordCheckedRefreshSerializer,
    PasswordInputSerializer,
    PasswordResetConfirmInputSerializer,
    ProfileInputSerializer,
    RefreshInputSerializer,
    RegisterInputSerializer,
    TokenPairSerializer,
    UserSerializer,
)


class AuthThrottled:
    """Few attempts per client: sign-in, refresh, registration and every form that takes a
    password, an address or a link's token are guessing targets."""

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth"


def _valid(serializer_class, request):
    data = serializer_class(data=request.data)
    data.is_valid(raise_exception=True)
    return data.validated_data


def _accepted(detail):
    return Response(AcceptedSerializer({"detail": detail}).data, status=status.HTTP_202_ACCEPTED)


class RegisterView(AuthThrottled, APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    problem_statuses = {"409"}

    @extend_schema(request=RegisterInputSerializer, responses={201: UserSerializer})
    def post(self, request):
        """Create a learner account and e-mail a link to verify its address. Sign in
        afterwards with `auth/token/`."""
        user = user_register(**_valid(RegisterInputSerializer, request))
        return Response(UserSerializer(user).data, status=status.HTTP_201_CREATED)


@extend_schema_view(post=extend_schema(responses={200: TokenPairSerializer}))
class TokenView(AuthThrottled, TokenObtainPairView):
    """Exchange e-mail and password for a JWT access token (15 min) and refresh token (7 days).
    403 `email_unverified` when the deployment requires a verified address first."""

    serializer_class = EmailTokenObtainPairSerializer
    problem_statuses = {"401", "403"}


@extend_schema_view(post=extend_schema(responses={200: TokenPairSerializer}))
class TokenRefresh(AuthThrottled, TokenRefreshView):
    """Exchange a refresh token for a new access token and a new refresh token; the one sent
    is retired (401 if it is sent again, or once the password has changed)."""

    serializer_class = PasswordCheckedRefreshSerializer
    problem_statuses = {"401"}


class LogoutView(AuthThrottled, APIView):
    problem_statuses = {"401", "403"}

    @extend_schema(request=RefreshInputSerializer, responses={204: None})
    def post(self, request):
        """Sign out: retire the refresh token (it can mint no more access tokens; the access
        token in hand ends with its 15 minutes)."""
        try:
            refresh = RefreshToken(_valid(RefreshInputSerializer, request)["refresh"])
        except TokenError as error:
            raise InvalidToken(str(error)) from error
        if str(refresh.get(jwt_settings.USER_ID_CLAIM)) != str(request.user.pk):
            raise PermissionDenied("This refresh token is another account's.")
        refresh.blacklist()
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(APIView):
    problem_statuses = {"400", "409"}

    @extend_schema(responses={200: UserSerializer})
    def get(self, request):
        """The signed-in user, with roles: learner, specialist, editor."""
        return Response(UserSerializer(request.user).data)

    @extend_schema(request=ProfileInputSerializer, responses={200: UserSerializer})
    def patch(self, request):
        """Set your names, as certificates and rosters show them."""
        profile_update(user=request.user, **_valid(ProfileInputSerializer, request))
        return Response(UserSerializer(request.user).data)

    @extend_schema(request=PasswordInputSerializer, responses={204: None})
    def delete(self, request):
        """Close your account (take `me/export/` first). Your name, e-mail, password,
        reviews, notifications and handed-in work go; orders, ledger rows and issued
        certificates stay, no longer naming an account anyone can sign in to (README, "Closing
        an account"). 409 for staff and for anyone who teaches a course."""
        account_close(user=request.user, **_valid(PasswordInputSerializer, request))
        return Response(status=status.HTTP_204_NO_CONTENT)

    throttle_scope = "auth"  # for the request that takes a password

    def get_throttles(self):
        extra = [ScopedRateThrottle()] if self.request.method == "DELETE" else []
        return super().get_throttles() + extra


class MeExportView(APIView):
    @extend_schema(responses={(200, "application/json"): dict})
    def get(self, request):
        """Everything we hold about you, as one JSON document to keep."""
        return Response(
            account_export(request.user),
            headers={"Content-Disposition": 'attachment; filename="my-data.json"'},
        )


class PasswordChangeView(AuthThrottled, APIView):
    problem_statuses = {"400"}

    @extend_schema(request=PasswordChangeInputSerializer, responses={200: TokenPairSerializer})
    def post(self, request):
        """Change your password. Every token issued before stops working, on every device;
        the answer is a new pair for this one."""
        password_change(user=request.user, **_valid(PasswordChangeInputSerializer, request))
        refresh = RefreshToken.for_user(request.user)
        return Response({"access": str(refresh.access_token), "refresh": str(refresh)})


class PasswordResetView(AuthThrottled, APIView):
    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(request=EmailInputSerializer, responses={202: AcceptedSerializer})
    def post(self, request):
        """E-mail a password reset link (single use, for an hour). The answer is the same
        whether or not an account has the address."""
        password_reset_request(**_valid(EmailInputSerializer, request))
        return _accepted("If an account has this address, a reset link is on its way.")


class PasswordResetConfirmView(AuthThrottled, APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    problem_statuses = {"400"}

    @extend_schema(request=PasswordResetConfirmInputSerializer, responses={204: None})
    def post(self, request):
        """Set a new password with the `uid` and `token` of a reset link; then sign in. 400
        `invalid_link` when the link is wrong, expired or used."""
        password_reset_confirm(**_valid(PasswordResetConfirmInputSerializer, request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class EmailVerifyView(AuthThrottled, APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    problem_statuses = {"400"}

    @extend_schema(request=EmailVerifyInputSerializer, responses={200: UserSerializer})
    def post(self, request):
        """Verify an address with the `token` of the link we e-mailed (valid three days;
        following it twice is harmless). 400 `invalid_link` otherwise."""
        user = email_verify(**_valid(EmailVerifyInputSerializer, request))
        return Response(UserSerializer(user).data)


class EmailVerifyResendView(AuthThrottled, APIView):
    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(request=EmailInputSerializer, responses={202: AcceptedSerializer})
    def post(self, request):
        """E-mail a new verification link to an account's unverified address. The answer is
        the same whatever the address."""
        email_verification_resend(**_valid(EmailInputSerializer, request))
        return _accepted("If an account has this address unverified, a link is on its way.")
