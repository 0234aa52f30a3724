"""Session recordings: attached by the specialist teaching the cohort (an upload or an https
link) or downloaded from Zoom's cloud recording, watched by the cohort's members through
signed links once the session has ended, and announced to its learners once.

Rules, each decided here:
- A recording is attached once the session has ended (409 `session_not_ended` before, 409
  `session_cancelled` for a cancelled one): there is nothing to record before.
- Attaching replaces the session's recording, Zoom's included; Zoom's never replaces one the
  specialist attached (a `recording.completed` for a session that has a recording is ignored).
- The learners are told when the session first has a recording to watch; replacing it does
  not tell them again (deleting it and attaching another does: that is a new recording).
- Members watch only an available recording of an ended session. A Zoom meeting that ends
  before the session's scheduled end may have its recording downloaded (and the learners
  told) a little before then; the link works from the scheduled end.
"""

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from learning.exceptions import (
    ContentNotFound,
    InvalidInput,
    NotTeaching,
    SessionCancelled,
    SessionNotEnded,
)
from learning.links import session_recording_url
from learning.meetings.zoom_recordings import (
    zoom_recording_fetch,
    zoom_recording_file,
    zoom_recording_seconds,
)
from learning.models import CohortSession, Notification, SessionRecording, ZoomEvent
from learning.selectors.cohorts import cohorts_managed_by
from learning.selectors.sessions import member_enrollments_of
from learning.services.notifications import notify_many

logger = logging.getLogger(__name__)

Source, Status = SessionRecording.Source, SessionRecording.Status

# Video types a specialist may upload, the extension we store them under, and how their
# first bytes look (an ISO media `ftyp` box for MP4 and QuickTime, the EBML magic for WebM).
VIDEO_TYPES = {
    "video/mp4": (".mp4", lambda head: head[4:8] == b"ftyp"),
    "video/quicktime": (".mov", lambda head: head[4:8] == b"ftyp"),
    "video/webm": (".webm", lambda head: head[:4] == b"\x1a\x45\xdf\xa3"),
}
https_only = URLValidator(schemes=["https"])


def recording_watchable(recording: SessionRecording) -> bool:
    """Whether members may watch it: downloaded or attached, and its session over."""
    return recording.status == Status.AVAILABLE and recording.session.ends_at <= timezone.now()


def _storage():
    return SessionRecording._meta.get_field("file").storage


def _stored_name(session: CohortSession, extension: str) -> str:
    field = SessionRecording._meta.get_field("file")
    return field.generate_filename(None, f"session-{session.pk}{extension}")


def _require_teaches(session: CohortSession, user) -> None:
    if not cohorts_managed_by(user).filter(pk=session.cohort_id).exists():
        raise NotTeaching("Only the specialist teaching this cohort manages its recordings.")


def _require_held(session: CohortSession) -> None:
    if session.status == CohortSession.Status.CANCELLED:
        raise SessionCancelled("This session was cancelled: it has no recording.")
    if timezone.now() < session.ends_at:
        raise SessionNotEnded(session.ends_at)


# Room for a multipart body's boundaries and other fields around the file.
MULTIPART_OVERHEAD_BYTES = 64 * 1024


def require_recording_size(size: int, *, overhead: int = 0) -> None:
    """An upload of `size` bytes (plus `overhead`, for a whole request body) fits the cap."""
    if size > settings.RECORDING_MAX_UPLOAD_MB * 1024 * 1024 + overhead:
        raise InvalidInput(
            {"file": [f"Recordings can be at most {settings.RECORDING_MAX_UPLOAD_MB} MB."]}
        )


def _require_video(file) -> str:
    """The upload's content type, if it is a video we accept within the size cap."""
    content_type = (getattr(file, "content_type", "") or "").lower()
    if content_type not in VIDEO_TYPES:
        allowed = ", ".join(VIDEO_TYPES)
        raise InvalidInput({"file": [f"Upload a video of one of these types: {allowed}."]})
    require_recording_size(file.size)
    file.seek(0)
    head = file.read(12)
    file.seek(0)
    if not VIDEO_TYPES[content_type][1](head):
        raise InvalidInput({"file": [f"This file is not a {content_type} video."]})
    return content_type


def _require_one_source(file, url) -> None:
    if bool(file) == bool(url):
        raise InvalidInput(
            {"non_field_errors": ["Attach exactly one of: a video file, or an https url."]}
        )
    if url:
        try:
            https_only(url)
        except ValidationError:
            raise InvalidInput({"url": ["Give an https:// address."]}) from None


def _tell_learners_once(recording: SessionRecording) -> None:
    if recording.learners_notified_at is not None:
        return
    recording.learners_notified_at = timezone.now()
    recording.save(update_fields=["learners_notified_at"])
    session = recording.session
    link = session_recording_url(session)
    notify_many(
        [
            Notification(
                user=enrollment.learner,
                kind=Notification.Kind.RECORDING_AVAILABLE,
                title=f"Recording available: {session.title}",
                body=f"The recording of “{session.title}” is ready to watch.",
                enrollment=enrollment,
                link=link,
            )
            for enrollment in member_enrollments_of(session.cohort).select_related("learner")
        ]
    )


def _delete_after_commit(name: str) -> None:
    if name:
        transaction.on_commit(lambda: _storage().delete(name))


