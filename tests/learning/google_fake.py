"""Google's servers as the tests see them (research/cohorts.md §2): the OAuth token
endpoint, Calendar events with their Meet link and the Meet REST API's conference records,
answered by respx at the HTTP boundary, with a service account key made for the tests."""

import json
from urllib.parse import parse_qs

import httpx
import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

TOKEN_URL = "https://oauth2.googleapis.com/token"
EVENTS = "https://www.googleapis.com/calendar/v3/calendars/primary/events"
MEET = "https://meet.googleapis.com/v2"
PEOPLE = "https://people.googleapis.com/v1/people"
MEET_URL = "https://meet.google.com/abc-mnop-xyz"
CODE = "abc-mnop-xyz"

PRIVATE_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
PUBLIC_KEY = PRIVATE_KEY.public_key()
PEM = PRIVATE_KEY.private_bytes(
    serialization.Encoding.PEM,
    serialization.PrivateFormat.PKCS8,
    serialization.NoEncryption(),
).decode()


def configure_google(settings, client_email):
    """Google Meet configured with the tests' service account, acting as `client_email`."""
    settings.GOOGLE_SERVICE_ACCOUNT_JSON = json.dumps({
        "type": "service_account", "project_id": "courses-demo", "private_key_id": "key-1",
        "private_key": PEM, "client_email": client_email, "client_id": "1234567890",
        "token_uri": TOKEN_URL,
    })  # fmt: skip
    settings.GOOGLE_API_BASE = "https://www.googleapis.com"
    settings.GOOGLE_MEET_API_BASE = "https://meet.googleapis.com"
    settings.GOOGLE_PEOPLE_API_BASE = "https://people.googleapis.com"
    settings.GOOGLE_OAUTH_TOKEN_URL = TOKEN_URL


def token_route(router):
    """The token endpoint, issuing "token-1", "token-2", … valid for an hour."""
    issued = []

    def answer(request):
        issued.append(request)
        return httpx.Response(
            200,
            json={
                "access_token": f"token-{len(issued)}",
                "expires_in": 3600,
                "token_type": "Bearer",
            },
        )

    return router.post(TOKEN_URL).mock(side_effect=answer)


def event(session, *, status="success", attendees=(), link=True):
    """The session's Calendar event as Google answers it, its Meet link created (or
    `status` "pending"/"failure" without one)."""
    return calendar_event(session.ical_uid.hex, status=status, attendees=attendees, link=link)


def calendar_event(event_id, *, status="success", attendees=(), link=True):
    """A Calendar event created with our id (which is also its Meet link's request id)."""
    conference = {
        "createRequest": {
            "requestId": event_id,
            "conferenceSolutionKey": {"type": "hangoutsMeet"},
            "status": {"statusCode": status},
        },
        "conferenceSolution": {"key": {"type": "hangoutsMeet"}, "name": "Google Meet"},
    }
    answer = {"id": event_id, "status": "confirmed", "attendees": list(attendees)}
    if link:
        conference["entryPoints"] = [
            {"entryPointType": "video", "uri": MEET_URL, "label": "meet.google.com/abc-mnop-xyz"},
            {"entryPointType": "more", "uri": "https://tel.meet/abc-mnop-xyz?pin=1"},
        ]
        conference["conferenceId"] = CODE
        answer["hangoutLink"] = MEET_URL
    answer["conferenceData"] = conference
    return answer


class FakeCalendar:
    """The specialist's primary calendar: events inserted under the id we send, read and
    patched by that id, each with the Meet link MEET_URL. Routes keep every request."""

    def __init__(self, router):
        self.events = {}  # event id -> the event as Google keeps it
        one = r"^/calendar/v3/calendars/primary/events/(?P<event_id>\w+)$"
        self.insert = router.post(EVENTS).mock(side_effect=self._insert)
        self.read = router.get(path__regex=one).mock(side_effect=self._read)
        self.patch = router.patch(path__regex=one).mock(side_effect=self._patch)

    def _insert(self, request):
        body = json.loads(request.content)
        if body["id"] in self.events:
            return httpx.Response(409, json={"error": {"code": 409, "message": "duplicate"}})
        self.events[body["id"]] = calendar_event(body["id"], attendees=body.get("attendees", ()))
        return httpx.Response(200, json=self.events[body["id"]])

    def _read(self, request, event_id):
        if event_id not in self.events:
            return httpx.Response(404, json={"error": {"code": 404, "message": "Not Found"}})
        return httpx.Response(200, json=self.events[event_id])

    def _patch(self, request, event_id):
        if event_id not in self.events:
            return httpx.Response(404, json={"error": {"code": 404, "message": "Not Found"}})
        self.events[event_id].update(json.loads(request.content))
        return httpx.Response(200, json=self.events[event_id])


def sent(route, index=-1):
    """The JSON body of a call the route answered."""
    return json.loads(route.calls[index].request.content)


def bearer(route, index=-1):
    return route.calls[index].request.headers["Authorization"]


def claims_of(call):
    """The assertion's claims, its RS256 signature checked with the test key (times are the
    test clock's, so they are compared by the test, not by PyJWT)."""
    assertion = parse_qs(call.request.content.decode())["assertion"][0]
    return jwt.decode(
        assertion,
        PUBLIC_KEY,
        algorithms=["RS256"],
        audience=TOKEN_URL,
        options={"verify_exp": False, "verify_iat": False},
    )


def signed_in(participant, user, name):
    """A Meet participant signed in with the Google account `user` ("users/{id}")."""
    return {"name": participant, "signedinUser": {"user": user, "displayName": name}}


def connection(participant, number, start, end=None):
    """One of a participant's connections (a participantSession); no end while connected."""
    row = {"name": f"{participant}/participantSessions/{number}", "startTime": start.isoformat()}
    if end is not None:
        row["endTime"] = end.isoformat().replace("+00:00", "Z")
    return row


def paged(pages):
    """A respx side effect answering page N for pageToken "pN" (page 0 without a token)."""

    def answer(request):
        token = request.url.params.get("pageToken", "p0")
        return httpx.Response(200, json=pages[int(token[1:])])

    return answer
