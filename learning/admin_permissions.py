"""Who reaches the teaching areas of the Wagtail admin (grading, cohorts, sessions)."""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import policy_registry

from accounts.roles import EDITORS, SPECIALISTS
from accounts.selectors import group_names
from learning.models import Cohort


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


class ManagedCohortMixin:
    """For admin views about one cohort (roster, attendance, unmatched participants):
    `self.cohort` is the cohort of the URL's `pk` if the user may `cohort_action` it, else
    404; the page names the cohort and leads back to it."""

    cohort_action = "view"

    @cached_property
    def permission_policy(self):
        return policy_registry.get_by_type(Cohort)

    @cached_property
    def cohort(self):
        cohorts = self.permission_policy.instances_user_has_permission_for(
            self.request.user, self.cohort_action
        ).select_related("course")
        return get_object_or_404(cohorts, pk=self.kwargs["pk"])

    def get_page_subtitle(self):
        return f"{self.cohort.course.title} – {self.cohort.name}"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("cohorts:index"), "label": _("Cohorts")},
            {"url": reverse("cohorts:edit", args=[self.cohort.pk]), "label": self.cohort.name},
            {"url": "", "label": self.get_page_title()},
        ]
