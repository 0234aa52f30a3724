"""Who manages which endpoints: staff the platform's, a specialist their own."""

from django.db.models import Q

from accounts.selectors import user_roles
from integrations.models import Endpoint


def may_manage_webhooks(user) -> bool:
    return user.is_staff or "specialist" in user_roles(user)


def endpoints_managed_by(user):
    """Platform endpoints for staff; the specialist's own endpoints for a specialist."""
    scope = Q(specialist=user)
    if user.is_staff:
        scope |= Q(specialist__isnull=True)
    return Endpoint.objects.filter(scope)
