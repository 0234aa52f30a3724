"""Zoom: one recurring meeting per cohort, each learner a registrant with their own join URL.

The platform's Zoom account reaches the API with a Server-to-Server OAuth app
(`account_credentials` grant); its token is cached for its lifetime less a minute, and a
401 fetches a fresh one once. The cohort's meeting is of type 8 (recurring, fixed time)
because Zoom offers registration only on fixed-time meetings: type 3 (no fixed time) would
leave us without registrants, so without identity. It is created with Zoom's largest
series (50 daily occurrences from the cohort's next session); each session takes the
occurrence that starts when it does, else the earliest free one moved to its time, so a
session added later still finds one. Occurrences no session holds are never announced
(Zoom's own e-mails are off; learners only see our join URL).

Attendance: after a session, its meeting instance's participants report is read and stored
as join/leave rows beside the webhooks' (`ZoomParticipantEvent`, keyed so a second pull adds
nothing), and `zoom_attendance_compute` maps them to learners by identity (research §1.3).
"""

import hashlib
import logging
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import httpx
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from accounts.names import display_name
from learning.meetings.base import MeetingProviderError
from learning.models import (
    CohortSession,
    Enrollment,
    MeetingProviderName,
    ZoomMeeting,
    ZoomParticipantEvent,
    ZoomRegistrant,
)

logger = logging.getLogger(__name__)

TOKEN_CACHE_KEY = "zoom:access-token"
# A cached token is not used in its last minute: a call made with it could arrive expired.
TOKEN_MARGIN = timedelta(seconds=60)
MEETING_TYPE_RECURRING_FIXED_TIME = 8
RECURRENCE_DAILY = 1
MOST_OCCURRENCES = 50  # Zoom's limit for `end_times`
REPORT_PAGE_SIZE = 300


def zoom_time(instant: datetime) -> str:
    """An instant as Zoom reads it: UTC, to the second, with a Z."""
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def meeting_uuid_in_path(uuid: str) -> str:
    """A meeting instance's uuid as a path segment: Zoom wants it encoded twice when it
    starts with / or holds //, once otherwise."""
    once = quote(uuid, safe="")
    return quote(once, safe="") if uuid.startswith("/") or "//" in uuid else once