def session_recording_attach(
    *,
    session: CohortSession,
    by,
    file=None,
    url: str = "",
    duration_seconds: int | None = None,
) -> SessionRecording:
    """Attach the recording of an ended session, an uploaded video or an https link (the
    specialist teaching it), replacing any other; the learners are told the first time."""
    _require_teaches(session, by)
    _require_one_source(file, url)
    content_type = _require_video(file) if file else ""
    _require_held(session)  # before storing a large file for nothing
    stored = ""
    if file:
        stored = _storage().save(_stored_name(session, VIDEO_TYPES[content_type][0]), file)
    try:
        return _attach(
            session,
            by=by,
            stored=stored,
            size=file.size if file else None,
            content_type=content_type,
            url=url,
            duration_seconds=duration_seconds,
        )
    except BaseException:
        if stored:
            _storage().delete(stored)
        raise


@transaction.atomic
def _attach(session, *, by, stored, size, content_type, url, duration_seconds):
    session = CohortSession.objects.select_for_update().select_related("cohort").get(pk=session.pk)
    _require_held(session)
    recording = (
        SessionRecording.objects.select_for_update().filter(session=session).first()
        or SessionRecording()
    )
    recording.session = session  # the locked row, with its cohort
    _delete_after_commit(recording.file.name)
    now = timezone.now()
    recording.source = Source.UPLOAD if stored else Source.URL
    recording.status = Status.AVAILABLE
    recording.error = ""
    recording.file.name = stored
    recording.url = url
    recording.size_bytes = size
    recording.content_type = content_type
    recording.duration_seconds = duration_seconds
    recording.zoom_event = None
    recording.attached_by = by
    recording.attached_at = now
    recording.available_at = now
    recording.full_clean(validate_unique=False)
    recording.save()
    _tell_learners_once(recording)
    return recording


@transaction.atomic
def session_recording_delete(*, session: CohortSession, by) -> None:
    """Remove the session's recording and its file (the specialist teaching it)."""
    _require_teaches(session, by)
    recording = SessionRecording.objects.select_for_update().filter(session=session).first()
    if recording is None:
        raise ContentNotFound("This session has no recording.")
    _delete_after_commit(recording.file.name)
    recording.delete()


def _recording_files(event: dict):
    payload = event.get("payload")
    obj = payload.get("object") if isinstance(payload, dict) else None
    return obj.get("recording_files") if isinstance(obj, dict) else None


def zoom_recording_queue(
    *, zoom_event: ZoomEvent, session: CohortSession
) -> SessionRecording | None:
    """On Zoom's `recording.completed`: the session's recording, to be downloaded by a task,
    unless the session has one already (the specialist's, or Zoom's from an earlier event)."""
    session = CohortSession.objects.select_for_update().get(pk=session.pk)
    if SessionRecording.objects.filter(session=session).exists():
        logger.info("Session %s has a recording already; Zoom's is not downloaded", session.pk)
        return None
    chosen = zoom_recording_file(_recording_files(zoom_event.payload))
    file_size = chosen.get("file_size") if chosen else None
    recording = SessionRecording.objects.create(
        session=session,
        source=Source.ZOOM,
        status=Status.DOWNLOADING if chosen else Status.FAILED,
        error="" if chosen else "Zoom's recording has no MP4 file.",
        zoom_event=zoom_event,
        attached_at=timezone.now(),
        duration_seconds=zoom_recording_seconds(chosen) if chosen else None,
        size_bytes=file_size if isinstance(file_size, int) else None,
        content_type="video/mp4",
    )
    if chosen:
        # robust: as for the webhook's own task, a broker that is down must not undo the
        # processing of the event; the specialist sees the recording still downloading.
        transaction.on_commit(lambda: _queue_download(recording.pk), robust=True)
    return recording


def _queue_download(recording_id):
    from learning.tasks import download_zoom_recording  # tasks import the services

    download_zoom_recording.delay(recording_id)


def _waiting(recording_id, zoom_event_id=None):
    waiting = SessionRecording.objects.filter(
        pk=recording_id, source=Source.ZOOM, status=Status.DOWNLOADING
    )
    return waiting.filter(zoom_event_id=zoom_event_id) if zoom_event_id else waiting


def zoom_recording_download(*, recording_id: int) -> SessionRecording | None:
    """Download a Zoom recording into our storage and make it available; None when it no
    longer waits for this download (replaced or removed meanwhile). Raises
    RecordingDownloadError when Zoom does not hand it over."""
    recording = _waiting(recording_id).select_related("zoom_event", "session").first()
    if recording is None or recording.zoom_event is None:
        return None
    event = recording.zoom_event.payload
    chosen = zoom_recording_file(_recording_files(event))
    token = event.get("download_token")  # top level, beside "payload"
    stored, size = zoom_recording_fetch(
        url=chosen["download_url"],
        token=token if isinstance(token, str) else "",
        storage=_storage(),
        name=_stored_name(recording.session, ".mp4"),
    )
    with transaction.atomic():
        recording = (
            _waiting(recording_id, recording.zoom_event_id)
            .select_for_update()
            .select_related("session__cohort")
            .first()
        )
        if recording is None:
            _delete_after_commit(stored)
            return None
        recording.file.name = stored
        recording.size_bytes = size
        recording.status = Status.AVAILABLE
        recording.available_at = timezone.now()
        recording.save(update_fields=["file", "size_bytes", "status", "available_at"])
        _tell_learners_once(recording)
    return recording


def zoom_recording_fail(*, recording_id: int, error: str) -> None:
    """Give up on a Zoom download: the specialist sees why and may attach the file by hand."""
    _waiting(recording_id).update(status=Status.FAILED, error=error[:2000])
