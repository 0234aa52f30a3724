"""Accounts: registration, JWT sign-in and refresh, and the signed-in user."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView
from rest_framework_simplejwt.views import TokenObtainPairView, TokenRefreshView

from accounts.services import user_register
from api.accounts.serializers import (
    AccessTokenSerializer,
    EmailTokenObtainPairSerializer,
    PasswordCheckedRefreshSerializer,
    RegisterInputSerializer,
    TokenPairSerializer,
    UserSerializer,
)


class AuthThrottled:
    """Few attempts per client: sign-in, refresh and registration are guessing targets."""

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth"


class RegisterView(AuthThrottled, APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    problem_statuses = {"409"}

    @extend_schema(request=RegisterInputSerializer, responses={201: UserSerializer})
    def post(self, request):
        """Create a learner account. Sign in afterwards with `auth/token/`."""
        data = RegisterInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = user_register(**data.validated_data)
        return Response(UserSerializer(user).data, status=status.HTTP_201_CREATED)


@extend_schema_view(post=extend_schema(responses={200: TokenPairSerializer}))
class TokenView(AuthThrottled, TokenObtainPairView):
    """Exchange e-mail and password for a JWT access token (15 min) and refresh token (7 days)."""

    serializer_class = EmailTokenObtainPairSerializer
    problem_statuses = {"401"}


@extend_schema_view(post=extend_schema(responses={200: AccessTokenSerializer}))
class TokenRefresh(AuthThrottled, TokenRefreshView):
    """Exchange a refresh token for a new access token (401 once the password has changed)."""

    serializer_class = PasswordCheckedRefreshSerializer
    problem_statuses = {"401"}


class MeView(generics.RetrieveAPIView):
    """The signed-in user, with roles: learner, specialist, editor."""

    serializer_class = UserSerializer

    def get_object(self):
        return self.request.user
