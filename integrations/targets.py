"""Where we may send: https only (http when DEBUG or WEBHOOKS_ALLOW_HTTP), and never to a
private, loopback, link-local, carrier-grade NAT, multicast or reserved address (IPv4-mapped
IPv6 included) unless WEBHOOKS_ALLOW_PRIVATE_TARGETS is on (development and tests only).

The URL is checked when an endpoint is saved, for a clear error; the address is checked
again when we send, by requests-hardened, which resolves the host once, checks the address
and connects to that address (a DNS answer that changes in between cannot redirect us)."""

import functools
import socket
from urllib.parse import urlsplit

from django.conf import settings
from requests_hardened import Config, Manager
from requests_hardened.ip_filter import InvalidIPAddress, get_ip_address

MAX_URL_LENGTH = 2000


def allow_http() -> bool:
    return settings.DEBUG or settings.WEBHOOKS_ALLOW_HTTP


def url_problems(url: str) -> list[str]:
    """Why we would refuse to send to this URL; empty when it is fine."""
    if len(url) > MAX_URL_LENGTH:
        return [f"Use at most {MAX_URL_LENGTH} characters."]
    try:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return ["Enter a valid URL."]
    schemes = ("https", "http") if allow_http() else ("https",)
    if parts.scheme not in schemes:
        return [f"Use an {' or '.join(schemes)} URL."]
    if not parts.hostname:
        return ["Enter a valid URL."]
    if parts.username or parts.password:
        return ["Leave credentials out of the URL; we sign every delivery instead."]
    if settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS:
        return []
    try:
        get_ip_address(parts.hostname, port, allow_loopback=False)
    except InvalidIPAddress:
        return ["This address is private or reserved: we only send to public addresses."]
    except (socket.gaierror, UnicodeError):
        return ["This host name does not resolve."]
    return []


@functools.cache
def _session(timeout: float, allow_private: bool):
    return Manager(
        Config(
            ip_filter_enable=not allow_private,
            ip_filter_allow_loopback_ips=False,
            never_redirect=True,
            default_timeout=(min(timeout, 5), timeout),
            user_agent_override="Courses-Webhooks/1.0",
        )
    ).get_session()


def http_session():
    """The only way deliveries leave: redirects never followed, the send-time address check
    on unless private targets are allowed, the configured timeout. One per worker process
    and configuration, so connections (and TLS sessions) to a receiver are reused."""
    return _session(settings.WEBHOOKS_TIMEOUT_SECONDS, settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS)
