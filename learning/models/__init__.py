"""Who is enrolled in what, and how far they have got: one module per concept."""

from learning.models.assignments import AssignmentSubmission
from learning.models.attendance import AttendanceChange, AttendanceRecord
from learning.models.calendars import CalendarFeedKey
from learning.models.cohorts import Cohort, MeetingProviderName
from learning.models.enrollments import Enrollment
from learning.models.meet import MeetParticipantSession
from learning.models.notifications import Notification
from learning.models.progress import LessonCompletion
from learning.models.quizzes import QuizAttempt
from learning.models.recordings import SessionRecording
from learning.models.reminders import SessionReminder
from learning.models.reviews import CourseReview
from learning.models.sessions import CohortSession, MeetingSyncState, SessionJoin
from learning.models.waitlist import WaitlistEntry
from learning.models.zoom import (
    UnmatchedParticipant,
    ZoomEvent,
    ZoomMeeting,
    ZoomParticipantEvent,
    ZoomRegistrant,
)

__all__ = [
    "AssignmentSubmission",
    "AttendanceChange",
    "AttendanceRecord",
    "Cohort",
    "CohortSession",
    "CourseReview",
    "Enrollment",
    "LessonCompletion",
    "MeetParticipantSession",
    "MeetingProviderName",
    "MeetingSyncState",
    "Notification",
    "QuizAttempt",
    "CalendarFeedKey",
    "SessionReminder",
    "SessionJoin",
    "SessionRecording",
    "UnmatchedParticipant",
    "WaitlistEntry",
    "ZoomEvent",
    "ZoomMeeting",
    "ZoomParticipantEvent",
    "ZoomRegistrant",
]
