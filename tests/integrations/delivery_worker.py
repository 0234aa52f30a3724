"""A delivery worker in its own OS process, running what the beat schedule runs
(`dispatch_due_deliveries`; the test settings send each claimed delivery in the same process,
as a Celery worker would) until nothing is due. The tests start it with `start_worker`, kill it
mid-delivery, and start more of them side by side."""

import os
import subprocess
import sys
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def start_worker() -> subprocess.Popen:
    """A worker on the test database, allowed to deliver to the loopback receivers."""
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": url,
        "WEBHOOKS_ALLOW_HTTP": "true",
        "WEBHOOKS_ALLOW_PRIVATE_TARGETS": "true",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "tests.integrations.delivery_worker"], cwd=ROOT, env=env
    )


def run_workers(count: int, seconds: float = 120) -> None:
    """`count` workers side by side, until each finds nothing more to send."""
    workers = [start_worker() for _ in range(count)]
    for worker in workers:
        assert worker.wait(timeout=seconds) == 0


def main():
    import django

    django.setup()
    from django.utils import timezone

    from integrations.models import Delivery
    from integrations.tasks import dispatch_due_deliveries

    due = Delivery.objects.filter(status=Delivery.Status.PENDING)
    while due.filter(next_attempt_at__lte=timezone.now()).exists():
        dispatch_due_deliveries()


if __name__ == "__main__":
    main()
