"""Shared by the tests of cohort sessions: members of a cohort, a clock that stands still."""

from django.utils import timezone

from learning.models import Enrollment
from tests.factories import UserFactory


def member_of(cohort, *, learner=None, status=Enrollment.Status.ACTIVE, **fields):
    """An enrollment of a learner in the cohort, in the given state (active by default)."""
    return Enrollment.objects.create(
        learner=learner or UserFactory(),
        course=cohort.course,
        cohort=cohort,
        status=status,
        activated_at=timezone.now(),
        **fields,
    )


def freeze(monkeypatch, instant):
    """Make `timezone.now()` answer `instant` for the rest of the test."""
    monkeypatch.setattr(timezone, "now", lambda: instant)
