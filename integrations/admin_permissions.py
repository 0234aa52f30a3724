"""Who manages which endpoints and deliveries in the admin, as in the API
(`integrations.selectors`): staff with the integrations permissions every endpoint; a
specialist their own endpoints (which receive only the events of the courses they teach) and
those endpoints' deliveries. Another specialist's endpoint is not found."""

from wagtail.permission_policies.base import ModelPermissionPolicy

from accounts.selectors import user_roles


def is_specialist(user) -> bool:
    return user.is_active and "specialist" in user_roles(user)


class EndpointPolicy(ModelPermissionPolicy):
    specialist_actions = frozenset({"add", "change", "delete", "view"})
    owner_lookup = "specialist"

    def manages_all(self, user) -> bool:
        """Staff with the model's Django permissions (superusers included)."""
        return any(
            super(EndpointPolicy, self).user_has_permission(user, action)
            for action in ("change", "view")
        )

    def scope(self, user):
        """The rows `user` may see and act on."""
        if self.manages_all(user):
            return self.model.objects.all()
        if is_specialist(user):
            return self.model.objects.filter(**{self.owner_lookup: user})
        return self.model.objects.none()

    def user_has_permission(self, user, action):
        if super().user_has_permission(user, action):
            return True
        return action in self.specialist_actions and is_specialist(user)

    def user_has_permission_for_instance(self, user, action, instance):
        if super().user_has_permission(user, action):
            return True
        return (
            action in self.specialist_actions
            and is_specialist(user)
            and self.scope(user).filter(pk=instance.pk).exists()
        )

    def instances_user_has_permission_for(self, user, action):
        if super().user_has_permission(user, action):
            return self.model.objects.all()
        if action in self.specialist_actions:
            return self.scope(user)
        return self.model.objects.none()


class DeliveryPolicy(EndpointPolicy):
    """Deliveries are looked at and sent again ("change"); never added or edited by hand."""

    specialist_actions = frozenset({"change", "view"})
    owner_lookup = "endpoint__specialist"

    def user_has_permission(self, user, action):
        return action not in ("add", "delete") and super().user_has_permission(user, action)
