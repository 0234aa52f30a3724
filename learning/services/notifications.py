"""Notifications: a dashboard alert for a learner, e-mailed by a task once it is committed."""

from django.db import transaction

from learning.models import Notification
from learning.tasks import send_notification_email


def notify(*, user, kind, title, body, enrollment=None, link="") -> Notification:
    """Create a dashboard notification and queue its e-mail once the row is committed."""
    notification = Notification.objects.create(
        user=user, kind=kind, title=title, body=body, enrollment=enrollment, link=link
    )
    transaction.on_commit(lambda: send_notification_email.delay(notification.pk))
    return notification
