"""Account rules: registration and sign-in names."""

import re
import uuid

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.exceptions import EmailTaken

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
