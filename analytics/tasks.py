from celery import shared_task

from analytics.definitions import utc_today
from analytics.snapshots import days_to_settle, snapshot_day, snapshot_days


@shared_task
def snapshot_today():
    """Hourly: today's snapshot, so reports read at most the last hour or so from the raw rows."""
    snapshot_day(utc_today())


@shared_task
def settle_recent_days():
    """Nightly: the last four days again (completing yesterday), for what arrived late."""
    snapshot_days(days_to_settle())
