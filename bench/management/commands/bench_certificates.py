"""Time certificate PDF rendering in this process, as one warm worker renders them.

Prints the median and p95 milliseconds per PDF, PDFs per second, and which
font-subsetting path WeasyPrint took (HarfBuzz's subsetter, or the slower
fontTools fallback it warns about).
"""

import logging
import statistics
import time

from django.core.management.base import BaseCommand
from weasyprint.pdf.fonts import harfbuzz, harfbuzz_subset

from certification.pdf import render_certificate_pdf


class _Warnings(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def subsetting_path(warnings) -> str:
    """The path WeasyPrint's `Font.subset` took: its own condition, and its own warning."""
    fell_back = any("Using fontTools instead of HarfBuzz-Subset" in m for m in warnings)
    if fell_back or not (harfbuzz_subset and harfbuzz.hb_version_atleast(4, 1, 0)):
        return "fontTools (fallback: libharfbuzz-subset missing or older than 4.1)"
    return "HarfBuzz subset (libharfbuzz-subset, HarfBuzz >= 4.1)"


class Command(BaseCommand):
    help = "Benchmark certificate PDF rendering: median and p95 ms, PDFs per second."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=200, help="Timed renders (default 200).")
        parser.add_argument("--warmup", type=int, default=5, help="Untimed renders first.")

    def handle(self, *args, count, warmup, **options):
        warnings = _Warnings()
        logging.getLogger("weasyprint").addHandler(warnings)
        try:
            for n in range(warmup):
                render_certificate_pdf(self.context(n))
            timings = []
            started = time.perf_counter()
            for n in range(count):
                before = time.perf_counter()
                pdf = render_certificate_pdf(self.context(warmup + n))
                timings.append((time.perf_counter() - before) * 1000)
            elapsed = time.perf_counter() - started
        finally:
            logging.getLogger("weasyprint").removeHandler(warnings)

        timings.sort()
        p95 = timings[max(0, round(0.95 * len(timings)) - 1)]
        self.stdout.write(f"certificate PDFs rendered: {count} (after {warmup} warm-up)")
        self.stdout.write(f"median: {statistics.median(timings):.1f} ms per PDF")
        self.stdout.write(f"p95:    {p95:.1f} ms per PDF")
        self.stdout.write(f"rate:   {count / elapsed:.1f} PDFs/s in one process")
        self.stdout.write(f"size:   {len(pdf) / 1024:.1f} KiB per PDF")
        self.stdout.write(f"font subsetting: {subsetting_path(warnings.messages)}")

    def context(self, n):
        """A different learner each time, so no render is a copy of the last."""
        code = f"CERT-2026-{n:08d}".translate(str.maketrans("01", "AB"))
        return {
            "code": code,
            "learner_name": f"Learner Number {n}",
            "course_title": "Data Visualisation Fundamentals",
            "specialist_name": "Sam Rivera",
            "issuer_name": "Courses",
            "completed_on": "14 March 2026",
            "verify_url": f"https://courses.example.com/c/{code}/",
        }
