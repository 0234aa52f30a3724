"""What operators read: a request id on every log line and in every task, errors to Sentry.

The request id comes from django-guid: the `X-Request-ID` a proxy or client sent (when it
is a UUID) or a new one, returned on the response. Tasks published while a request runs
carry it in a header, so a worker's lines name the request that queued them.
"""

import sentry_sdk
from django_guid import get_guid


def _tag_request_id(event, hint):
    request_id = get_guid()
    if request_id:
        event.setdefault("tags", {})["request_id"] = request_id
    return event


def sentry_init(*, dsn: str, environment: str, traces_sample_rate: float, **options) -> None:
    """Send unhandled errors (and ERROR log lines) to Sentry, tagged with the request id.

    Django and Celery are instrumented by sentry-sdk's auto-enabled integrations. Nothing about
    a person leaves: no user identity, cookies, request bodies (sign-in passwords, webhook
    payloads with e-mails), query parameters or local variables.
    """
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        traces_sample_rate=traces_sample_rate,
        data_collection={
            "user_info": False,
            "cookies": {"mode": "off"},
            "http_bodies": [],
            "url_query_params": {"mode": "off"},
            "database_query_data": False,
            "stack_frame_variables": False,
        },
        before_send=_tag_request_id,
        **options,
    )
