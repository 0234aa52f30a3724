"""How a person is named to others: certificates, rosters, grading, payouts, the catalog.

One rule everywhere: the full name, else the username when it is a name someone
chose, else a neutral stand-in. Never an e-mail address or a part of one: many
usernames are e-mail addresses (people sign in with theirs).
"""

from accounts.services import is_generated_username


def name_from(*, pk, first_name: str, last_name: str, username: str) -> str:
    """The display name from a user's fields, for callers that read rows rather than users."""
    full_name = f"{first_name} {last_name}".strip()
    if full_name:
        return full_name
    if username and "@" not in username and not is_generated_username(username):
        return username
    return f"User {pk}"


def display_name(user) -> str:
    return name_from(
        pk=user.pk,
        first_name=user.first_name,
        last_name=user.last_name,
        username=user.get_username(),
    )


def staff_label(user) -> str:
    """A person as staff see them in the admin: the display name, and the e-mail to reach them."""
    return f"{display_name(user)} ({user.email})" if user.email else display_name(user)


def public_name(user) -> str:
    """How a person signs what anyone can read (a course review): first name and last
    initial, "Ada L.", else "A learner"."""
    initial = f" {user.last_name[:1]}." if user.last_name else ""
    return f"{user.first_name}{initial}".strip() or "A learner"
