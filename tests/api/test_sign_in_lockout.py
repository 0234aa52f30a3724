"""Per-account sign-in lockout: ten wrong passwords for one account lock it for fifteen
minutes, whichever addresses they came from, in the API and in the Wagtail admin."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.api_helpers import assert_problem
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LIMIT = 10


def sign_in(api_client, email, password, n=0):
    """From a new address each time: no per-client throttle sees two attempts."""
    return api_client.post(
        "/api/v1/auth/token/",
        {"email": email, "password": password},
        REMOTE_ADDR=f"198.51.{n // 250}.{n % 250 + 1}",
    )


def fail(api_client, email, times, start=0):
    return [sign_in(api_client, email, "guess", start + n).status_code for n in range(times)]


def clock(monkeypatch, instant):
    """Stop the clock at `instant`, for us and for django-axes (which imports `now`)."""
    for where in ("django.utils.timezone.now", "axes.handlers.proxy.now", "axes.attempts.now"):
        monkeypatch.setattr(where, lambda: instant)


@pytest.fixture
def ada(db):
    return UserFactory(email="ada@example.com")


def test_the_tenth_wrong_password_locks_the_account_from_every_address(api_client, ada):
    assert fail(api_client, "ada@example.com", LIMIT - 1) == [401] * (LIMIT - 1)

    body = assert_problem(
        sign_in(api_client, "ADA@example.com", "guess", 100), 429, "account_locked"
    )

    assert body["locked_minutes"] == 15
    assert_problem(sign_in(api_client, ada.email, PASSWORD, 101), 429, "account_locked")
    other = UserFactory()
    assert sign_in(api_client, other.email, PASSWORD, 102).status_code == 200


def test_nine_wrong_passwords_do_not_lock_and_a_right_one_starts_the_count_again(api_client, ada):
    fail(api_client, ada.email, LIMIT - 1)
    assert sign_in(api_client, ada.email, PASSWORD, 50).status_code == 200

    assert fail(api_client, ada.email, LIMIT - 1, start=60) == [401] * (LIMIT - 1)
    assert sign_in(api_client, ada.email, PASSWORD, 80).status_code == 200


@pytest.mark.parametrize(
    ("after", "answer"),
    [
        (timedelta(minutes=15), 429),  # the lock's last instant
        (timedelta(minutes=15, microseconds=1), 200),
    ],
)
def test_the_lock_lasts_fifteen_minutes(api_client, ada, monkeypatch, after, answer):
    locked_at = timezone.now()
    clock(monkeypatch, locked_at)
    fail(api_client, ada.email, LIMIT)
    clock(monkeypatch, locked_at + after)

    assert sign_in(api_client, ada.email, PASSWORD, 200).status_code == answer


def test_a_password_reset_still_works_while_locked(
    api_client, ada, mailoutbox, django_capture_on_commit_callbacks
):
    fail(api_client, ada.email, LIMIT)
    with django_capture_on_commit_callbacks(execute=True):
        answer = api_client.post("/api/v1/auth/password/reset/", {"email": ada.email})
    assert answer.status_code == 202 and len(mailoutbox) == 1


def test_the_admin_sign_in_locks_too(client, ada):
    ada.is_superuser = ada.is_staff = True
    ada.save()

    def admin_sign_in(password, n):
        return client.post(
            "/admin/login/",
            {"username": ada.email, "password": password},
            REMOTE_ADDR=f"192.0.2.{n}",
        )

    answers = [admin_sign_in("guess", n + 1).status_code for n in range(LIMIT)]
    locked = admin_sign_in(PASSWORD, 99)

    assert answers[:-1] == [200] * (LIMIT - 1)  # the form again, with its error
    assert answers[-1] == locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_attempts_while_locked_do_not_extend_the_lock(api_client, ada, monkeypatch):
    locked_at = timezone.now()
    clock(monkeypatch, locked_at)
    fail(api_client, ada.email, LIMIT)
    clock(monkeypatch, locked_at + timedelta(minutes=10))
    assert fail(api_client, ada.email, 5, start=300) == [429] * 5

    clock(monkeypatch, locked_at + timedelta(minutes=15, microseconds=1))
    assert sign_in(api_client, ada.email, PASSWORD, 400).status_code == 200
