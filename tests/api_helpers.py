"""Assertions on API responses, shared by every test folder."""

from datetime import UTC


def assert_problem(response, status, code):
    """The response is an RFC 9457 problem with this status and stable code; returns its body."""
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status
    assert body["code"] == code
    assert body["type"] == f"/api/v1/errors/{code}/"
    assert body["title"] and body["detail"]
    return body


def api_instant(value) -> str:
    """An instant as every API response writes it: ISO 8601 in UTC with "Z"."""
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
