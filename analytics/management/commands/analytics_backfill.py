from datetime import date

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from analytics.definitions import MAX_WINDOW_DAYS, utc_today
from analytics.snapshots import days_between, snapshot_days


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is not a date: write it as YYYY-MM-DD.") from None


class Command(BaseCommand):
    help = (
        "Rebuild the daily analytics snapshots from the raw rows, one UTC day at a time. "
        "Safe to re-run and to interrupt: each day is rebuilt whole in its own transaction."
    )

    def add_arguments(self, parser):
        parser.add_argument("--since", required=True, type=_day, help="First day (YYYY-MM-DD).")
        parser.add_argument("--until", type=_day, help="Last day (YYYY-MM-DD); today if left out.")

    def handle(self, *, since, until, verbosity, **options):
        until = until or utc_today()
        if since > until:
            raise CommandError(f"--since {since} is after --until {until}.")
        if (until - since).days >= 10 * MAX_WINDOW_DAYS:
            raise CommandError("Backfill at most 20 years at a time.")
        days = days_between(since, until)
        with tqdm(total=len(days), unit="day", file=self.stderr, disable=verbosity == 0) as bar:

            def progress(result):
                bar.set_postfix_str(f"{result.day} {result.courses} courses", refresh=False)
                bar.update()

            results = snapshot_days(days, progress)
        if verbosity:
            courses = sum(result.courses for result in results)
            self.stdout.write(
                self.style.SUCCESS(
                    f"Snapshotted {len(results)} days ({since} to {until}): "
                    f"{courses} course-days with activity."
                )
            )
