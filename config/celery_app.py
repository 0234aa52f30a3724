"""The Celery app.

TODO (rest of the production-shape issue, 16): done are Redis down (cache answers as a miss,
tasks not queued are logged), sweeps for certificates, their e-mails, notification e-mails
and unanswered refunds, refused refunds failing at once, idempotency leases, Stripe outside
transactions, health for cache, storage and workers, pruning, CSV formula escaping, deep or
huge JSON, JWTs ended by a password change, the admin sign-in lockout (django-axes) and
course documents reachable only by their course's people (`coursepages.documents`). Left: the
production shape in `.ci/run` (gunicorn, a worker and beat on a Redis of the test's own, the
journey through HTTP, Redis stopped and a worker killed mid-certificate to prove acks_late);
other specialists' draft titles in the admin (search, page chooser, page-type usage, history).
"""

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
