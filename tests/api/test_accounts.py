"""Registration, JWT sign-in and `me/`."""

import pytest
from django.contrib.auth import get_user_model
from rest_framework.throttling import ScopedRateThrottle

from tests.api_helpers import assert_problem
from tests.factories import PASSWORD, EditorFactory, SpecialistFactory, UserFactory

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "a-long-unusual-passphrase-42"


def register(api_client, **data):
    return api_client.post(
        "/api/v1/auth/register/",
        {"email": "ada@example.com", "password": GOOD_PASSWORD, "first_name": "Ada", **data},
    )


def token_for(api_client, email, password, **environ):
    return api_client.post("/api/v1/auth/token/", {"email": email, "password": password}, **environ)


def test_register_creates_a_learner_who_can_sign_in(api_client):
    response = register(api_client, email="Ada@Example.com")

    assert response.status_code == 201
    assert response.json() == {
        "id": response.json()["id"],
        "email": "ada@example.com",
        "email_verified": False,
        "first_name": "Ada",
        "last_name": "",
        "roles": ["learner"],
    }
    tokens = token_for(api_client, "ADA@example.COM", GOOD_PASSWORD).json()
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
    assert api_client.get("/api/v1/me/").json()["email"] == "ada@example.com"


def test_an_email_registers_once_whatever_its_letter_case(api_client):
    register(api_client)
    response = register(api_client, email="ADA@example.com")

    assert_problem(response, 409, "email_taken")
    assert get_user_model().objects.filter(email__iexact="ada@example.com").count() == 1


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"password": "short"}, "password"),
        ({"password": "password123"}, "password"),
        ({"email": "not-an-email"}, "email"),
        ({"email": ""}, "email"),
    ],
)
def test_bad_registration_says_which_field_and_creates_nothing(api_client, data, field):
    body = assert_problem(register(api_client, **data), 400, "invalid")
    assert list(body["errors"]) == [field]
    assert not get_user_model().objects.exists()


def test_wrong_password_is_a_401_problem(api_client):
    user = UserFactory()
    assert_problem(token_for(api_client, user.email, "wrong"), 401, "no_active_account")


def test_refresh_gives_a_new_access_token(api_client):
    user = UserFactory()
    refresh = token_for(api_client, user.email, PASSWORD).json()["refresh"]
    response = api_client.post("/api/v1/auth/token/refresh/", {"refresh": refresh})
    assert response.status_code == 200 and response.json()["access"]


def test_me_requires_credentials(api_client):
    assert_problem(api_client.get("/api/v1/me/"), 401, "not_authenticated")
    api_client.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")
    assert_problem(api_client.get("/api/v1/me/"), 401, "token_not_valid")


@pytest.mark.parametrize(
    ("factory", "roles"),
    [
        (UserFactory, ["learner"]),
        (SpecialistFactory, ["learner", "specialist"]),
        (EditorFactory, ["learner", "editor"]),
    ],
)
def test_me_lists_the_callers_roles(api_client, factory, roles):
    user = factory()
    api_client.force_authenticate(user)
    assert api_client.get("/api/v1/me/").json()["roles"] == roles


def test_a_forwarded_for_header_the_client_writes_does_not_escape_the_throttle(
    api_client, monkeypatch
):
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"auth": "3/min"})
    user = UserFactory()
    answers = [
        token_for(
            api_client, user.email, "guess",
            REMOTE_ADDR="203.0.113.8", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        ).status_code
        for n in range(4)
    ]  # fmt: skip
    assert answers == [401, 401, 401, 429]


def test_behind_one_proxy_the_address_it_added_is_the_clients(api_client, monkeypatch, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"auth": "3/min"})
    user = UserFactory()

    def attempt(forwarded_for):
        return token_for(
            api_client, user.email, "guess",
            REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded_for,
        ).status_code  # fmt: skip

    # The client's own prefix changes each time; the address our proxy appended does not.
    assert [attempt(f"198.51.100.{n}, 203.0.113.9") for n in range(4)] == [401, 401, 401, 429]
    assert attempt("203.0.113.10") == 401  # another client: a counter of its own


def test_probing_which_e_mails_are_registered_is_throttled_like_sign_in(api_client, monkeypatch):
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"auth": "3/min"})
    taken = UserFactory().email
    client_address = {"REMOTE_ADDR": "203.0.113.11"}

    def register(email):
        return api_client.post(
            "/api/v1/auth/register/",
            {"email": email, "password": "a-long-unusual-passphrase"},
            **client_address,
        )

    for _ in range(3):
        assert_problem(register(taken), 409, "email_taken")
    assert_problem(register("new@example.com"), 429, "throttled")


def test_a_password_change_ends_every_session_made_before_it(api_client):
    user = UserFactory()
    user.set_password("the-first-passphrase")
    user.save()
    tokens = token_for(api_client, user.email, "the-first-passphrase")
    assert tokens.status_code == 200
    access, refresh = tokens.json()["access"], tokens.json()["refresh"]
    assert api_client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {access}").status_code == 200

    user.set_password("a-new-passphrase")  # as the admin's password form saves it
    user.save()

    me = api_client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {access}")
    assert_problem(me, 401, "password_changed")
    refreshed = api_client.post("/api/v1/auth/token/refresh/", {"refresh": refresh})
    assert_problem(refreshed, 401, "password_changed")
    again = token_for(api_client, user.email, "a-new-passphrase")
    assert again.status_code == 200
    fresh = again.json()["access"]
    assert api_client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {fresh}").status_code == 200


def test_sign_in_attempts_are_throttled_with_retry_after(api_client, monkeypatch):
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"auth": "3/min"})
    user = UserFactory()
    client_address = {"REMOTE_ADDR": "203.0.113.7"}  # a counter of its own
    attempts = [
        token_for(api_client, user.email, "guess", **client_address).status_code for _ in range(3)
    ]
    response = token_for(api_client, user.email, "guess", **client_address)

    assert attempts == [401, 401, 401]
    assert_problem(response, 429, "throttled")
    assert 0 < int(response["Retry-After"]) <= 60
