"""Account rules: registration and sign-in names, the profile, passwords (change, reset by
e-mail), e-mail verification, and closing an account."""

import re
import uuid

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from accounts.events import account_closed
from accounts.exceptions import AccountCannotClose, EmailTaken, InvalidLink, WrongPassword
from accounts.models import VerifiedEmail
from accounts.roles import EDITORS
from accounts.selectors import group_names

GENERATED_USERNAME = re.compile(r"user-[0-9a-f]{16}")


def email_is_registered(email):
    return get_user_model().objects.filter(email__iexact=email).exists()


@transaction.atomic
def user_register(*, email: str, password: str, first_name: str = "", last_name: str = ""):
    """Create a learner account; the e-mail is the sign-in name, unique in any letter case."""
    email = get_user_model().objects.normalize_email(email.strip()).lower()
    if email_is_registered(email):
        raise EmailTaken()
    user = get_user_model()(
        username=username_for(email),
        email=email,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
    )
    validate_password(password, user)
    user.set_password(password)
    # Uniqueness is left to the database: a registration racing this one would otherwise be
    # refused by full_clean as a taken `username`, a field nobody sent.
    user.full_clean(exclude=["password"], validate_unique=False, validate_constraints=False)
    try:
        user.save()
    except IntegrityError as error:  # a concurrent registration won the unique index
        raise EmailTaken() from error
    email_verification_send(user)
    return user


def username_for(email):
    """The e-mail itself when Django accepts it as a username, else a unique stand-in.

    People sign in with their e-mail everywhere (API and admin); the username
    only has to be unique.
    """
    user_model = get_user_model()
    max_length = user_model._meta.get_field("username").max_length
    try:
        UnicodeUsernameValidator()(email)
    except ValidationError:
        pass
    else:
        if len(email) <= max_length and not user_model.objects.filter(username=email).exists():
            return email
    return f"user-{uuid.uuid4().hex[:16]}"


def is_generated_username(username: str) -> bool:
    """True for the stand-ins `username_for` makes: they name nobody."""
    return GENERATED_USERNAME.fullmatch(username) is not None


# Profile -------------------------------------------------------------------------------------


def profile_update(*, user, **names) -> None:
    """Set the names others see (certificates print them; never the e-mail): `first_name`,
    `last_name`, each optional."""
    for field, value in names.items():
        setattr(user, field, value.strip())
    user.save(update_fields=list(names))


# Passwords -----------------------------------------------------------------------------------


def _password_set(user, password: str) -> None:
    """Every token issued before carries the old password's digest: they all stop working."""
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])


def password_change(*, user, current_password: str, new_password: str) -> None:
    if not user.check_password(current_password):
        raise WrongPassword()
    _password_set(user, new_password)


def password_reset_request(*, email: str) -> None:
    """E-mail a reset link when an active account has this address; answer the same either
    way, so the form tells nobody who has an account."""
    user = (
        get_user_model()
        .objects.filter(email__iexact=email.strip(), is_active=True)
        .only("pk", "password")
        .first()
    )
    if user is None or not user.has_usable_password():
        return
    from accounts.tasks import send_password_reset  # the task module imports this one

    transaction.on_commit(lambda: send_password_reset.delay(user.pk))


def password_reset_link(user) -> str:
    """A link for the frontend's reset page. Its token holds the password's digest and the
    last sign-in, so it works once, and for PASSWORD_RESET_TIMEOUT seconds."""
    return settings.PASSWORD_RESET_URL.format(
        uid=urlsafe_base64_encode(force_bytes(user.pk)),
        token=default_token_generator.make_token(user),
    )


def password_reset_confirm(*, uid: str, token: str, new_password: str):
    """Set a new password from a reset link's `uid` and `token`; the link is used up."""
    try:
        pk = int(force_str(urlsafe_base64_decode(uid)))
    except (TypeError, ValueError, OverflowError, UnicodeDecodeError):
        pk = None
    user = get_user_model().objects.filter(pk=pk, is_active=True).first() if pk else None
    if user is None or not default_token_generator.check_token(user, token):
        raise InvalidLink("password reset")
    _password_set(user, new_password)
    return user


# E-mail verification -------------------------------------------------------------------------

EMAIL_VERIFICATION_SALT = "accounts.email-verification"


def email_is_verified(user) -> bool:
    return bool(user.email) and user.verified_emails.filter(email__iexact=user.email).exists()


def email_verification_send(user) -> None:
    """E-mail the account's address a link that proves its owner reads mail there."""
    from accounts.tasks import send_email_verification  # the task module imports this one

    transaction.on_commit(lambda: send_email_verification.delay(user.pk))


def email_verification_resend(*, email: str) -> None:
    """A new link for an account's unverified address; nothing otherwise, answered alike."""
    user = get_user_model().objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is not None and not email_is_verified(user):
        email_verification_send(user)


def email_verification_link(user) -> str:
    token = signing.dumps({"user": user.pk, "email": user.email}, salt=EMAIL_VERIFICATION_SALT)
    return settings.EMAIL_VERIFICATION_URL.format(token=token)


def email_verify(*, token: str):
    """Record the address in a verification link as verified. Its signature dates it
    (EMAIL_VERIFICATION_MAX_AGE); following it again changes nothing; an account whose address
    changed since refuses it."""
    try:
        claim = signing.loads(
            token, salt=EMAIL_VERIFICATION_SALT, max_age=settings.EMAIL_VERIFICATION_MAX_AGE
        )
    except signing.BadSignature as error:  # expired included
        raise InvalidLink("e-mail verification") from error
    user = get_user_model().objects.filter(pk=claim.get("user"), is_active=True).first()
    if user is None or user.email.lower() != str(claim.get("email", "")).lower():
        raise InvalidLink("e-mail verification")
    VerifiedEmail.objects.get_or_create(user=user, email=user.email.lower())
    return user


# Closing an account --------------------------------------------------------------------------


@transaction.atomic
def account_close(*, user, password: str) -> None:
    """Close the caller's account: their personal data goes, except what the retention rule
    keeps (the README's "Closing an account"). The row stays, nameless and unable to sign in,
    because orders, ledger rows and issued certificates refer to it."""
    if not user.check_password(password):
        raise WrongPassword()
    if user.is_staff or user.is_superuser or EDITORS in group_names(user):
        raise AccountCannotClose(
            "Staff and editor accounts are closed by an operator, in the admin."
        )
    account_closed.send(sender=type(user), user=user)  # a listener may refuse: it raises
    VerifiedEmail.objects.filter(user=user).delete()
    user.username = f"closed-{uuid.uuid4().hex[:16]}"
    user.email = user.first_name = user.last_name = ""
    user.set_unusable_password()  # every token it holds stops working with it
    user.is_active = False
    user.last_login = None
    user.save()
