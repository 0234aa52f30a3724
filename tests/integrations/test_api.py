"""The webhooks API: endpoints managed by staff (platform) and specialists (their own),
refused from every other side; bad URLs and unknown event types are 400 problems; deliveries
with their attempts, redelivery, replay, the ping and the event-type catalog."""

import socket
from datetime import timedelta

import pytest
from django.utils import timezone
from standardwebhooks import Webhook

from integrations.event_types import SUBSCRIBABLE
from integrations.models import Delivery, Endpoint
from integrations.outbox import event_emit
from integrations.services import endpoint_create
from tests.api_helpers import assert_problem

pytestmark = pytest.mark.django_db

ENDPOINTS = "/api/v1/webhooks/endpoints/"


@pytest.fixture
def as_user(api_client):
    def sign_in(user):
        api_client.force_authenticate(user)
        return api_client

    return sign_in


def test_a_specialist_adds_an_endpoint_and_sees_its_secret_once(as_user, specialist, receiver):
    client = as_user(specialist)

    created = client.post(
        ENDPOINTS,
        {"url": receiver.url, "description": "My CRM", "event_types": ["order.paid"]},
        format="json",
    )
    detail = client.get(f"{ENDPOINTS}{created.json()['id']}/")
    listed = client.get(ENDPOINTS)

    assert created.status_code == 201 and detail.status_code == 200 and listed.status_code == 200
    body = created.json()
    assert body["secret"].startswith("whsec_") and body["scope"] == "specialist"
    assert body["event_types"] == ["order.paid"] and body["enabled"] is True
    assert "secret" not in detail.json()
    assert [e["id"] for e in listed.json()["results"]] == [body["id"]]
    assert "secret" not in listed.json()["results"][0]
    assert Endpoint.objects.get().specialist == specialist


def test_staff_add_platform_endpoints(as_user, staff, receiver):
    response = as_user(staff).post(ENDPOINTS, {"url": receiver.url}, format="json")

    assert response.status_code == 201
    assert response.json()["scope"] == "platform" and response.json()["event_types"] == []


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hooks",
        "https://10.0.0.1/hooks",
        "https://169.254.169.254/latest/meta-data/",
        "https://[::ffff:127.0.0.1]/hooks",
        "https://100.64.0.1/hooks",
        "https://localhost/hooks",
        "file:///etc/passwd",
        "https://hooks.example.com/" + "a" * 2000,
        "ftp://hooks.example.com/",
        "https://user:pass@hooks.example.com/",
        "not a url",
    ],
)
def test_bad_urls_are_400_problems_and_save_nothing(as_user, specialist, settings, url):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = False
    settings.WEBHOOKS_ALLOW_HTTP = False

    response = as_user(specialist).post(ENDPOINTS, {"url": url}, format="json")

    body = assert_problem(response, 400, "invalid")
    assert body["errors"]["url"]
    assert not Endpoint.objects.exists()


def test_a_hostname_resolving_to_a_private_address_is_refused(
    as_user, specialist, settings, monkeypatch
):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = False
    real = socket.getaddrinfo

    def resolve(host, *args, **kwargs):  # DNS is outside the machine: fake its answer
        if host == "internal.example.com":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.1.2.3", 443))]
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)

    response = as_user(specialist).post(
        ENDPOINTS, {"url": "https://internal.example.com/hooks"}, format="json"
    )

    body = assert_problem(response, 400, "invalid")
    assert body["errors"]["url"] == [
        "This address is private or reserved: we only send to public addresses."
    ]


def test_http_is_refused_unless_allowed(as_user, specialist, settings, receiver):
    settings.WEBHOOKS_ALLOW_HTTP = False

    refused = as_user(specialist).post(ENDPOINTS, {"url": receiver.url}, format="json")

    assert assert_problem(refused, 400, "invalid")["errors"]["url"] == ["Use an https URL."]


def test_unknown_event_types_are_a_400(as_user, specialist, receiver):
    response = as_user(specialist).post(
        ENDPOINTS,
        {"url": receiver.url, "event_types": ["order.paid", "order.eaten"]},
        format="json",
    )

    body = assert_problem(response, 400, "invalid")
    assert body["errors"] == {"event_types.1": ['"order.eaten" is not a valid choice.']}
    assert not Endpoint.objects.exists()


