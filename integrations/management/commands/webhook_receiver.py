"""A webhook receiver for trying deliveries on one machine: it listens on loopback, checks
each delivery's signature with the `standardwebhooks` package (an implementation independent
of ours), prints what arrived and answers 204, or 400 when the signature does not verify.

    manage.py webhook_receiver --secret whsec_…   # the secret shown when the endpoint was added
"""

from http.server import BaseHTTPRequestHandler, HTTPServer

from django.core.management.base import BaseCommand
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError


class Command(BaseCommand):
    help = "Receive webhooks on loopback and verify their signatures (development)."

    def add_arguments(self, parser):
        parser.add_argument("--secret", required=True, help="The endpoint's whsec_ secret.")
        parser.add_argument("--port", type=int, default=8765)
        parser.add_argument(
            "--count", type=int, default=0, help="Stop after this many deliveries (0: never)."
        )

    def handle(self, *args, secret, port, count, **options):
        verifier = Webhook(secret)
        received = []
        command = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                webhook_id = self.headers.get("webhook-id", "")
                try:
                    payload = verifier.verify(body, dict(self.headers))
                except WebhookVerificationError as error:
                    command.stdout.write(f"REFUSED {webhook_id}: {error}")
                    status = 400
                else:
                    command.stdout.write(f"verified {payload['type']} {webhook_id}")
                    status = 204
                self.send_response(status)
                self.send_header("content-length", "0")
                self.end_headers()
                received.append(webhook_id)

            def log_message(self, *args):
                pass

        server = HTTPServer(("127.0.0.1", port), Handler)  # one delivery at a time
        self.stdout.write(
            f"Receiving on http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C to stop)"
        )
        try:
            while not count or len(received) < count:
                server.handle_request()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
