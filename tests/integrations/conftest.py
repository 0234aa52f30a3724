"""A real HTTP receiver on loopback, scripted per test, and endpoints that point at it."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from integrations.services import endpoint_create
from tests.factories import UserFactory


class Receiver:
    """Records every request; answers from `script` (one behaviour per request, the last
    repeated): a status code, (status, headers), "hang" or "close"."""

    def __init__(self):
        self.requests = []
        self.script = [200]
        self.release = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                receiver.requests.append(
                    {"path": self.path, "headers": dict(self.headers), "body": body.decode()}
                )
                behaviour = receiver.script[min(len(receiver.requests), len(receiver.script)) - 1]
                if behaviour == "hang":
                    receiver.release.wait(5)
                    return
                if behaviour == "close":
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                status, headers = behaviour if isinstance(behaviour, tuple) else (behaviour, {})
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                answer = b"ok " * 1000
                self.send_header("content-length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()

    def wait_for(self, count, seconds=5):
        deadline = time.monotonic() + seconds
        while len(self.requests) < count and time.monotonic() < deadline:
            time.sleep(0.01)
        return self.requests


@pytest.fixture
def receiver():
    receiver = Receiver()
    yield receiver
    receiver.stop()


@pytest.fixture(autouse=True)
def local_targets(settings):
    """Tests send to a loopback receiver over http; the SSRF tests turn the guard back on."""
    settings.WEBHOOKS_ALLOW_HTTP = True
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = True


@pytest.fixture
def staff(db):
    return UserFactory(is_staff=True)


@pytest.fixture
def platform_endpoint(staff, receiver):
    return endpoint_create(by=staff, url=receiver.url, description="CRM")


@pytest.fixture
def receivers():
    """Three receivers, for the tests that fan out to several endpoints."""
    started = [Receiver() for _ in range(3)]
    yield started
    for receiver in started:
        receiver.stop()
