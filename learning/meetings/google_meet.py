"""Google Meet: one Calendar event with its own Meet link per session, on the primary calendar
of the specialist teaching the cohort, and attendance read afterwards from the Meet REST API.

A service account with domain-wide delegation acts as the specialist's Workspace account
(a bare service account may not create Meet links). `GOOGLE_SERVICE_ACCOUNT_JSON` holds the
key file's JSON content; the Workspace admin grants its client id the scopes in `SCOPES`.
Learners with access are the event's guests (Google sends them nothing: we send our own
e-mails), and guests added by hand in Google Calendar are kept. Meet has no per-person link,
so everyone joins through the event's link; Meet reports who joined by their Google account,
which maps to a learner by the account's e-mail (People API), never by display name.
"""

import json
import uuid
from datetime import UTC, timedelta
from urllib.parse import urlsplit

import httpx
import jwt
from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from coursepages.selectors import course_teacher
from learning.links import session_join_url
from learning.meetings.base import MeetingProviderError
from learning.models import CohortSession, Enrollment, MeetingProviderName, MeetParticipantSession
from learning.services.meet_attendance import MeetConnection, meet_attendance_record

SCOPES = (
    "https://www.googleapis.com/auth/calendar.events",
    "https://www.googleapis.com/auth/meetings.space.readonly",
    "https://www.googleapis.com/auth/directory.readonly",
)
JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"
ASSERTION_LIFETIME = 3600  # seconds: the longest Google accepts
TOKEN_MARGIN = timedelta(seconds=60)  # a token this close to its expiry is not used
TIMEOUT = 10.0
PAGE_SIZE = 100
EMAIL_CACHE_SECONDS = 24 * 60 * 60
# Conferences of the session's meeting code that started this long before its start count
# (the room opened early); their connections are clipped to the session window anyway.
EARLY_START = timedelta(hours=6)
EVENT_PARAMS = {"conferenceDataVersion": "1", "sendUpdates": "none"}


def service_account() -> dict | None:
    """The service account key from the environment, or None when unset or not a key."""
    try:
        account = json.loads(settings.GOOGLE_SERVICE_ACCOUNT_JSON or "null")
    except ValueError:
        return None
    if not isinstance(account, dict) or not account.get("client_email"):
        return None
    return account if account.get("private_key") else None


def _token_key(account: dict, subject: str) -> str:
    return f"google-meet:token:{account['client_email']}:{subject.lower()}"


def _access_token(subject: str, *, fresh: bool = False) -> str:
    """An access token acting as `subject`, cached until a minute before it expires."""
    account = service_account()
    if account is None:
        raise MeetingProviderError(
            "Google Meet is not configured: GOOGLE_SERVICE_ACCOUNT_JSON is not a service account key."
        )
    key = _token_key(account, subject)
    now = timezone.now()
    cached = None if fresh else cache.get(key)
    if cached and now < cached["expires_at"] - TOKEN_MARGIN:
        return cached["token"]
    issued = int(now.timestamp())
    claims = {
        "iss": account["client_email"],
        "sub": subject,
        "scope": " ".join(SCOPES),
        "aud": settings.GOOGLE_OAUTH_TOKEN_URL,
        "iat": issued,
        "exp": issued + ASSERTION_LIFETIME,
    }
    headers = {"kid": account["private_key_id"]} if account.get("private_key_id") else None
    try:
        assertion = jwt.encode(claims, account["private_key"], algorithm="RS256", headers=headers)
    except (ValueError, TypeError, jwt.PyJWTError) as error:
        raise MeetingProviderError(
            f"The Google service account's private key cannot be used ({error})."
        ) from error
    action = f"let the service account act as {subject}"
    try:
        response = httpx.post(
            settings.GOOGLE_OAUTH_TOKEN_URL,
            data={"grant_type": JWT_BEARER, "assertion": assertion},
            timeout=TIMEOUT,
        )
    except httpx.TimeoutException as error:
        raise MeetingProviderError(f"Google did not answer in time to {action}.") from error
    except httpx.HTTPError as error:
        raise MeetingProviderError(f"Google could not be reached to {action} ({error}).") from error
    body = _json(response, action)
    if response.status_code >= 400 or not body.get("access_token"):
        reason = (
            body.get("error_description") or body.get("error") or f"HTTP {response.status_code}"
        )
        raise MeetingProviderError(
            f"Google refused to {action}: {reason}. Check that the Workspace admin granted the "
            "service account's client id domain-wide delegation with the Google Meet scopes, "
            "and that this account is in the Workspace."
        )
    lifetime = body.get("expires_in")
    if not isinstance(lifetime, int) or lifetime <= 0:
        lifetime = ASSERTION_LIFETIME
    cache.set(
        key,
        {"token": body["access_token"], "expires_at": now + timedelta(seconds=lifetime)},
        timeout=lifetime,
    )
    return body["access_token"]