def test_nobody_else_reaches_an_endpoint(
    as_user, specialist, other_specialist, staff, learner, receiver, api_client
):
    mine = endpoint_create(by=specialist, url=receiver.url, specialist=specialist)
    url = f"{ENDPOINTS}{mine.pk}/"

    for user in (other_specialist, staff):  # staff manage platform endpoints, not specialists'
        client = as_user(user)
        assert_problem(client.get(url), 404, "not_found")
        assert_problem(client.patch(url, {"enabled": False}, format="json"), 404, "not_found")
        assert_problem(client.delete(url), 404, "not_found")
        assert_problem(client.post(f"{url}rotate-secret/"), 404, "not_found")
        assert_problem(client.post(f"{url}test/"), 404, "not_found")
        assert_problem(client.get(f"{url}deliveries/"), 404, "not_found")
        assert client.get(ENDPOINTS).json()["results"] == []
    assert_problem(as_user(learner).get(ENDPOINTS), 403, "permission_denied")
    assert_problem(as_user(learner).get(url), 403, "permission_denied")
    api_client.force_authenticate(None)
    assert_problem(api_client.get(ENDPOINTS), 401, "not_authenticated")
    assert Endpoint.objects.get().enabled


def test_change_disable_enable_and_delete(as_user, specialist, receiver):
    endpoint = endpoint_create(by=specialist, url=receiver.url, specialist=specialist)
    Endpoint.objects.update(enabled=False, disabled_reason="The receiver answered 410 Gone.")
    client = as_user(specialist)
    url = f"{ENDPOINTS}{endpoint.pk}/"

    changed = client.patch(
        url, {"description": "New", "event_types": ["order.paid"], "enabled": True}, format="json"
    )
    bad = client.patch(url, {"url": "file:///etc/passwd"}, format="json")
    deleted = client.delete(url)

    assert changed.status_code == 200
    assert changed.json()["enabled"] is True and changed.json()["disabled_reason"] == ""
    assert changed.json()["event_types"] == ["order.paid"]
    assert_problem(bad, 400, "invalid")
    assert deleted.status_code == 204 and not Endpoint.objects.exists()


def test_rotating_shows_the_new_secret_and_keeps_the_old_for_24_hours(
    as_user, specialist, receiver
):
    endpoint = endpoint_create(by=specialist, url=receiver.url, specialist=specialist)

    response = as_user(specialist).post(f"{ENDPOINTS}{endpoint.pk}/rotate-secret/")

    assert response.status_code == 200
    rotated = Endpoint.objects.get()
    assert response.json()["secret"] == rotated.secret != endpoint.secret
    assert rotated.previous_secret == endpoint.secret
    expected = timezone.now() + timedelta(hours=24)
    assert abs(rotated.previous_secret_expires_at - expected) < timedelta(seconds=5)


def test_the_ping_is_delivered_signed_and_shown(
    as_user, staff, receiver, platform_endpoint, django_capture_on_commit_callbacks
):
    client = as_user(staff)
    with django_capture_on_commit_callbacks(execute=True):  # sent once the ping is committed
        response = client.post(f"{ENDPOINTS}{platform_endpoint.pk}/test/")
    deliveries = client.get(f"{ENDPOINTS}{platform_endpoint.pk}/deliveries/")

    assert response.status_code == 202 and deliveries.status_code == 200
    body = response.json()
    assert body["event_type"] == "webhook.test" and body["status"] == "pending"
    (shown,) = deliveries.json()["results"]
    assert shown["webhook_id"] == body["webhook_id"] and shown["status"] == "succeeded"
    assert [a["status_code"] for a in shown["attempts_log"]] == [200]
    (request,) = receiver.wait_for(1)
    payload = Webhook(platform_endpoint.secret).verify(request["body"], request["headers"])
    assert payload["data"]["endpoint"] == platform_endpoint.pk
    assert request["headers"]["webhook-id"] == body["webhook_id"]


