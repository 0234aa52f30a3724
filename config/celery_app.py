import logging
import os

from celery import Celery, Task
from kombu.exceptions import OperationalError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

logger = logging.getLogger(__name__)


class QueuedOrSwept(Task):
    """A task that cannot be queued because the broker is down is logged, not raised: it is
    queued after the change committed (`transaction.on_commit`), so raising would answer the
    request with an error for a change that was saved, and skip the callbacks after it. The
    work is found again by a beat sweep (certificates, their e-mails, refunds, webhook
    deliveries, meeting syncs, Zoom events)."""

    def apply_async(self, *args, **kwargs):
        try:
            return super().apply_async(*args, **kwargs)
        except OperationalError as error:
            logger.warning("Broker unavailable (%s): %s not queued", error, self.name)
            return None


app = Celery("courses", task_cls=QueuedOrSwept)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