def _json(response: httpx.Response, action: str) -> dict:
    if not response.content:
        return {}
    try:
        body = response.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise MeetingProviderError(
            f"Google answered with something other than JSON when asked to {action} "
            f"(HTTP {response.status_code})."
        )
    return body


class GoogleClient:
    """Calls to Google's APIs acting as one Workspace account: a 401 fetches a new token and
    tries once more; refusals and failures become `MeetingProviderError`."""

    def __init__(self, subject: str):
        self.subject = subject

    def _send(self, method, url, *, params, body, action, fresh):
        token = _access_token(self.subject, fresh=fresh)
        try:
            return httpx.request(
                method,
                url,
                params=params,
                json=body,
                headers={"Authorization": f"Bearer {token}"},
                timeout=TIMEOUT,
            )
        except httpx.TimeoutException as error:
            raise MeetingProviderError(f"Google did not answer in time to {action}.") from error
        except httpx.HTTPError as error:
            raise MeetingProviderError(
                f"Google could not be reached to {action} ({error})."
            ) from error

    def call(
        self, method, url, *, action, params=None, body=None, missing_ok=False, conflict_ok=False
    ) -> dict | None:
        """Google's JSON answer; None for a 404/410 when `missing_ok`, a 409 when `conflict_ok`."""
        response = self._send(method, url, params=params, body=body, action=action, fresh=False)
        if response.status_code == 401:
            response = self._send(method, url, params=params, body=body, action=action, fresh=True)
        if missing_ok and response.status_code in (404, 410):
            return None
        if conflict_ok and response.status_code == 409:
            return None
        answer = _json(response, action)
        if response.status_code >= 400:
            error = answer.get("error")
            reason = error.get("message") if isinstance(error, dict) else error
            raise MeetingProviderError(
                f"Google refused to {action}: HTTP {response.status_code}"
                + (f", {reason}" if reason else "")
                + "."
            )
        return answer

    def pages(self, url, *, items, action, params=None):
        """Every item of a paginated list, following `nextPageToken`."""
        params = {**(params or {}), "pageSize": PAGE_SIZE}
        while True:
            page = self.call("GET", url, params=params, action=action)
            yield from page.get(items, [])
            if not page.get("nextPageToken"):
                return
            params = {**params, "pageToken": page["nextPageToken"]}


def _events_url() -> str:
    return f"{settings.GOOGLE_API_BASE.rstrip('/')}/calendar/v3/calendars/primary/events"


def _meet_url(path: str) -> str:
    return f"{settings.GOOGLE_MEET_API_BASE.rstrip('/')}/v2/{path}"


def _time(value: str | None):
    return parse_datetime(value) if value else None


def _conference_state(event: dict) -> str | None:
    """Where Google is with the Meet link asked for: "pending", "success" or "failure"."""
    request = (event.get("conferenceData") or {}).get("createRequest") or {}
    return (request.get("status") or {}).get("statusCode")