def _refusal(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        body = {}
    message = body.get("message") if isinstance(body, dict) else None
    return f"{response.status_code} {message or response.reason_phrase}".strip().rstrip(".")


class ZoomClient:
    """Zoom's REST API with the platform account's Server-to-Server OAuth token."""

    def __init__(self):
        self.api_base = settings.ZOOM_API_BASE.rstrip("/")
        self.timeout = settings.ZOOM_HTTP_TIMEOUT_SECONDS

    def _send(self, method, url, **kwargs) -> httpx.Response:
        try:
            return httpx.request(method, url, timeout=self.timeout, **kwargs)
        except httpx.TimeoutException:
            raise MeetingProviderError("Zoom did not answer in time; try again later.") from None
        except httpx.HTTPError as error:
            raise MeetingProviderError(f"Zoom could not be reached ({error}).") from None

    def _token(self, *, fresh: bool = False) -> str:
        cached = None if fresh else cache.get(TOKEN_CACHE_KEY)
        if cached and timezone.now() < cached["expires_at"] - TOKEN_MARGIN:
            return cached["access_token"]
        response = self._send(
            "POST",
            settings.ZOOM_OAUTH_BASE.rstrip("/") + "/oauth/token",
            params={"grant_type": "account_credentials", "account_id": settings.ZOOM_ACCOUNT_ID},
            auth=(settings.ZOOM_CLIENT_ID, settings.ZOOM_CLIENT_SECRET),
        )
        if response.status_code != 200:
            raise MeetingProviderError(
                f"Zoom refused the platform's credentials: {_refusal(response)}."
            )
        body = response.json()
        lifetime = timedelta(seconds=int(body.get("expires_in", 3600)))
        cache.set(
            TOKEN_CACHE_KEY,
            {"access_token": body["access_token"], "expires_at": timezone.now() + lifetime},
            timeout=int(lifetime.total_seconds()),
        )
        return body["access_token"]

    def call(self, method: str, path: str, *, params=None, body=None, missing_ok=False):
        """Zoom's JSON answer to one API call (None for 204, and for 404 when `missing_ok`);
        a refusal or an outage raises `MeetingProviderError` with Zoom's message."""
        for fresh in (False, True):
            response = self._send(
                method,
                self.api_base + path,
                params=params,
                json=body,
                headers={"Authorization": f"Bearer {self._token(fresh=fresh)}"},
            )
            if response.status_code != 401:
                break
        if response.status_code == 404 and missing_ok:
            return None
        if response.status_code >= 400:
            raise MeetingProviderError(f"Zoom refused {method} {path}: {_refusal(response)}.")
        return response.json() if response.content else None


class ZoomProvider:
    name = MeetingProviderName.ZOOM
    label = "Zoom"

    def __init__(self):
        self.client = ZoomClient()

    def is_configured(self) -> bool:
        return bool(
            settings.ZOOM_ACCOUNT_ID and settings.ZOOM_CLIENT_ID and settings.ZOOM_CLIENT_SECRET
        )

    # Sessions → occurrences of the cohort's meeting

    def _meeting_create(self, session) -> tuple[ZoomMeeting, list[dict]]:
        cohort = session.cohort
        first = (
            CohortSession.objects.filter(
                cohort=cohort, status=CohortSession.Status.SCHEDULED, starts_at__gt=timezone.now()
            )
            .order_by("starts_at")
            .first()
            or session
        )
        created = self.client.call(
            "POST",
            f"/users/{quote(settings.ZOOM_HOST_USER, safe='@.')}/meetings",
            body={
                "topic": f"{cohort.course.title} – {cohort.name}"[:200],
                "type": MEETING_TYPE_RECURRING_FIXED_TIME,
                "start_time": zoom_time(first.starts_at),
                "timezone": cohort.timezone,
                "duration": first.duration_minutes,
                "recurrence": {
                    "type": RECURRENCE_DAILY,
                    "repeat_interval": 1,
                    "end_times": MOST_OCCURRENCES,
                },
                "settings": {
                    "approval_type": 0,  # registrants we add are approved at once
                    "registration_type": 1,  # register once, attend every occurrence
                    "registrants_email_notification": False,
                    "registrants_confirmation_email": False,
                    "join_before_host": False,
                    "waiting_room": False,
                    "meeting_authentication": False,
                    "auto_recording": "cloud",
                },
            },
        )
        meeting = ZoomMeeting.objects.create(
            cohort=cohort, meeting_id=str(created["id"]), join_url=created.get("join_url", "")
        )
        return meeting, created.get("occurrences") or []

    def _occurrences(self, meeting) -> list[dict]:
        found = self.client.call("GET", f"/meetings/{meeting.meeting_id}")
        return found.get("occurrences") or []

    def _free_occurrence(self, session, occurrences) -> dict:
        """The occurrence starting when the session does, else the earliest no session holds."""
        taken = set(
            CohortSession.objects.filter(cohort_id=session.cohort_id)
            .exclude(pk=session.pk)
            .exclude(zoom_occurrence_id="")
            .values_list("zoom_occurrence_id", flat=True)
        )
        free = sorted(
            (
                occurrence
                for occurrence in occurrences
                if occurrence.get("status") != "deleted"
                and str(occurrence["occurrence_id"]) not in taken
            ),
            key=lambda occurrence: occurrence["start_time"],
        )
        if not free:
            raise MeetingProviderError(
                f"The cohort's Zoom meeting has no free occurrence left (Zoom allows "
                f"{MOST_OCCURRENCES}); hold this session on another provider."
            )
        same_start = [o for o in free if _parse_time(o["start_time"]) == session.starts_at]
        return (same_start or free)[0]

    def session_sync(self, session) -> None:
        meeting = ZoomMeeting.objects.filter(cohort_id=session.cohort_id).first()
        moved_away = session.provider_name != MeetingProviderName.ZOOM
        if session.status == CohortSession.Status.CANCELLED or moved_away:
            if meeting and session.zoom_occurrence_id:
                self.client.call(
                    "DELETE",
                    f"/meetings/{meeting.meeting_id}",
                    params={"occurrence_id": session.zoom_occurrence_id},
                    missing_ok=True,
                )
            if moved_away:  # Zoom's participants no longer map to it; a move back takes a new one
                CohortSession.objects.filter(pk=session.pk).update(
                    zoom_meeting_id="", zoom_occurrence_id=""
                )
                session.zoom_meeting_id = session.zoom_occurrence_id = ""
            return
        occurrence = None
        if meeting is None:
            meeting, occurrences = self._meeting_create(session)
            occurrence = self._free_occurrence(session, occurrences)
        elif not session.zoom_occurrence_id:
            occurrence = self._free_occurrence(session, self._occurrences(meeting))
        occurrence_id = (
            str(occurrence["occurrence_id"]) if occurrence else session.zoom_occurrence_id
        )
        # Saved before the time is set: a failure below leaves the occurrence held by this
        # session, and the retry moves it.
        CohortSession.objects.filter(pk=session.pk).update(
            zoom_meeting_id=meeting.meeting_id, zoom_occurrence_id=occurrence_id
        )
        session.zoom_meeting_id, session.zoom_occurrence_id = meeting.meeting_id, occurrence_id
        if occurrence and (
            _parse_time(occurrence["start_time"]) == session.starts_at
            and occurrence.get("duration") == session.duration_minutes
        ):
            return
        self.client.call(
            "PATCH",
            f"/meetings/{meeting.meeting_id}",
            params={"occurrence_id": occurrence_id},
            body={
                "start_time": zoom_time(session.starts_at),
                "duration": session.duration_minutes,
                "timezone": session.cohort.timezone,
            },
        )

    # Learners → registrants

    def member_sync(self, *, session, enrollment) -> None:
        meeting = ZoomMeeting.objects.filter(cohort_id=session.cohort_id).first()
        if meeting is None:
            return  # the session's own sync registers everyone once the meeting exists
        registrant = ZoomRegistrant.objects.filter(
            cohort_id=session.cohort_id, enrollment=enrollment
        ).first()
        holds_place = (
            enrollment.cohort_id == session.cohort_id
            and enrollment.status in Enrollment.ACCESS_STATUSES
        )
        if holds_place and registrant is None:
            learner = enrollment.learner
            added = self.client.call(
                "POST",
                f"/meetings/{meeting.meeting_id}/registrants",
                body={
                    "email": learner.email,
                    "first_name": (learner.first_name or display_name(learner))[:64],
                    "last_name": learner.last_name[:64],
                    "auto_approve": True,
                },
            )
            ZoomRegistrant.objects.update_or_create(
                registrant_id=added["registrant_id"],
                defaults={
                    "cohort_id": session.cohort_id,
                    "enrollment": enrollment,
                    "join_url": added.get("join_url", ""),
                },
            )
        elif registrant is not None and not holds_place:
            self.client.call(
                "PUT",
                f"/meetings/{meeting.meeting_id}/registrants/status",
                body={
                    "action": "cancel",
                    "registrants": [
                        {"id": registrant.registrant_id, "email": enrollment.learner.email}
                    ],
                },
                missing_ok=True,
            )
            registrant.delete()

    def join_url(self, *, session, enrollment) -> str:
        if enrollment is None:
            meeting = ZoomMeeting.objects.filter(cohort_id=session.cohort_id).first()
            return meeting.join_url if meeting else ""
        registrant = ZoomRegistrant.objects.filter(
            cohort_id=session.cohort_id, enrollment=enrollment
        ).first()
        return registrant.join_url if registrant else ""

    # Attendance from the participants report

    def _instances_of(self, session) -> list[str]:
        """The uuids of the meeting's past instances held for this session."""
        from learning.services.zoom_attendance import session_for_meeting  # it imports models

        found = self.client.call(
            "GET", f"/past_meetings/{session.zoom_meeting_id}/instances", missing_ok=True
        )
        return [
            instance["uuid"]
            for instance in (found or {}).get("meetings") or []
            if instance.get("uuid")
            and instance.get("start_time")
            and session_for_meeting(
                meeting_id=session.zoom_meeting_id, at=_parse_time(instance["start_time"])
            )
            == session
        ]

    def _report_rows(self, uuid: str) -> list[dict]:
        rows, params = [], {"page_size": REPORT_PAGE_SIZE, "include_fields": "registrant_id"}
        while True:
            page = self.client.call(
                "GET",
                f"/report/meetings/{meeting_uuid_in_path(uuid)}/participants",
                params=params,
                missing_ok=True,
            )
            if page is None:
                return rows
            rows.extend(page.get("participants") or [])
            if not page.get("next_page_token"):
                return rows
            params = {**params, "next_page_token": page["next_page_token"]}

    def attendance_pull(self, session) -> None:
        from learning.services.zoom_attendance import zoom_attendance_compute

        if not session.zoom_meeting_id:
            return
        events = []
        for uuid in self._instances_of(session):
            for row in self._report_rows(uuid):
                events.extend(_report_events(session.zoom_meeting_id, uuid, row))
        with transaction.atomic():
            ZoomParticipantEvent.objects.bulk_create(events, ignore_conflicts=True)
            zoom_attendance_compute(session=session)


def _report_events(meeting_id: str, uuid: str, row: dict) -> list[ZoomParticipantEvent]:
    """A report row (one connection) as a join and a leave; waiting-room time is not
    attendance."""
    if row.get("status") == "in_waiting_room":
        return []
    participant = str(row.get("user_id") or row.get("id") or "")
    events = []
    for kind, field in (
        (ZoomParticipantEvent.Kind.JOINED, "join_time"),
        (ZoomParticipantEvent.Kind.LEFT, "leave_time"),
    ):
        if not row.get(field):
            continue
        key = "\x1f".join(("report", uuid, participant, row[field], kind))
        events.append(
            ZoomParticipantEvent(
                report_key=hashlib.sha256(key.encode()).hexdigest(),
                kind=kind,
                meeting_id=meeting_id,
                meeting_uuid=uuid,
                participant_uuid=row.get("participant_uuid") or "",
                participant_user_id=participant,
                registrant_id=row.get("registrant_id") or "",
                email=row.get("user_email") or "",
                name=(row.get("name") or "")[:200],
                occurred_at=_parse_time(row[field]),
            )
        )
    return events
