"""Zoom cloud recordings: which file of a `recording.completed` event we keep, and its download.

Zoom lists one file per view and format (research/cohorts.md §1.2); we keep one MP4, the
shared screen with the speaker when there is one. The event's `download_token` (valid for
24 hours) authorises the download as a bearer token; the file is streamed to a temporary
file, then stored in our media storage, so watching it never depends on Zoom.
"""

import tempfile
from datetime import datetime
from urllib.parse import urlsplit

import httpx
from django.core.files import File

# The views we would rather show, best first; any other MP4 comes after them.
PREFERRED_VIEWS = (
    "shared_screen_with_speaker_view",
    "shared_screen_with_speaker_view(CC)",
    "speaker_view",
    "active_speaker",
    "shared_screen_with_gallery_view",
    "gallery_view",
    "shared_screen",
)
CHUNK_BYTES = 1024 * 1024
TIMEOUT = httpx.Timeout(30.0, read=120.0)


class RecordingDownloadError(Exception):
    """Zoom did not hand over the file; `transient` when trying again later may work."""

    def __init__(self, message: str, *, transient: bool):
        self.transient = transient
        super().__init__(message)


def zoom_recording_file(recording_files) -> dict | None:
    """The MP4 to keep from an event's `recording_files`, or None when it lists none."""
    if not isinstance(recording_files, list):
        return None
    mp4s = [
        entry
        for entry in recording_files
        if isinstance(entry, dict)
        and str(entry.get("file_type", "")).upper() == "MP4"
        and isinstance(entry.get("download_url"), str)
    ]

    def rank(entry):
        view = entry.get("recording_type")
        return PREFERRED_VIEWS.index(view) if view in PREFERRED_VIEWS else len(PREFERRED_VIEWS)

    return min(mp4s, key=rank, default=None)


def zoom_recording_seconds(entry: dict) -> int | None:
    """The length of a recording file from its start and end, if Zoom gave both."""
    try:
        start, end = (
            datetime.fromisoformat(entry[key].replace("Z", "+00:00"))
            for key in ("recording_start", "recording_end")
        )
    except (KeyError, AttributeError, ValueError):
        return None
    return max(int((end - start).total_seconds()), 0)


def _is_zoom_address(url: str) -> bool:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    return parts.scheme == "https" and (host == "zoom.us" or host.endswith(".zoom.us"))


def zoom_recording_fetch(*, url: str, token: str, storage, name: str) -> tuple[str, int]:
    """Stream a recording file from Zoom into `storage` under `name`: the stored name, the size.
    Never call it inside a database transaction: it holds none while the bytes flow."""
    if not _is_zoom_address(url):
        raise RecordingDownloadError(f"Not a Zoom download address: {url}", transient=False)
    if not token:
        raise RecordingDownloadError("The event carries no download token.", transient=False)
    with tempfile.TemporaryFile() as buffer:
        try:
            with httpx.stream(
                "GET",
                url,
                headers={"Authorization": f"Bearer {token}"},
                follow_redirects=True,  # to Zoom's file host; httpx drops the token there
                timeout=TIMEOUT,
            ) as response:
                if response.status_code != 200:
                    raise RecordingDownloadError(
                        f"Zoom answered {response.status_code} to the download.",
                        # A refused or expired token stays refused; Zoom's own faults pass.
                        transient=response.status_code >= 500 or response.status_code == 429,
                    )
                for chunk in response.iter_bytes(CHUNK_BYTES):
                    buffer.write(chunk)
        except httpx.HTTPError as error:
            raise RecordingDownloadError(
                f"The download from Zoom broke off: {error}", transient=True
            ) from error
        size = buffer.tell()
        if size == 0:
            raise RecordingDownloadError("Zoom sent an empty file.", transient=True)
        buffer.seek(0)
        return storage.save(name, File(buffer)), size
