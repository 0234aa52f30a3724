"""Sign-in lockout per account (django-axes): after SIGN_IN_FAILURE_LIMIT wrong passwords for
one account, it refuses every password, right or wrong, for SIGN_IN_LOCKOUT_MINUTES, from any
address. Throttles per client (the API's `auth` scope) slow one guesser down; this stops many
guessers, each under the throttle, taking turns on one account."""

from django.contrib.auth import get_user_model


def sign_in_name(request, credentials) -> str | None:
    """The account an attempt is for, as one key whatever was typed: the username of the
    account with the e-mail given (the API's `email`, or the admin form's `username`, in any
    letter case), else what was typed. Axes also calls this with the username of an account
    that signed in, to clear its failures."""
    name = (credentials or {}).get("email") or (credentials or {}).get("username")
    if not isinstance(name, str):
        return None
    name = name.strip()
    if "@" not in name:
        return name
    known = getattr(request, "sign_in_names", None)
    if known is None:
        known = request.sign_in_names = {}  # axes asks several times an attempt
    if name not in known:
        username = (
            get_user_model()
            .objects.filter(email__iexact=name)
            .values_list("username", flat=True)
            .first()
        )
        known[name] = username or name.lower()
    return known[name]
