"""Assertions on API responses, shared by every test folder."""


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
