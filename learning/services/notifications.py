"""Notifications: a dashboard alert for a learner, e-mailed by a task once it is committed."""

from django.db import transaction
from django.utils import timezone
from django.utils.text import Truncator

from learning.models import Notification
from learning.tasks import send_notification_email

TITLE_MAX_LENGTH = Notification._meta.get_field("title").max_length


def title_fitting(title: str) -> str:
    """A title cut to what a notification holds (course titles may be longer), with "…"."""
    return Truncator(title).chars(TITLE_MAX_LENGTH)


def notify(*, user, kind, title, body, enrollment=None, link="") -> Notification:
    """Create a dashboard notification and queue its e-mail once the row is committed."""
    notification = Notification.objects.create(
        user=user,
        kind=kind,
        title=title_fitting(title),
        body=body,
        enrollment=enrollment,
        link=link,
    )
    transaction.on_commit(lambda: send_notification_email.delay(notification.pk))
    return notification


def notify_many(notifications: list[Notification]) -> list[Notification]:
    """Create many unsaved notifications in one INSERT and queue each e-mail once committed."""
    for notification in notifications:
        notification.title = title_fitting(notification.title)
    created = Notification.objects.bulk_create(notifications)
    for notification in created:
        transaction.on_commit(
            lambda pk=notification.pk: send_notification_email.delay(pk)  # one task each
        )
    return created


def notification_mark_read(*, notification: Notification) -> Notification:
    """Mark a notification read, once: marking it again keeps the first time."""
    Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    notification.refresh_from_db(fields=["read_at"])
    return notification
