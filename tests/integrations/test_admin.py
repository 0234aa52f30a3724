"""Operators manage webhook endpoints and deliveries in the Wagtail admin; others are refused."""

import pytest
from standardwebhooks import Webhook

from integrations.models import Delivery, Endpoint
from integrations.outbox import event_emit, event_emit_to
from integrations.services import endpoint_create
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


def test_editors_are_refused(client_for, editor, platform_endpoint, receiver):
    event_emit(event_type="enrollment.created", data={"id": 1})
    delivery = Delivery.objects.get()
    client = client_for(editor)
    assert_refused(client.get(f"{ADMIN}endpoints/"))
    assert_refused(client.get(f"{ADMIN}endpoints/new/"))
    assert_refused(client.post(f"{ADMIN}endpoints/{platform_endpoint.pk}/rotate/"))
    assert_refused(client.get(f"{ADMIN}deliveries/"))
    assert_refused(client.post(f"{ADMIN}deliveries/{delivery.pk}/redeliver/"))
    assert Endpoint.objects.get().secret == platform_endpoint.secret
    assert receiver.requests == []


def test_a_specialist_adds_an_endpoint_of_their_own_whatever_the_form_says(
    client_for, specialist, other_specialist, receiver
):
    client = client_for(specialist)
    form = client.get(f"{ADMIN}endpoints/new/")
    assert form.status_code == 200
    assert 'name="specialist"' not in form.content.decode()

    response = client.post(
        f"{ADMIN}endpoints/new/",
        {"url": receiver.url, "description": "My CRM", "specialist": other_specialist.pk},
    )

    assert response.status_code == 302
    endpoint = Endpoint.objects.get()
    assert (endpoint.specialist, endpoint.created_by) == (specialist, specialist)
    assert any(endpoint.secret in message for message in messages_of(response))


def test_a_specialist_sees_and_acts_on_only_their_own_endpoints_and_deliveries(
    client_for, specialist, platform_endpoint, receiver
):
    mine = endpoint_create(
        by=specialist, url=receiver.url, description="Mine", specialist=specialist
    )
    my_delivery = event_emit_to(endpoint=mine, event_type="webhook.test", data={})
    platform_delivery = event_emit_to(
        endpoint=platform_endpoint, event_type="webhook.test", data={}
    )
    client = client_for(specialist)

    listing = client.get(f"{ADMIN}endpoints/")
    assert listing.status_code == 200
    assert "Mine" in listing.content.decode() and "CRM" not in listing.content.decode()
    deliveries = client.get(f"{ADMIN}deliveries/")
    assert deliveries.status_code == 200
    html = deliveries.content.decode()
    assert my_delivery.webhook_id in html and platform_delivery.webhook_id not in html
    # The endpoint filter offers mine only: the platform's URL is not disclosed.
    assert f'value="{mine.pk}"' in html and f'value="{platform_endpoint.pk}"' not in html

    for url in (
        f"{ADMIN}endpoints/edit/{platform_endpoint.pk}/",
        f"{ADMIN}endpoints/delete/{platform_endpoint.pk}/",
        f"{ADMIN}endpoints/{platform_endpoint.pk}/test/",
        f"{ADMIN}endpoints/{platform_endpoint.pk}/rotate/",
        f"{ADMIN}deliveries/inspect/{platform_delivery.pk}/",
        f"{ADMIN}deliveries/{platform_delivery.pk}/redeliver/",
    ):
        assert client.get(url).status_code == 404, url
        assert client.post(url).status_code == 404, url
    assert Endpoint.objects.get(pk=platform_endpoint.pk).secret == platform_endpoint.secret

    assert client.get(f"{ADMIN}endpoints/edit/{mine.pk}/").status_code == 200
    assert client.get(f"{ADMIN}deliveries/inspect/{my_delivery.pk}/").status_code == 200
    rotated = client.post(f"{ADMIN}endpoints/{mine.pk}/rotate/")
    assert rotated.status_code == 302
    assert Endpoint.objects.get(pk=mine.pk).previous_secret == mine.secret