def test_deliveries_list_with_attempts_in_bounded_queries(
    as_user, staff, receiver, platform_endpoint, django_capture_on_commit_callbacks,
    django_assert_num_queries,
):  # fmt: skip
    receiver.script = [500]
    for number in range(5):
        with django_capture_on_commit_callbacks(execute=True):
            event_emit(event_type="enrollment.created", data={"id": number})
    client = as_user(staff)

    # the endpoint, the count, the page with its events, the attempts
    with django_assert_num_queries(4):
        response = client.get(f"{ENDPOINTS}{platform_endpoint.pk}/deliveries/")

    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["payload"]["data"]["id"] for r in results] == [4, 3, 2, 1, 0]
    assert all(r["status"] == "pending" and r["attempts"] == 1 for r in results)
    assert results[0]["attempts_log"][0]["status_code"] == 500


def test_endpoint_list_and_detail_in_bounded_queries(
    as_user, staff, receiver, django_assert_num_queries
):
    for _ in range(5):
        endpoint_create(by=staff, url=receiver.url)
    client = as_user(staff)
    url = f"{ENDPOINTS}{Endpoint.objects.first().pk}/"

    with django_assert_num_queries(2):  # count, page
        listed = client.get(ENDPOINTS)
    with django_assert_num_queries(1):
        detail = client.get(url)

    assert listed.status_code == 200 and len(listed.json()["results"]) == 5
    assert detail.status_code == 200


def test_redeliver_sends_the_same_webhook_id_again(
    as_user, staff, receiver, platform_endpoint, django_capture_on_commit_callbacks
):
    receiver.script = [500, 500, 200]
    with django_capture_on_commit_callbacks(execute=True):
        event_emit(event_type="enrollment.created", data={"id": 1})
    delivery = Delivery.objects.get()
    Delivery.objects.update(status="failed")

    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(staff).post(
            f"{ENDPOINTS}{platform_endpoint.pk}/deliveries/{delivery.pk}/redeliver/"
        )

    assert response.status_code == 202
    first, second = receiver.wait_for(2)
    assert first["headers"]["webhook-id"] == second["headers"]["webhook-id"]
    assert Delivery.objects.get().attempts == 1  # a fresh schedule
    other = endpoint_create(by=staff, url=receiver.url)
    wrong = as_user(staff).post(f"{ENDPOINTS}{other.pk}/deliveries/{delivery.pk}/redeliver/")
    assert_problem(wrong, 404, "not_found")


def test_replay_resends_what_failed_since_a_time(
    as_user, staff, receiver, platform_endpoint, django_capture_on_commit_callbacks
):
    receiver.script = [200, 500, 500]
    for number in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            event_emit(event_type="enrollment.created", data={"id": number})
    old = Delivery.objects.order_by("pk")[1]
    Delivery.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=2))
    Delivery.objects.exclude(status="succeeded").update(status="failed")
    receiver.script = [200]
    receiver.requests.clear()
    since = (timezone.now() - timedelta(days=1)).isoformat()

    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(staff).post(
            f"{ENDPOINTS}{platform_endpoint.pk}/replay/", {"since": since}, format="json"
        )
    missing = as_user(staff).post(f"{ENDPOINTS}{platform_endpoint.pk}/replay/", {}, format="json")

    assert response.status_code == 202 and response.json() == {"replayed": 1}
    (request,) = receiver.wait_for(1)
    assert request["headers"]["webhook-id"] == Delivery.objects.order_by("pk")[2].webhook_id
    assert_problem(missing, 400, "invalid")


def test_the_event_type_catalog_has_a_schema_per_type(as_user, specialist, learner):
    response = as_user(specialist).get("/api/v1/webhooks/event-types/")

    assert response.status_code == 200
    types = {t["type"]: t for t in response.json()}
    assert set(SUBSCRIBABLE) <= set(types) and "webhook.test" in types
    assert types["order.paid"]["schema"]["properties"]["amount"]["type"] == "integer"
    assert_problem(as_user(learner).get("/api/v1/webhooks/event-types/"), 403, "permission_denied")
