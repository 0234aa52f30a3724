"""Reads about people that several callers share."""

from accounts.roles import EDITORS, SPECIALISTS


def group_names(user) -> frozenset[str]:
    """The names of the user's groups, read once per user object (a request's user)."""
    if not hasattr(user, "_group_names"):
        user._group_names = frozenset(user.groups.values_list("name", flat=True))
    return user._group_names


def user_roles(user):
    """learner for everyone signed in; specialist and editor from group membership."""
    groups = group_names(user)
    roles = ["learner"]
    if SPECIALISTS in groups:
        roles.append("specialist")
    if EDITORS in groups or user.is_superuser:
        roles.append("editor")
    return roles
