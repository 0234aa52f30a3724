"""Deliveries to a real receiver on loopback: signed per Standard Webhooks (verified with
the `standardwebhooks` package), retried on the spec's schedule with the same webhook-id,
and what each kind of failing receiver leads to."""

import base64
import json
import socket
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from standardwebhooks import Webhook

from config.celery_app import app
from integrations.delivery import MAX_ATTEMPTS, deliveries_claim_due, delivery_claim
from integrations.models import Delivery, DeliveryAttempt, Endpoint, Event
from integrations.outbox import event_emit
from integrations.services import endpoint_create, endpoint_rotate_secret
from integrations.tasks import dispatch_due_deliveries, prune_delivery_log, send_delivery

pytestmark = pytest.mark.django_db


@pytest.fixture
def emit(django_capture_on_commit_callbacks):
    """Emit an event and run what its commit queues: the first attempt, right away."""

    def emit_one(data=None):
        with django_capture_on_commit_callbacks(execute=True):
            event_emit(event_type="enrollment.created", data=data or {"id": 1})
        return Delivery.objects.order_by("-pk").first()

    return emit_one


def make_due(delivery):
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())


def test_a_delivery_is_signed_and_verifies_with_the_standard_library(
    platform_endpoint, receiver, emit
):
    delivery = emit({"id": 7})

    (request,) = receiver.wait_for(1)
    headers = request["headers"]
    payload = Webhook(platform_endpoint.secret).verify(request["body"], headers)
    assert payload["type"] == "enrollment.created" and payload["data"] == {"id": 7}
    assert request["body"] == delivery.event.body  # the exact bytes signed
    assert headers["webhook-id"] == delivery.webhook_id
    assert headers["content-type"] == "application/json"
    assert abs(int(headers["webhook-timestamp"]) - timezone.now().timestamp()) < 5
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("succeeded", 1, 200)
    (attempt,) = delivery.attempts_log.all()
    assert attempt.status_code == 200 and len(attempt.response_excerpt) == 1024


def test_a_500_is_retried_after_5_seconds_with_the_same_webhook_id(
    platform_endpoint, receiver, emit
):
    receiver.script = [500, 200]
    before = timezone.now()

    delivery = emit()

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("pending", 1, 500)
    wait = delivery.next_attempt_at - before
    assert timedelta(seconds=4.5) <= wait <= timedelta(seconds=6)  # 5 s ± 10 % jitter
    dispatch_due_deliveries()  # not due yet
    assert len(receiver.requests) == 1

    make_due(delivery)
    dispatch_due_deliveries()

    first, second = receiver.wait_for(2)
    assert first["headers"]["webhook-id"] == second["headers"]["webhook-id"]
    Webhook(platform_endpoint.secret).verify(second["body"], second["headers"])
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("succeeded", 2)
    assert [a.status_code for a in delivery.attempts_log.order_by("at")] == [500, 200]
    assert Endpoint.objects.get().failing_since is None


