from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class EmailBackend(ModelBackend):
    """Sign in with an e-mail address (any letter case) and password.

    Accepts the address as `email` (API tokens) or in the `username` field (the
    Wagtail admin's login form).
    """

    def authenticate(self, request, email=None, password=None, username=None, **kwargs):
        email = email or (username if username and "@" in username else None)
        if email is None or password is None:
            return None
        user = get_user_model().objects.filter(email__iexact=email.strip()).first()
        if user is None:
            get_user_model()().set_password(password)  # same timing as a wrong password
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
