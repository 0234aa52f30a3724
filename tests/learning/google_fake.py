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
    conference = {
        "createRequest": {
            "requestId": session.ical_uid.hex,
            "conferenceSolutionKey": {"type": "hangoutsMeet"},
            "status": {"statusCode": status},
        },
        "conferenceSolution": {"key": {"type": "hangoutsMeet"}, "name": "Google Meet"},
    }
    answer = {"id": session.ical_uid.hex, "status": "confirmed", "attendees": list(attendees)}
    if link:
        conference["entryPoints"] = [
            {"entryPointType": "video", "uri": MEET_URL, "label": "meet.google.com/abc-mnop-xyz"},
            {"entryPointType": "more", "uri": "https://tel.meet/abc-mnop-xyz?pin=1"},
        ]
        conference["conferenceId"] = CODE
        answer["hangoutLink"] = MEET_URL
    answer["conferenceData"] = conference
    return answer


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
