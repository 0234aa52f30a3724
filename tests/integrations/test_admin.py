"""Operators manage webhook endpoints and deliveries in the Wagtail admin; others are refused."""

import pytest
from standardwebhooks import Webhook

from integrations.models import Delivery, Endpoint
from integrations.outbox import event_emit
from tests.admin_helpers import assert_refused, messages_of
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ADMIN = "/admin/integrations/"


@pytest.fixture
def operator(db):
    return UserFactory(is_staff=True, is_superuser=True)


def test_an_operator_adds_an_endpoint_and_sees_its_secret_once(client_for, operator, receiver):
    client = client_for(operator)

    response = client.post(
        f"{ADMIN}endpoints/new/",
        {"url": receiver.url, "description": "CRM", "event_types": ["order.paid"], "enabled": "on"},
    )

    assert response.status_code == 302
    endpoint = Endpoint.objects.get()
    assert (endpoint.specialist, endpoint.created_by) == (None, operator)
    assert endpoint.event_types == ["order.paid"]
    (message,) = messages_of(response)
    assert endpoint.secret in message
    shown = client.get(f"{ADMIN}endpoints/")  # the message, once
    again = client.get(f"{ADMIN}endpoints/")
    assert shown.status_code == 200 and endpoint.secret in shown.content.decode()
    assert again.status_code == 200 and endpoint.secret not in again.content.decode()


def test_a_private_url_is_refused_in_the_form(client_for, operator, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = False

    response = client_for(operator).post(
        f"{ADMIN}endpoints/new/", {"url": "https://169.254.169.254/latest/", "enabled": "on"}
    )

    assert response.status_code == 200
    assert "private or reserved" in response.content.decode()
    assert not Endpoint.objects.exists()


def test_editing_through_the_form_enables_again_and_clears_the_reason(
    client_for, operator, platform_endpoint
):
    Endpoint.objects.update(enabled=False, disabled_reason="The receiver answered 410 Gone.")

    response = client_for(operator).post(
        f"{ADMIN}endpoints/edit/{platform_endpoint.pk}/",
        {"url": platform_endpoint.url, "description": "Back", "enabled": "on"},
    )

    assert response.status_code == 302
    endpoint = Endpoint.objects.get()
    assert endpoint.enabled and endpoint.disabled_reason == "" and endpoint.description == "Back"


def test_a_test_event_after_confirming_and_a_failed_delivery_sent_again(
    client_for, operator, platform_endpoint, receiver, django_capture_on_commit_callbacks
):
    client = client_for(operator)
    confirm = client.get(f"{ADMIN}endpoints/{platform_endpoint.pk}/test/")
    assert confirm.status_code == 200 and receiver.requests == []

    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(f"{ADMIN}endpoints/{platform_endpoint.pk}/test/")

    assert sent.status_code == 302
    (request,) = receiver.wait_for(1)
    Webhook(platform_endpoint.secret).verify(request["body"], request["headers"])
    delivery = Delivery.objects.get()
    assert delivery.status == "succeeded"
    listing = client.get(f"{ADMIN}deliveries/?endpoint={platform_endpoint.pk}")
    inspect = client.get(f"{ADMIN}deliveries/inspect/{delivery.pk}/")
    assert listing.status_code == 200 and delivery.webhook_id in listing.content.decode()
    assert inspect.status_code == 200 and "webhook.test" in inspect.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(f"{ADMIN}deliveries/{delivery.pk}/redeliver/")

    assert again.status_code == 302
    first, second = receiver.wait_for(2)
    assert first["headers"]["webhook-id"] == second["headers"]["webhook-id"]


def test_rotating_in_the_admin_shows_the_new_secret(client_for, operator, platform_endpoint):
    response = client_for(operator).post(f"{ADMIN}endpoints/{platform_endpoint.pk}/rotate/")

    endpoint = Endpoint.objects.get()
    assert response.status_code == 302 and endpoint.previous_secret == platform_endpoint.secret
    assert any(endpoint.secret in message for message in messages_of(response))


def test_specialists_and_editors_are_refused(
    client_for, specialist, editor, platform_endpoint, receiver
):
    event_emit(event_type="enrollment.created", data={"id": 1})
    delivery = Delivery.objects.get()
    for user in (specialist, editor):
        client = client_for(user)
        assert_refused(client.get(f"{ADMIN}endpoints/"))
        assert_refused(client.get(f"{ADMIN}endpoints/new/"))
        assert_refused(client.post(f"{ADMIN}endpoints/{platform_endpoint.pk}/rotate/"))
        assert_refused(client.get(f"{ADMIN}deliveries/"))
        assert_refused(client.post(f"{ADMIN}deliveries/{delivery.pk}/redeliver/"))
    assert Endpoint.objects.get().secret == platform_endpoint.secret
    assert receiver.requests == []
