"""`bench_certificates`, run as an operator runs it."""

import io

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_the_benchmark_reports_timings_and_the_subsetting_path():
    out = io.StringIO()
    call_command("bench_certificates", "--count", "3", "--warmup", "1", stdout=out)

    output = out.getvalue()
    assert "median:" in output and "p95:" in output and "PDFs/s" in output
    assert "font subsetting: HarfBuzz subset" in output
