"""A cohort's end: when its last scheduled session has been held, the cohort is completed and
each learner whose criteria hold completes, which issues their certificate through
certification's listener of `enrollment_completed`.

Ended: the cohort has scheduled (not cancelled) sessions and every one of them has ended, the
end instant itself included, as `learning.attendance` counts a session held. Open, closed and
already completed cohorts (a specialist may complete one by hand) end this way; drafts and
cancelled cohorts never do. The end is processed once per cohort (`Cohort.completed_at`);
learners whose criteria did not hold then complete later, when a grade, a lesson or an
attendance correction makes them hold (see `cohort_enrollments_recheck`).
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from learning.exceptions import CohortNotEnded
from learning.models import Cohort, CohortSession, Enrollment
from learning.services.eligibility import (
    enrollment_check_completion,
    enrollment_complete_if_eligible,
)

ENDING_STATUSES = (Cohort.Status.OPEN, Cohort.Status.CLOSED, Cohort.Status.COMPLETED)


@dataclass(frozen=True)
class CohortCompletion:
    cohort: Cohort
    checked: int  # active learners whose criteria were checked
    completed: int  # of them, those who completed now
    already_done: bool = False  # an earlier run processed this cohort's end


def cohort_sessions_all_held(cohort_id: int, now: datetime) -> bool:
    """Whether the cohort has scheduled sessions and every one has ended by `now`."""
    sessions = CohortSession.objects.filter(
        cohort_id=cohort_id, status=CohortSession.Status.SCHEDULED
    ).only("starts_at", "duration_minutes")
    ends = [session.ends_at for session in sessions]
    return bool(ends) and max(ends) <= now


def cohorts_ended(now: datetime) -> list[Cohort]:
    """Cohorts whose last session has been held and whose end is still to process."""
    not_started = CohortSession.objects.filter(
        status=CohortSession.Status.SCHEDULED, starts_at__gte=now
    ).values("cohort_id")
    candidates = (
        Cohort.objects.filter(
            status__in=ENDING_STATUSES,
            completed_at__isnull=True,
            sessions__status=CohortSession.Status.SCHEDULED,
        )
        .exclude(pk__in=not_started)
        .distinct()
        .order_by("pk")
    )
    return [cohort for cohort in candidates if cohort_sessions_all_held(cohort.pk, now)]


@transaction.atomic
def cohort_complete(*, cohort: Cohort) -> CohortCompletion:
    """Complete a cohort whose last session has been held, and every active learner in it whose
    criteria hold, in one transaction. Once: a repeat, or a run racing this one, waits for the
    cohort's lock, finds it processed and changes nothing."""
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    if cohort.completed_at is not None:
        return CohortCompletion(cohort=cohort, checked=0, completed=0, already_done=True)
    now = timezone.now()
    if cohort.status not in ENDING_STATUSES or not cohort_sessions_all_held(cohort.pk, now):
        raise CohortNotEnded(
            f"This cohort is {cohort.status} and completes once its last scheduled session "
            "has been held."
        )
    cohort.status = Cohort.Status.COMPLETED
    cohort.completed_at = now
    cohort.save(update_fields=["status", "completed_at"])
    learners = Enrollment.objects.filter(
        cohort=cohort, status=Enrollment.Status.ACTIVE, suspended_at__isnull=True
    ).order_by("pk")  # one lock order for every path that completes several: no deadlock
    checked = completed = 0
    for enrollment in learners:
        enrollment, _eligible, _criteria = enrollment_check_completion(enrollment)
        checked += 1
        completed += enrollment.status == Enrollment.Status.COMPLETED
    return CohortCompletion(cohort=cohort, checked=checked, completed=completed)


def cohorts_complete_ended() -> list[CohortCompletion]:
    """Beat: process the end of every cohort whose last session has been held."""
    return [cohort_complete(cohort=cohort) for cohort in cohorts_ended(timezone.now())]


def cohort_enrollments_recheck(*, cohort_id: int, enrollment_ids) -> None:
    """After attendance of the cohort changed: once every session has been held, the change
    may complete these learners; before that, attendance is not final and cannot."""
    if not cohort_sessions_all_held(cohort_id, timezone.now()):
        return
    learners = Enrollment.objects.filter(
        pk__in=enrollment_ids,
        cohort_id=cohort_id,
        status=Enrollment.Status.ACTIVE,
        suspended_at__isnull=True,
    ).order_by("pk")  # locked in the order cohort_complete locks them: no deadlock
    for enrollment in learners.select_related("course"):
        enrollment_complete_if_eligible(enrollment)
