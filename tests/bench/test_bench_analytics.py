"""`bench_analytics`, run as an operator runs it, at a tiny size."""

import io

import pytest
from django.core.management import call_command

from analytics.models import CourseDailyStats

pytestmark = pytest.mark.django_db


def test_the_benchmark_reports_snapshots_backfill_and_the_endpoints():
    call_command(
        "seed_bench", courses=4, modules=2, lessons=2, learners=30, enrollments=2,
        activity_days=20, specialist_courses=3, cohorts=1, stdout=io.StringIO(),
    )  # fmt: skip
    out = io.StringIO()

    call_command("bench_analytics", "--days", "20", "--in-process", "--requests", "3", stdout=out)

    output = out.getvalue()
    assert "ms afresh" in output and "target < 2000 ms" in output
    assert "backfill of 20 days:" in output
    for row in ("course analytics (specialist)", "course analytics (staff)"):
        assert f"{row} " in output
    assert "specialist analytics of " in output and "(3 courses)" in output
    assert output.count("its p50") == 3
    assert "non-2xx" not in output  # every request answered
    assert CourseDailyStats.objects.values("day").distinct().count() > 5