def test_the_tenth_failure_is_the_last_and_the_ninth_is_not(platform_endpoint, receiver, emit):
    receiver.script = [500]
    delivery = emit()
    Delivery.objects.filter(pk=delivery.pk).update(attempts=MAX_ATTEMPTS - 2)
    make_due(delivery)

    send_delivery(delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("pending", MAX_ATTEMPTS - 1)
    assert delivery.next_attempt_at - timezone.now() > timedelta(hours=21)  # 24 h - 10 %

    make_due(delivery)
    send_delivery(delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("failed", MAX_ATTEMPTS)
    assert MAX_ATTEMPTS == 10


def test_a_redirect_is_a_failure_and_is_not_followed(platform_endpoint, receiver, emit):
    receiver.script = [(302, {"Location": receiver.url + "/elsewhere"})]

    delivery = emit()

    delivery.refresh_from_db()
    assert [r["path"] for r in receiver.requests] == ["/hooks"]
    assert (delivery.status, delivery.last_status_code) == ("pending", 302)
    assert delivery.last_error == "The receiver answered 302."


def test_410_disables_the_endpoint_and_tells_its_owner(platform_endpoint, staff, receiver, emit):
    receiver.script = [410]

    delivery = emit()

    delivery.refresh_from_db()
    endpoint = Endpoint.objects.get()
    assert delivery.status == "failed"
    assert not endpoint.enabled and endpoint.disabled_reason == "The receiver answered 410 Gone."
    (message,) = mail.outbox
    assert message.to == [staff.email] and platform_endpoint.url in message.body

    later = emit()  # a disabled endpoint is sent nothing more
    assert later is None or later.pk == delivery.pk
    assert len(receiver.requests) == 1


@pytest.mark.parametrize(
    ("status", "retry_after", "at_least"),
    [(429, "3600", timedelta(seconds=3590)), (503, "120", timedelta(seconds=115))],
)
def test_throttling_answers_are_retried_no_sooner_than_retry_after(
    platform_endpoint, receiver, emit, status, retry_after, at_least
):
    receiver.script = [(status, {"Retry-After": retry_after})]

    delivery = emit()

    delivery.refresh_from_db()
    assert delivery.status == "pending"
    assert at_least <= delivery.next_attempt_at - timezone.now() <= at_least + timedelta(minutes=1)


def test_retry_after_is_capped_at_24_hours(platform_endpoint, receiver, emit):
    receiver.script = [(429, {"Retry-After": str(7 * 24 * 3600)})]

    delivery = emit()

    delivery.refresh_from_db()
    assert delivery.next_attempt_at - timezone.now() <= timedelta(hours=24, seconds=5)


def test_a_receiver_that_hangs_times_out(platform_endpoint, receiver, emit, settings):
    settings.WEBHOOKS_TIMEOUT_SECONDS = 0.5
    receiver.script = ["hang"]

    delivery = emit()

    delivery.refresh_from_db()
    (attempt,) = delivery.attempts_log.all()
    assert attempt.status_code is None and attempt.error == "No answer within 0.5 s."
    assert attempt.duration_ms < 3000
    assert delivery.status == "pending" and delivery.attempts == 1


def test_a_receiver_that_closes_the_connection_is_a_failure(platform_endpoint, receiver, emit):
    receiver.script = ["close"]

    delivery = emit()

    delivery.refresh_from_db()
    assert delivery.status == "pending" and delivery.last_status_code is None
    assert "ConnectionError" in delivery.last_error


def test_failing_for_five_days_disables_the_endpoint_but_not_a_minute_sooner(
    platform_endpoint, staff, receiver, emit
):
    receiver.script = [500]
    almost = timezone.now() - timedelta(days=5) + timedelta(minutes=1)
    Endpoint.objects.update(failing_since=almost)

    emit()
    assert Endpoint.objects.get().enabled and mail.outbox == []

    Endpoint.objects.update(failing_since=timezone.now() - timedelta(days=5))
    emit()
    endpoint = Endpoint.objects.get()
    assert not endpoint.enabled and endpoint.disabled_reason.startswith("Every delivery failed")
    assert [m.to for m in mail.outbox] == [[staff.email]]


def test_a_claim_is_taken_once(platform_endpoint, emit, receiver):
    receiver.script = [500]
    delivery = emit()
    make_due(delivery)

    claimed = deliveries_claim_due()

    assert [pk for pk, _ in claimed] == [delivery.pk]
    assert delivery_claim(delivery.pk) is None and deliveries_claim_due() == []


def test_a_worker_that_died_mid_attempt_leaves_the_delivery_due_after_its_lease(
    platform_endpoint, receiver, emit
):
    receiver.script = [500, 200]
    delivery = emit()
    make_due(delivery)
    assert deliveries_claim_due()  # claimed, then the worker dies: nothing is sent

    Delivery.objects.filter(pk=delivery.pk).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1)
    )  # the lease ran out
    dispatch_due_deliveries()

    first, second = receiver.wait_for(2)
    assert first["headers"]["webhook-id"] == second["headers"]["webhook-id"]
    assert Delivery.objects.get(pk=delivery.pk).status == "succeeded"


def test_after_rotation_both_secrets_sign_for_24_hours(platform_endpoint, receiver, emit):
    old_secret = platform_endpoint.secret
    endpoint = endpoint_rotate_secret(endpoint=platform_endpoint)

    emit()
    Endpoint.objects.update(previous_secret_expires_at=timezone.now() - timedelta(seconds=1))
    emit()

    during, after = receiver.wait_for(2)
    assert len(during["headers"]["webhook-signature"].split(" ")) == 2
    Webhook(old_secret).verify(during["body"], during["headers"])
    Webhook(endpoint.secret).verify(during["body"], during["headers"])
    assert len(after["headers"]["webhook-signature"].split(" ")) == 1
    Webhook(endpoint.secret).verify(after["body"], after["headers"])
    with pytest.raises(Exception, match="No matching signature"):
        Webhook(old_secret).verify(after["body"], after["headers"])


