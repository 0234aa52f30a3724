"""Who reaches the teaching areas of the Wagtail admin (grading, cohorts, sessions)."""

from django.contrib.auth import get_user_model
from django.db.models import Q
from wagtail.permission_policies.base import BasePermissionPolicy

from accounts.roles import EDITORS, SPECIALISTS
from accounts.selectors import group_names


class TeachingPermissionPolicy(BasePermissionPolicy):
    """Specialists and editors reach the area; each acts only on the rows of the courses
    they teach, as `rows_taught_by` says (superusers: all). Only `actions` are allowed."""

    actions = ()

    def rows_taught_by(self, user):
        raise NotImplementedError

    def users_with_any_permission(self, actions):
        if not set(actions) & set(self.actions):
            return get_user_model().objects.none()
        return (
            get_user_model()
            .objects.filter(
                Q(is_superuser=True) | Q(groups__name__in=[SPECIALISTS, EDITORS]), is_active=True
            )
            .distinct()
        )

    def user_has_permission(self, user, action):
        if action not in self.actions or not user.is_active:
            return False
        return user.is_superuser or bool(group_names(user) & {SPECIALISTS, EDITORS})

    def user_has_permission_for_instance(self, user, action, instance):
        return self.instances_user_has_permission_for(user, action).filter(pk=instance.pk).exists()

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return self.model.objects.none()
        return self.rows_taught_by(user)
