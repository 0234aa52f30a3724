"""Rules of learning that a request can break; the API answers each with its own code."""

from accounts.exceptions import RuleError


class LearningError(RuleError):
    """Any rule of learning (commerce's and certification's extend it)."""


class AlreadyEnrolled(LearningError):
    code = "already_enrolled"
    title = "Already enrolled"

    def __init__(self, enrollment):
        self.enrollment = enrollment
        super().__init__(f"You already have an enrollment in this course ({enrollment.status}).")

    def extensions(self):
        return {"enrollment": self.enrollment.pk}


class EnrollmentClosed(LearningError):
    code = "enrollment_closed"
    title = "Enrollment closed"


class EnrollmentInactive(LearningError):
    code = "enrollment_inactive"
    title = "Enrollment does not give access"


class ContentNotFound(LearningError):
    code = "not_found"
    title = "Not found"


class AttemptsExhausted(LearningError):
    code = "attempts_exhausted"
    title = "No attempts left"


class InvalidInput(LearningError):
    """Answers, work or a grade that do not fit; `errors` maps fields to messages."""

    code = "invalid"
    title = "Invalid input"

    def __init__(self, errors):
        self.errors = errors
        super().__init__("One or more fields are invalid.")

    def extensions(self):
        return {"errors": self.errors}


class AlreadySubmitted(LearningError):
    code = "already_submitted"
    title = "Already handed in"


class NotEnrolled(LearningError):
    code = "not_enrolled"
    title = "Enrollment required"


class LessonLocked(LearningError):
    code = "lesson_locked"
    title = "Not open yet"

    def __init__(self, opens_at):
        self.opens_at = opens_at
        super().__init__(f"This lesson opens on {opens_at:%Y-%m-%d %H:%M} UTC.")

    def extensions(self):
        return {"opens_at": self.opens_at}


class LinkExpired(LearningError):
    code = "link_expired"
    title = "Link expired"


class EnrollmentStateConflict(LearningError):
    """A transition the enrollment's current state does not allow (e.g. reinstating a refund)."""

    code = "invalid_transition"
    title = "Not possible in this state"


class CohortFull(LearningError):
    """Every seat of the cohort is taken."""

    code = "cohort_full"
    title = "Cohort full"

    def __init__(self, *, waitlist: bool, detail="Every seat of this cohort is taken."):
        self.waitlist = waitlist
        super().__init__(detail)

    def extensions(self):
        return {"waitlist": self.waitlist}  # true: `POST cohorts/{id}/waitlist/` is open


class CapacityBelowSeatsTaken(LearningError):
    """A cohort's capacity cannot drop below the seats already taken."""

    code = "capacity_below_seats_taken"
    title = "Capacity below seats taken"


class SessionNotOpen(LearningError):
    """The join link works from 15 minutes before a session starts until it ends."""

    code = "session_not_open"
    title = "Session not open"

    def __init__(self, *, opens_at, closes_at):
        self.opens_at, self.closes_at = opens_at, closes_at
        super().__init__(
            f"This session can be joined from {opens_at:%Y-%m-%d %H:%M} UTC "
            f"until {closes_at:%Y-%m-%d %H:%M} UTC."
        )

    def extensions(self):
        return {"opens_at": self.opens_at, "closes_at": self.closes_at}


class SessionCancelled(LearningError):
    """A cancelled session cannot be joined, rescheduled or cancelled again."""

    code = "session_cancelled"
    title = "Session cancelled"


class MeetingLinkMissing(LearningError):
    code = "meeting_link_missing"
    title = "No meeting link yet"


class SessionOutsideCohort(LearningError):
    code = "session_outside_cohort"
    title = "Session outside the cohort's dates"


class SessionOverlap(LearningError):
    code = "session_overlap"
    title = "Overlapping sessions"

    def __init__(self, other):
        self.other = other
        super().__init__(f"This time overlaps the session “{other.title}” of the same cohort.")

    def extensions(self):
        return {"session": self.other.pk}


class SessionInPast(LearningError):
    code = "session_in_past"
    title = "Session in the past"


class SessionAlreadyStarted(LearningError):
    code = "session_started"
    title = "Session already started"


class CohortNotSchedulable(LearningError):
    """A cancelled or completed cohort takes no new sessions."""

    code = "cohort_not_schedulable"
    title = "Cohort takes no sessions"


class NotTeaching(LearningError):
    """Only a course's specialist (or a superuser) manages its cohorts."""

    code = "not_teaching"
    title = "Not your course"


class CohortStatusConflict(LearningError):
    """A status change the cohort's current status does not allow."""

    code = "invalid_transition"
    title = "Not possible in this state"


class CohortNotEnded(LearningError):
    """A cohort completes once its last scheduled session has been held, not before."""

    code = "cohort_not_ended"
    title = "Cohort not ended"


class CohortHasLearners(LearningError):
    """A cohort with live enrollments cannot be cancelled: they are transferred or refunded
    first, so nobody is left holding a seat in a batch that will not run."""

    code = "cohort_has_learners"
    title = "Cohort has learners"

    def __init__(self, enrollments):
        self.enrollments = enrollments
        super().__init__(
            f"{enrollments} learners hold a place in this cohort: transfer them to another "
            "cohort or refund them before cancelling it."
        )

    def extensions(self):
        return {"enrollments": self.enrollments}


class WaitlistClosed(LearningError):
    """The cohort takes no more names: not open, or its enrollment deadline has come."""

    code = "waitlist_closed"
    title = "Waitlist closed"


class SeatsAvailable(LearningError):
    """Only a full cohort has a waitlist: with seats left, the learner enrolls."""

    code = "seats_available"
    title = "Seats available"


class AlreadyOnWaitlist(LearningError):
    code = "already_on_waitlist"
    title = "Already on the waitlist"


class NotOnWaitlist(LearningError):
    code = "not_on_waitlist"
    title = "Not on the waitlist"


class NoOffer(LearningError):
    """The learner is still in line: no seat has been offered to them yet."""

    code = "no_offer"
    title = "No seat offered yet"


class OfferExpired(LearningError):
    code = "offer_expired"
    title = "Offer expired"

    def __init__(self, expired_at):
        self.expired_at = expired_at
        super().__init__(f"The offered seat was yours until {expired_at:%Y-%m-%d %H:%M:%S} UTC.")

    def extensions(self):
        return {"expired_at": self.expired_at}


class ZoomWebhookRefused(LearningError):
    code = "bad_signature"
    title = "Bad webhook signature"


class ZoomWebhooksNotConfigured(LearningError):
    """503, not 404: the route exists and is documented; what is missing is the server's own
    secret, a server-side fault that monitoring should show as one. Zoom retries it either way."""

    code = "zoom_webhooks_not_configured"
    title = "Zoom webhooks are not configured"

    def __init__(self):
        super().__init__("ZOOM_WEBHOOK_SECRET_TOKEN is not set on this server.")


class SessionNotEnded(LearningError):
    """A recording is attached once its session is over, and learners watch it from then."""

    code = "session_not_ended"
    title = "Session not ended"

    def __init__(self, ends_at):
        self.ends_at = ends_at
        super().__init__(f"This session ends at {ends_at:%Y-%m-%d %H:%M} UTC.")

    def extensions(self):
        return {"ends_at": self.ends_at}


class UnmatchedParticipantClosed(LearningError):
    """A participant already resolved to a learner (or dismissed) is not assigned again: the
    learner's attendance is corrected through the attendance grid or API instead."""

    code = "unmatched_closed"
    title = "Participant already handled"
