"""`manage.py webhook_receiver`, the receiver the README's demo uses: a delivery signed with
the endpoint's secret is verified (by the standardwebhooks package) and answered 204; one it
cannot verify is answered 400, which our side records as a failure to retry."""

import io
import socket
import threading

import pytest
from django.core.management import call_command

from integrations.models import Delivery
from integrations.outbox import event_emit
from integrations.services import endpoint_create
from integrations.signing import new_secret

pytestmark = pytest.mark.django_db


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def receive_one(secret):
    """The command in a thread, stopping after one delivery; returns (thread, its output)."""
    port, output = free_port(), io.StringIO()
    thread = threading.Thread(
        target=call_command,
        args=["webhook_receiver", "--secret", secret, "--port", str(port), "--count", "1"],
        kwargs={"stdout": output},
    )
    thread.start()
    for _ in range(100):  # until it listens
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                break
        threading.Event().wait(0.02)
    return thread, output, f"http://127.0.0.1:{port}/"


@pytest.mark.parametrize("signed_with_the_right_secret", [True, False])
def test_the_receiver_verifies_what_it_is_sent(
    staff, django_capture_on_commit_callbacks, signed_with_the_right_secret
):
    secret = new_secret()
    thread, output, url = receive_one(secret if signed_with_the_right_secret else new_secret())
    endpoint = endpoint_create(by=staff, url=url, event_types=["order.paid"])
    endpoint.secret = secret
    endpoint.save(update_fields=["secret"])

    with django_capture_on_commit_callbacks(execute=True):
        event_emit(event_type="order.paid", data={"id": 7})
    thread.join(timeout=10)

    assert not thread.is_alive()
    delivery = Delivery.objects.get(endpoint=endpoint)
    lines = output.getvalue().splitlines()
    assert lines[0] == f"Receiving on {url} (Ctrl-C to stop)"
    if signed_with_the_right_secret:
        assert lines[1] == f"verified order.paid {delivery.webhook_id}"
        assert (delivery.status, delivery.last_status_code) == ("succeeded", 204)
    else:
        assert lines[1].startswith(f"REFUSED {delivery.webhook_id}: ")
        assert (delivery.status, delivery.last_status_code) == ("pending", 400)