class GoogleMeetProvider:
    name = MeetingProviderName.GOOGLE_MEET
    label = "Google Meet"

    def is_configured(self) -> bool:
        return service_account() is not None

    def session_sync(self, session) -> None:
        if (
            session.status == CohortSession.Status.CANCELLED
            or session.provider_name != MeetingProviderName.GOOGLE_MEET
        ):
            self._event_remove(session)
            return
        owner = session.google_calendar_owner or self._specialist_email(session)
        client = GoogleClient(owner)
        event_id = session.google_event_id or session.ical_uid.hex
        url = f"{_events_url()}/{event_id}"
        current = None
        if session.google_event_id:
            current = client.call(
                "GET", url, action="read the session's Calendar event", missing_ok=True
            )
        body = self._event_body(session, current)
        request_id = session.google_conference_request_id or session.ical_uid.hex
        if not session.google_meet_url:
            body["conferenceData"] = {
                "createRequest": {
                    "requestId": request_id,
                    "conferenceSolutionKey": {"type": "hangoutsMeet"},
                }
            }
        event = None
        if current is None:
            # Our own event id: an insert whose answer was lost is found again (409), not doubled.
            event = client.call(
                "POST",
                _events_url(),
                params=EVENT_PARAMS,
                body={"id": event_id, **body},
                action="create the session's Calendar event",
                conflict_ok=True,
            )
        if event is None:  # it exists: ours, or the insert above met it
            event = client.call(
                "PATCH",
                url,
                params=EVENT_PARAMS,
                body=body,
                action="update the session's Calendar event",
            )
        if _conference_state(event) == "pending":  # usually ready a moment later: read it again
            event = client.call("GET", url, action="read the session's Calendar event") or event
        self._conference_keep(session, owner=owner, event=event, request_id=request_id)

    def member_sync(self, *, session, enrollment) -> None:
        """Bring the event's guests in line with the cohort's learners with access, which
        adds or removes this learner (an event not created yet gets them when it is)."""
        if not session.google_event_id or session.status == CohortSession.Status.CANCELLED:
            return
        client = GoogleClient(session.google_calendar_owner)
        url = f"{_events_url()}/{session.google_event_id}"
        current = client.call(
            "GET", url, action="read the session's Calendar event", missing_ok=True
        )
        if current is None:
            raise MeetingProviderError(
                "The session's Google Calendar event no longer exists; sync the session again."
            )
        client.call(
            "PATCH",
            url,
            params=EVENT_PARAMS,
            body={"attendees": self._attendees(session, current)},
            action="update the guests of the session's Calendar event",
        )

    def join_url(self, *, session, enrollment) -> str:
        return session.google_meet_url if session.google_event_id else ""

    def attendance_pull(self, session) -> None:
        if not session.google_meet_code or session.status == CohortSession.Status.CANCELLED:
            return
        client = GoogleClient(session.google_calendar_owner)
        since = (session.starts_at - EARLY_START).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        until = session.ends_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        conferences = client.pages(
            _meet_url("conferenceRecords"),
            items="conferenceRecords",
            params={
                "filter": f'space.meeting_code = "{session.google_meet_code}" AND '
                f'start_time>="{since}" AND start_time<="{until}"'
            },
            action="list the session's Meet conferences",
        )
        connections = []
        for conference in conferences:
            if not conference.get("name"):
                continue
            participants = client.pages(
                _meet_url(f"{conference['name']}/participants"),
                items="participants",
                action="list who joined the session's Meet conference",
            )
            for participant in participants:
                if not participant.get("name"):
                    continue
                connections.extend(self._connections(client, conference, participant))
        meet_attendance_record(session=session, connections=connections)

    # Calendar events

    def _specialist_email(self, session) -> str:
        teacher = course_teacher(session.cohort.course)
        if teacher is None or not teacher.email:
            raise MeetingProviderError(
                "The specialist teaching this course has no e-mail address: Google Meet "
                "creates the session's event as their Google Workspace account."
            )
        return teacher.email

    def _event_body(self, session, current: dict | None) -> dict:
        cohort = session.cohort
        zone = cohort.zone
        description = "\n\n".join(
            part for part in (session.description, f"Join: {session_join_url(session)}") if part
        )
        return {
            "summary": f"{cohort.course.title} – {cohort.name}: {session.title}",
            "description": description,
            "start": {
                "dateTime": session.starts_at.astimezone(zone).isoformat(),
                "timeZone": cohort.timezone,
            },
            "end": {
                "dateTime": session.ends_at.astimezone(zone).isoformat(),
                "timeZone": cohort.timezone,
            },
            "attendees": self._attendees(session, current),
            # An event deleted in Google Calendar is kept as cancelled: a sync restores it.
            "status": "confirmed",
            "guestsCanSeeOtherGuests": False,
            "guestsCanInviteOthers": False,
        }

    def _attendees(self, session, current: dict | None) -> list[dict]:
        """The learners with access, plus whoever was added in Google Calendar by hand (a
        learner who lost access is no longer a guest)."""
        enrollments = Enrollment.objects.filter(cohort_id=session.cohort_id).exclude(
            learner__email=""
        )
        learners = {email.lower() for email in enrollments.values_list("learner__email", flat=True)}
        with_access = {
            email.lower()
            for email in enrollments.filter(
                Q(status__in=Enrollment.ACCESS_STATUSES) & Q(suspended_at__isnull=True)
            ).values_list("learner__email", flat=True)
        }
        guests = {
            guest["email"].lower(): guest
            for guest in (current or {}).get("attendees", [])
            if guest.get("email")
        }
        by_hand = [guest for email, guest in guests.items() if email not in learners]
        return by_hand + [guests.get(email, {"email": email}) for email in sorted(with_access)]

    def _conference_keep(self, session, *, owner, event, request_id) -> None:
        """Store the event and its Meet link on the session; an event whose link Google is
        still creating, or refused, is an error the next sync clears."""
        conference = event.get("conferenceData") or {}
        link = next(
            (
                point.get("uri", "")
                for point in conference.get("entryPoints", [])
                if point.get("entryPointType") == "video"
            ),
            "",
        ) or event.get("hangoutLink", "")
        state = _conference_state(event)
        fields = {
            "google_event_id": event.get("id") or session.google_event_id or session.ical_uid.hex,
            "google_calendar_owner": owner,
            "google_conference_request_id": request_id,
        }
        if link:
            fields["google_meet_url"] = link
            fields["google_meet_code"] = conference.get("conferenceId") or urlsplit(
                link
            ).path.strip("/")
        elif state == "failure":
            fields["google_conference_request_id"] = uuid.uuid4().hex  # the next sync asks anew
        CohortSession.objects.filter(pk=session.pk).update(**fields)
        for name, value in fields.items():
            setattr(session, name, value)
        if session.google_meet_url:
            return
        if state == "failure":
            raise MeetingProviderError(
                "Google Calendar could not add a Meet link to the session's event (is Google "
                "Meet enabled for this Workspace account?); the next sync asks again."
            )
        raise MeetingProviderError(
            "Google is still creating the session's Meet link; the next sync reads it."
        )

    def _event_remove(self, session) -> None:
        if not session.google_event_id:
            return
        GoogleClient(session.google_calendar_owner).call(
            "DELETE",
            f"{_events_url()}/{session.google_event_id}",
            params={"sendUpdates": "none"},
            action="delete the session's Calendar event",
            missing_ok=True,
        )
        fields = {
            "google_event_id": "",
            "google_meet_url": "",
            "google_meet_code": "",
            "google_conference_request_id": "",
        }
        CohortSession.objects.filter(pk=session.pk).update(**fields)
        for name, value in fields.items():
            setattr(session, name, value)

    # Attendance

    def _connections(self, client, conference, participant):
        if "signedinUser" in participant:
            kind, identity = MeetParticipantSession.Kind.SIGNED_IN, participant["signedinUser"]
        elif "phoneUser" in participant:
            kind, identity = MeetParticipantSession.Kind.PHONE, participant["phoneUser"]
        else:
            kind, identity = (
                MeetParticipantSession.Kind.ANONYMOUS,
                participant.get("anonymousUser", {}),
            )
        user = identity.get("user", "") if kind == MeetParticipantSession.Kind.SIGNED_IN else ""
        email = self._email(client, user) if user else ""
        sessions = client.pages(
            _meet_url(f"{participant['name']}/participantSessions"),
            items="participantSessions",
            action="list the connections of a Meet participant",
        )
        for connection in sessions:
            started = _time(connection.get("startTime"))
            if started is None or not connection.get("name"):
                continue
            yield MeetConnection(
                conference_record=conference["name"],
                participant=participant["name"],
                name=connection["name"],
                kind=kind,
                user=user,
                email=email,
                display_name=identity.get("displayName", "")[:200],
                started_at=started,
                ended_at=_time(connection.get("endTime")),
            )

    def _email(self, client, user: str) -> str:
        """The primary e-mail of a Google account ("users/{id}") from the People API, looked
        up once a day per account; empty when Google gives none (an account outside the
        Workspace's directory)."""
        key = f"google-meet:email:{user}"
        email = cache.get(key)
        if email is not None:
            return email
        account_id = user.removeprefix("users/")
        person = client.call(
            "GET",
            f"{settings.GOOGLE_PEOPLE_API_BASE.rstrip('/')}/v1/people/{account_id}",
            params={"personFields": "emailAddresses"},
            action="read the e-mail of a Meet participant's Google account",
            missing_ok=True,
        )
        addresses = (person or {}).get("emailAddresses", [])
        primary = [a for a in addresses if a.get("metadata", {}).get("primary")]
        email = next((a.get("value", "") for a in primary + addresses if a.get("value")), "")
        cache.set(key, email, timeout=EMAIL_CACHE_SECONDS)
        return email
