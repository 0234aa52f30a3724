"""Reads about people that several callers share."""

from accounts.roles import EDITORS, SPECIALISTS


def user_roles(user):
    """learner for everyone signed in; specialist and editor from group membership."""
    groups = {group.name for group in user.groups.all()}
    roles = ["learner"]
    if SPECIALISTS in groups:
        roles.append("specialist")
    if EDITORS in groups or user.is_superuser:
        roles.append("editor")
    return roles
