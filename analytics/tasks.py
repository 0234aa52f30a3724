from celery import shared_task

from analytics.definitions import utc_today
from analytics.snapshots import days_to_settle, snapshot_day, snapshot_days


@shared_task
def snapshot_today():
    """Hourly: today's snapshot (the API reads today live; reports over stored days see it)."""
    snapshot_day(utc_today())


@shared_task
def settle_recent_days():
    """Nightly: the last four days again, for what arrived late (Stripe retries for three)."""
    snapshot_days(days_to_settle())
