"""Account rules: registration and the roles a user holds."""

import uuid

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from api.errors import DomainError
from coursepages.roles import EDITORS, SPECIALISTS


class EmailTaken(DomainError):
    default_code = "email_taken"
    default_detail = "An account with this e-mail address already exists."
    title = "E-mail already registered"


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
    user.full_clean(exclude=["password"])
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


def user_roles(user):
    """learner for everyone signed in; specialist and editor from group membership."""
    groups = {group.name for group in user.groups.all()}
    roles = ["learner"]
    if SPECIALISTS in groups:
        roles.append("specialist")
    if EDITORS in groups or user.is_superuser:
        roles.append("editor")
    return roles
