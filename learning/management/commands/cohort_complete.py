"""Process a cohort's end by hand, as the beat job does once its last session has been held."""

from django.core.management.base import BaseCommand, CommandError

from learning.exceptions import LearningError
from learning.models import Cohort
from learning.services.cohort_completion import cohort_complete


class Command(BaseCommand):
    help = (
        "Complete a cohort whose last scheduled session has been held, and each active "
        "learner in it whose certificate criteria hold. Running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("cohort", type=int, help="The cohort's id.")

    def handle(self, *args, **options):
        cohort = Cohort.objects.filter(pk=options["cohort"]).first()
        if cohort is None:
            raise CommandError(f"No cohort has the id {options['cohort']}.")
        try:
            completion = cohort_complete(cohort=cohort)
        except LearningError as error:
            raise CommandError(str(error)) from error
        if completion.already_done:
            self.stdout.write(f"{cohort} was already completed; nothing changed.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"{cohort} completed: {completion.completed} of {completion.checked} active "
                "learner(s) completed the course."
            )
        )
