"""Render stored certificate PDFs again, e.g. after a change to the certificate template."""

from django.core.management.base import BaseCommand, CommandError

from certification.models import Certificate
from certification.services import certificate_render_pdf


class Command(BaseCommand):
    help = (
        "Re-render certificate PDFs from their snapshots. Choose --all, or narrow with "
        "--course, --code or --missing; --dry-run only counts."
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Every valid certificate.")
        parser.add_argument("--course", type=int, help="Only this course's (page id).")
        parser.add_argument("--code", action="append", help="Only this code (repeatable).")
        parser.add_argument("--missing", action="store_true", help="Only those without a PDF.")
        parser.add_argument("--dry-run", action="store_true", help="Count, render nothing.")

    def handle(self, *args, **options):
        if not (options["all"] or options["course"] or options["code"] or options["missing"]):
            raise CommandError("Say which: --all, --course ID, --code CODE or --missing.")
        certificates = Certificate.objects.filter(status=Certificate.Status.VALID).order_by("pk")
        if options["course"]:
            certificates = certificates.filter(course_id=options["course"])
        if options["code"]:
            certificates = certificates.filter(code__in=[c.upper() for c in options["code"]])
        if options["missing"]:
            certificates = certificates.filter(pdf="")
        total = certificates.count()
        if options["dry_run"] or not total:
            self.stdout.write(f"{total} certificate(s) would be rendered.")
            return
        for done, certificate in enumerate(certificates.iterator(chunk_size=200), start=1):
            certificate_render_pdf(certificate=certificate)
            self.progress(done, total)
        self.stdout.write(self.style.SUCCESS(f"Rendered {total} certificate PDF(s)."))

    def progress(self, done, total, width=30):
        filled = width * done // total
        self.stdout.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}", ending="")
        if done == total:
            self.stdout.write("")
        self.stdout.flush()