class TestPrivateTargets:
    """With the guard on (production's only setting), nothing private is ever contacted."""

    @pytest.fixture(autouse=True)
    def guard_on(self, settings):
        settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = False

    def endpoint_to(self, url, staff):
        # Saved behind the registration check's back (e.g. DNS that changed since): the
        # send-time check must still refuse.
        return Endpoint.objects.create(created_by=staff, url=url, secret="whsec_" + "A" * 44)

    def test_the_loopback_receiver_is_never_contacted(self, staff, receiver, emit):
        self.endpoint_to(receiver.url, staff)

        delivery = emit()

        delivery.refresh_from_db()
        assert receiver.requests == []
        assert delivery.last_error.startswith("Refused: the host resolves to a private")

    def test_a_hostname_resolving_to_a_private_address_is_refused(
        self, staff, receiver, emit, monkeypatch
    ):
        port = int(receiver.url.split(":")[2].split("/")[0])
        real = socket.getaddrinfo

        def resolve(host, *args, **kwargs):  # DNS is outside the machine: fake its answer
            if host == "hooks.example.com":
                return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]
            return real(host, *args, **kwargs)

        monkeypatch.setattr(socket, "getaddrinfo", resolve)
        self.endpoint_to(f"http://hooks.example.com:{port}/hooks", staff)

        delivery = emit()

        delivery.refresh_from_db()
        assert receiver.requests == []
        assert delivery.last_error.startswith("Refused")


def test_payload_is_the_event_body_verbatim(platform_endpoint, receiver, emit):
    emit({"id": 3, "name": "Zoë — “quotes”"})

    (request,) = receiver.wait_for(1)
    assert json.loads(request["body"])["data"]["name"] == "Zoë — “quotes”"
    Webhook(platform_endpoint.secret).verify(request["body"], request["headers"])


def test_endpoint_create_gives_a_whsec_secret_of_32_bytes(staff, receiver):
    endpoint = endpoint_create(by=staff, url=receiver.url)

    assert endpoint.secret.startswith("whsec_")
    assert len(base64.b64decode(endpoint.secret.removeprefix("whsec_"))) == 32


def test_the_log_is_pruned_after_30_days_but_pending_deliveries_stay(
    platform_endpoint, receiver, emit
):
    receiver.script = [200, 500]
    done, waiting = emit({"id": 1}), emit({"id": 2})
    recent = emit({"id": 3})
    month = timedelta(days=30)
    old, young = (
        timezone.now() - month - timedelta(minutes=1),
        timezone.now() - month + timedelta(minutes=1),
    )
    for delivery, created in ((done, old), (waiting, old), (recent, young)):
        Delivery.objects.filter(pk=delivery.pk).update(created_at=created)
        Event.objects.filter(pk=delivery.event_id).update(created_at=created)
        DeliveryAttempt.objects.filter(delivery=delivery).update(at=created)

    prune_delivery_log()

    assert set(Delivery.objects.values_list("pk", flat=True)) == {waiting.pk, recent.pk}
    assert set(Event.objects.values_list("pk", flat=True)) == {waiting.event_id, recent.event_id}
    assert list(DeliveryAttempt.objects.values_list("delivery", flat=True)) == [recent.pk]


def test_a_broker_that_is_down_loses_nothing(
    platform_endpoint, receiver, django_capture_on_commit_callbacks
):
    def connect_to(broker_url, *, eager):
        app.conf.task_always_eager, app.conf.broker_url = eager, broker_url
        app._pool, app.amqp._producer_pool = None, None  # the next send connects anew

    saved = app.conf.broker_url
    connect_to("redis://127.0.0.1:1/0", eager=False)  # nothing listens there
    try:
        with django_capture_on_commit_callbacks(execute=True):
            event_emit(event_type="enrollment.created", data={"id": 1})
    finally:
        connect_to(saved, eager=True)
    delivery = Delivery.objects.get()
    assert delivery.status == "pending" and delivery.attempts == 0 and receiver.requests == []

    dispatch_due_deliveries()  # the beat finds it once the broker is back

    assert Delivery.objects.get().status == "succeeded" and len(receiver.wait_for(1)) == 1
