"""Private files: lesson documents, caption tracks, handed-in work and session recordings.

A browser fetches a file with a plain GET (a link, a `<track src>`) that cannot
carry the API's bearer token, so the API hands out links signed by the server
instead, valid for `DOWNLOAD_LINK_MAX_AGE` seconds. A link names what it opens
(an enrollment's lesson document, a free preview's document, a submission's
file), and access is checked again when it is used: a learner who loses access
(a refund, an unpublished lesson) loses their links with it. A recording's link also
names the member it was given to, whose access is checked again.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.files import File
from wagtail.documents import get_document_model

from coursepages.catalog import published_courses
from learning.exceptions import ContentNotFound, LinkExpired
from learning.models import AssignmentSubmission, Enrollment, SessionRecording
from learning.selectors import COURSE_PATH_LENGTH, live_lessons, live_lessons_of
from learning.selectors.sessions import cohorts_with_sessions_for
from learning.services import require_open
from learning.services.recordings import recording_watchable

SALT = "learning.downloads"


@dataclass(frozen=True)
class Download:
    file: File | None
    filename: str
    redirect_url: str = ""  # a page elsewhere (a recording's link): the view redirects there


def lesson_document_token(document_id, *, enrollment_id, lesson_id) -> str:
    return signing.dumps(["lesson", enrollment_id, lesson_id, document_id], salt=SALT)


def preview_document_token(document_id, *, lesson_id) -> str:
    return signing.dumps(["preview", lesson_id, document_id], salt=SALT)


def submission_file_token(submission) -> str:
    return signing.dumps(["submission", submission.pk], salt=SALT)


def session_recording_token(recording, *, user) -> str:
    return signing.dumps(["recording", recording.session_id, user.pk], salt=SALT)


def download_for(token: str) -> Download:
    """The file a link opens, if the link is genuine, fresh and its holder still has access."""
    try:
        kind, *ids = signing.loads(token, salt=SALT, max_age=settings.DOWNLOAD_LINK_MAX_AGE)
    except signing.SignatureExpired:
        raise LinkExpired("This link has expired: reload the page it came from.") from None
    except (signing.BadSignature, ValueError):
        raise ContentNotFound("No such file.") from None
    if kind == "lesson":
        return _lesson_document(*ids)
    if kind == "preview":
        return _preview_document(*ids)
    if kind == "submission":
        return _submission_file(*ids)
    if kind == "recording":
        return _session_recording(*ids)
    raise ContentNotFound("No such file.")


def _document(document_id):
    document = get_document_model().objects.filter(pk=document_id).first()
    if document is None:
        raise ContentNotFound("This file has been removed.")
    return Download(file=document.file, filename=document.filename)


def _lesson_document(enrollment_id, lesson_id, document_id):
    enrollment = Enrollment.objects.select_related("course").filter(pk=enrollment_id).first()
    lesson = enrollment and live_lessons_of(enrollment.course).filter(pk=lesson_id).first()
    if lesson is None:
        raise ContentNotFound("This lesson is no longer available.")
    if not lesson.is_free_preview:
        require_open(enrollment=enrollment, lesson=lesson)
    return _document(document_id)


def _preview_document(lesson_id, document_id):
    lesson = live_lessons().filter(pk=lesson_id, is_free_preview=True).first()
    if (
        lesson is None
        or not published_courses().filter(path=lesson.path[:COURSE_PATH_LENGTH]).exists()
    ):
        raise ContentNotFound("This lesson is no longer available.")
    return _document(document_id)


def _submission_file(submission_id):
    submission = AssignmentSubmission.objects.filter(pk=submission_id).exclude(file="").first()
    if submission is None:
        raise ContentNotFound("This file has been removed.")
    return Download(file=submission.file, filename=submission.file.name.rsplit("/", 1)[-1])


def _session_recording(session_id, user_id):
    recording = (
        SessionRecording.objects.select_related("session").filter(session_id=session_id).first()
    )
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if (
        recording is None
        or user is None
        or not recording_watchable(recording)
        or not cohorts_with_sessions_for(user).filter(pk=recording.session.cohort_id).exists()
    ):
        raise ContentNotFound("This recording is not available.")
    if recording.source == SessionRecording.Source.URL:
        return Download(file=None, filename="", redirect_url=recording.url)
    return Download(file=recording.file, filename=recording.file.name.rsplit("/", 1)[-1])
