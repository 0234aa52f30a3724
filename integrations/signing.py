"""Standard Webhooks v1 signatures: HMAC-SHA256 of `id.timestamp.body` with the endpoint's
secret (`whsec_` + base64 of 32 random bytes)."""

import base64
import secrets
from datetime import UTC, datetime

from standardwebhooks import Webhook

SECRET_PREFIX = "whsec_"


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def signature_header(*, secrets_: list[str], webhook_id: str, timestamp: int, body: str) -> str:
    """The `webhook-signature` value: one `v1,<base64>` per secret, space-separated (two
    while a rotated-out secret is still honoured)."""
    at = datetime.fromtimestamp(timestamp, tz=UTC)
    return " ".join(Webhook(secret).sign(webhook_id, at, body) for secret in secrets_)
