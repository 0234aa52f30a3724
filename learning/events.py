"""What learning announces; other apps (commerce, certification, notifications) listen.

Learning imports none of them: it sends these signals and carries on.
"""

from django.dispatch import Signal

# sender=Enrollment, enrollment=<Enrollment>: a learner enrolled (free: active at once; paid:
# pending payment).
enrollment_created = Signal()

# sender=Enrollment, enrollment=<Enrollment>: the learner now has access.
enrollment_activated = Signal()

# sender=AssignmentSubmission, submission=<AssignmentSubmission>: a grade was given.
submission_graded = Signal()

# sender=Enrollment, enrollment=<Enrollment>: every certificate criterion holds.
enrollment_completed = Signal()

# sender=Enrollment, enrollment=<Enrollment>: access ended by a refund; certificates
# of this enrollment must stop being valid.
enrollment_refunded = Signal()

# sender=CohortSession, session=<CohortSession>: a live session was scheduled, moved (its
# time changed) or cancelled.
session_scheduled = Signal()
session_rescheduled = Signal()
session_cancelled = Signal()

# sender=AttendanceRecord, record=<AttendanceRecord>: a learner's attendance at a session was
# recorded or corrected (by the specialist, or from the meeting provider's report).
attendance_recorded = Signal()


def announce(signal: Signal, *, sender, **kwargs):
    """Send now, inside the caller's transaction: receivers that change data commit or roll
    back with the change; receivers that leave the process must queue with
    transaction.on_commit. A receiver's error is the sender's error: it is not swallowed."""
    return signal.send(sender=sender, **kwargs)
