"""Zoom's servers as the tests see them: respx routes at the HTTP boundary that answer like
Zoom's API (research/cohorts.md §1.3) and keep every request for the test to assert."""

import json
from datetime import UTC, datetime, timedelta

import httpx

API = "https://zoom.test/v2"
TOKEN_URL = "https://zoom.test/oauth/token"
FIRST_MEETING_ID = 85746065


def zoom_time(instant):
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class FakeZoom:
    """Meetings with daily occurrences, registrants with their own join URL, tokens that
    count. A test makes a route fail by setting its `side_effect`."""

    def __init__(self, router):
        self.router = router
        self.tokens_issued = 0
        self.meetings = {}  # meeting id -> occurrences
        meeting = r"/v2/meetings/(?P<meeting>\d+)"
        self.token = router.post(TOKEN_URL).mock(side_effect=self._token)
        self.create = router.post(f"{API}/users/me/meetings").mock(side_effect=self._create)
        self.read = router.get(path__regex=meeting + "$").mock(side_effect=self._read)
        self.update = router.patch(path__regex=meeting + "$").mock(side_effect=self._update)
        self.delete = router.delete(path__regex=meeting + "$").mock(
            return_value=httpx.Response(204)
        )
        self.register = router.post(path__regex=meeting + "/registrants$").mock(
            side_effect=self._register
        )
        self.registrant_status = router.put(path__regex=meeting + "/registrants/status$").mock(
            return_value=httpx.Response(204)
        )

    def _token(self, request):
        self.tokens_issued += 1
        return httpx.Response(
            200,
            json={
                "access_token": f"token-{self.tokens_issued}",
                "token_type": "bearer",
                "expires_in": 3600,
                "scope": "meeting:write:meeting:admin",
                "api_url": "https://api.zoom.us",
            },
        )

    def _create(self, request):
        body = json.loads(request.content)
        meeting_id = FIRST_MEETING_ID + len(self.meetings)
        start = datetime.fromisoformat(body["start_time"].replace("Z", "+00:00"))
        self.meetings[meeting_id] = [
            {
                "occurrence_id": str(int((start + timedelta(days=day)).timestamp() * 1000)),
                "start_time": zoom_time(start + timedelta(days=day)),
                "duration": body["duration"],
                "status": "available",
            }
            for day in range(body["recurrence"]["end_times"])
        ]
        return httpx.Response(
            201,
            json={
                "id": meeting_id,
                "join_url": f"https://zoom.us/j/{meeting_id}",
                "start_url": f"https://zoom.us/s/{meeting_id}?zak=secret",
                "occurrences": self.meetings[meeting_id],
            },
        )

    def _read(self, request, meeting):
        return httpx.Response(
            200, json={"id": int(meeting), "occurrences": self.meetings[int(meeting)]}
        )

    def _update(self, request, meeting):
        occurrence_id = request.url.params.get("occurrence_id")
        body = json.loads(request.content)
        for occurrence in self.meetings[int(meeting)]:
            if occurrence["occurrence_id"] == occurrence_id:
                occurrence["start_time"] = body["start_time"]
                occurrence["duration"] = body["duration"]
        return httpx.Response(204)

    def _register(self, request, meeting):
        email = json.loads(request.content)["email"]
        registrant_id = f"reg-{meeting}-{email.split('@')[0]}"
        return httpx.Response(
            201,
            json={
                "id": int(meeting),
                "registrant_id": registrant_id,
                "join_url": f"https://zoom.us/w/{meeting}?tk={registrant_id}",
                "participant_pin_code": 123456,
            },
        )

    def bodies(self, route):
        return [json.loads(call.request.content) for call in route.calls]
