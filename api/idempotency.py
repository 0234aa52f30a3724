"""`Idempotency-Key` for POSTs that create money or seats.

The first request with a key runs and its answer is stored; a retry with the
same key, method, path and body gets that answer again (header
`Idempotent-Replayed: true`) instead of acting twice. Reusing a key for a
different request is a 422; a retry while the first is still running, a 409.
Failures are not stored, so a retry after an error runs again. A request that never
finished (its worker was killed, or outlived the server's timeout) holds its key for a lease
of 60 seconds; a retry after that runs again in its place.
"""

import hashlib
import json
from datetime import timedelta
from functools import wraps

from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from api.errors import DomainError
from api.models import IdempotencyRecord

HEADER = "Idempotency-Key"
# Longer than any request may run (gunicorn kills a worker after 30 s by default).
IN_FLIGHT_LEASE = timedelta(seconds=60)


class IdempotencyKeyReused(DomainError):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_code = "idempotency_key_reused"
    default_detail = "This Idempotency-Key was used for a different request."
    title = "Idempotency key reused"


class IdempotentRequestInFlight(DomainError):
    default_code = "idempotent_request_in_flight"
    default_detail = "A request with this Idempotency-Key is still being processed; retry shortly."
    title = "Request in progress"


def _fingerprint(request):
    return hashlib.sha256(
        json.dumps(request.data, sort_keys=True, default=str).encode()
    ).hexdigest()


def idempotent(handler):
    """Decorate an APIView's post(): honour an Idempotency-Key header when one is sent."""

    @wraps(handler)
    def wrapper(view, request, *args, **kwargs):
        key = request.headers.get(HEADER)
        if not key:
            return handler(view, request, *args, **kwargs)
        if len(key) > 255:
            raise ValidationError({HEADER: ["Use at most 255 characters."]})
        identity = {
            "method": request.method,
            "path": request.path,
            "fingerprint": _fingerprint(request),
        }
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(user=request.user, key=key, **identity)
        except IntegrityError:
            record = _replay_or_take_over(request.user, key, identity)
            if isinstance(record, Response):
                return record
        try:
            response = handler(view, request, *args, **kwargs)
        except Exception:
            record.delete()  # nothing happened that a retry must not repeat
            raise
        if response.status_code >= 500:
            record.delete()
        else:
            # As the client saw it: rendered by the API's own JSON renderer.
            record.status_code = response.status_code
            record.body = json.loads(JSONRenderer().render(response.data))
            record.save(update_fields=["status_code", "body"])
        return response

    return wrapper


def _replay_or_take_over(user, key, identity):
    """The first answer, replayed; or the record of a request that died in flight, taken over
    by this one (exactly one retry wins it)."""
    record = IdempotencyRecord.objects.get(user=user, key=key)
    if {name: getattr(record, name) for name in identity} != identity:
        raise IdempotencyKeyReused()
    if record.status_code is not None:
        return Response(
            record.body, status=record.status_code, headers={"Idempotent-Replayed": "true"}
        )
    now = timezone.now()
    if record.created_at > now - IN_FLIGHT_LEASE:
        raise IdempotentRequestInFlight()
    taken = IdempotencyRecord.objects.filter(
        pk=record.pk, status_code__isnull=True, created_at=record.created_at
    ).update(created_at=now)
    if not taken:  # another retry took it first
        raise IdempotentRequestInFlight()
    record.created_at = now
    return record
