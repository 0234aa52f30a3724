"""One error shape for the whole API: RFC 9457 problem details.

Every 4xx/5xx the API returns is `application/problem+json` with `type`,
`title`, `status`, `detail` and a stable `code`; validation errors add `errors`
(messages per field). Services raise their app's rule errors (subclasses of
`accounts.exceptions.RuleError`); views let them through and this module maps
them. `DomainError` is for rules of the API layer itself (idempotency keys).
"""

import logging
from datetime import datetime
from http import HTTPStatus

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.utils.html import format_html
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, serializers, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from accounts.exceptions import (
    AccountLocked,
    EmailUnverified,
    InvalidLink,
    RuleError,
    WrongPassword,
)
from commerce.exceptions import BadSignature, ProviderRefused, ProviderUnavailable
from learning.exceptions import (
    ContentNotFound,
    EnrollmentInactive,
    InvalidInput,
    LessonLocked,
    LinkExpired,
    NotEnrolled,
    NotOnWaitlist,
    NotTeaching,
    SessionInPast,
    SessionNotOpen,
    SessionOutsideCohort,
    ZoomWebhookRefused,
    ZoomWebhooksNotConfigured,
)

logger = logging.getLogger(__name__)

# Instants read as every serializer writes them: ISO 8601 in UTC, "Z".
INSTANT = serializers.DateTimeField()

PROBLEM_CONTENT_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "/api/v1/errors/"

TITLES = {
    "invalid": "Invalid input",
    "parse_error": "Malformed request body",
    "not_authenticated": "Authentication required",
    "authentication_failed": "Authentication failed",
    "token_not_valid": "Token is invalid or expired",
    "no_active_account": "No active account with these credentials",
    "password_changed": "The password changed since this token was issued",
    "user_inactive": "Account closed or disabled",
    "permission_denied": "Permission denied",
    "not_found": "Not found",
    "method_not_allowed": "Method not allowed",
    "not_acceptable": "Not acceptable",
    "unsupported_media_type": "Unsupported media type",
    "throttled": "Too many requests",
    "payload_too_large": "Request body too large",
    "server_error": "Internal server error",
}


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "payload_too_large"
    default_detail = (
        f"The request body is over {settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024} KiB, the most "
        "the API reads."
    )


class DomainError(exceptions.APIException):
    """A business rule refused the request; subclasses set status, code and title."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"
    title = "Conflict"

    def __init__(self, detail=None, code=None, *, title=None):
        super().__init__(detail=detail, code=code)
        if title:
            self.title = title


def problem(status_code, code, detail, *, title=None, errors=None):
    """The problem-details body for one error."""
    body = {
        "type": f"{PROBLEM_TYPE_BASE}{code}/",
        "title": title or TITLES.get(code) or HTTPStatus(status_code).phrase,
        "status": status_code,
        "detail": detail,
        "code": code,
    }
    if errors is not None:
        body["errors"] = errors
    return body


def _code_of(exc):
    if isinstance(exc.detail, dict) and isinstance(exc.detail.get("code"), str):
        return str(exc.detail["code"])  # simplejwt puts its code beside the detail
    codes = exc.get_codes()
    return codes if isinstance(codes, str) else exc.default_code


def _field_errors(detail):
    """Validation messages as {field: [message, …]}, nested fields flattened with dots."""
    if isinstance(detail, list):
        return {"non_field_errors": [str(message) for message in detail]}
    errors = {}
    for field, messages in detail.items():
        if isinstance(messages, dict):
            for subfield, submessages in _field_errors(messages).items():
                errors[f"{field}.{subfield}"] = submessages
        elif isinstance(messages, list) and messages and isinstance(messages[0], dict):
            for index, item in enumerate(messages):
                for subfield, submessages in _field_errors(item).items():
                    errors[f"{field}.{index}.{subfield}"] = submessages
        else:
            errors[field] = [
                str(m) for m in (messages if isinstance(messages, list) else [messages])
            ]
    return errors


def _detail_text(exc):
    detail = exc.detail
    if isinstance(detail, dict) and "detail" in detail:
        return str(detail["detail"])
    if isinstance(detail, (dict, list)):
        return None
    return str(detail)


def exception_handler(exc, context):
    """DRF's EXCEPTION_HANDLER: every exception becomes a problem-details response."""
    request = context.get("request")
    if request is not None:  # errors are JSON even where the view also speaks CSV
        request.accepted_renderer, request.accepted_media_type = (
            JSONRenderer(),
            PROBLEM_CONTENT_TYPE,
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, RequestDataTooBig):  # over DATA_UPLOAD_MAX_MEMORY_SIZE
        exc = PayloadTooLarge()
    elif isinstance(exc, DjangoValidationError):  # a service's full_clean()
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )

    if isinstance(exc, RuleError):  # every app's rules
        return _rule_problem(exc)

    if not isinstance(exc, exceptions.APIException):
        logger.exception("Unhandled error in %s", context.get("view").__class__.__name__)
        body = problem(500, "server_error", "Something went wrong on our side; it has been logged.")
        return Response(body, status=500, content_type=PROBLEM_CONTENT_TYPE)

    response = drf_exception_handler(exc, context)  # keeps WWW-Authenticate, Retry-After
    code = _code_of(exc)
    if isinstance(exc, exceptions.ValidationError):
        body = problem(
            exc.status_code,
            "invalid",
            "One or more fields are invalid.",
            errors=_field_errors(exc.detail),
        )
    else:
        body = problem(
            exc.status_code,
            code,
            _detail_text(exc) or TITLES.get(code, ""),
            title=getattr(exc, "title", None),
        )
    response.data = body
    response.content_type = PROBLEM_CONTENT_TYPE
    return response


# Rules broken by a request answer 409 (a conflict with the current state) unless listed.
LEARNING_STATUSES = {
    EnrollmentInactive: 403,
    NotEnrolled: 403,
    LessonLocked: 403,
    ContentNotFound: 404,
    InvalidInput: 400,
    LinkExpired: 410,
    SessionNotOpen: 403,
    SessionInPast: 400,
    SessionOutsideCohort: 400,
    NotTeaching: 403,
    NotOnWaitlist: 404,
    ZoomWebhookRefused: 400,
    ZoomWebhooksNotConfigured: 503,
}


RULE_STATUSES = {
    **LEARNING_STATUSES,
    WrongPassword: 400,
    InvalidLink: 400,
    EmailUnverified: 403,
    AccountLocked: 429,
    BadSignature: 400,
    ProviderUnavailable: 503,
    ProviderRefused: 502,
}


def _rule_problem(exc):
    """A rule of accounts, learning, commerce or certification the request broke: 409 unless
    mapped."""
    status_code = RULE_STATUSES.get(type(exc), 409)
    extensions = {
        name: INSTANT.to_representation(value) if isinstance(value, datetime) else value
        for name, value in exc.extensions().items()
    }
    body = {**problem(status_code, exc.code, exc.detail, title=exc.title), **extensions}
    return Response(body, status=status_code, content_type=PROBLEM_CONTENT_TYPE)


def _problem_page(request, status_code, code, detail):
    return JsonResponse(
        problem(status_code, code, detail), status=status_code, content_type=PROBLEM_CONTENT_TYPE
    )


@csrf_exempt  # answers every method with a 404; there is nothing to forge
def endpoint_not_found(request, *args, **kwargs):
    return _problem_page(request, 404, "not_found", "No such API endpoint.")


def api_or_site_handler(status_code, code, detail, site_handler):
    """A Django handler404/500 that answers problem JSON under /api/ and HTML elsewhere."""

    def handler(request, *args, **kwargs):
        if request.path.startswith("/api/"):
            return _problem_page(request, status_code, code, detail)
        return site_handler(request, *args, **kwargs)

    return handler


# The problem types' own pages: each `type` URI answers with what its code means.


def _subclasses(cls):
    for subclass in cls.__subclasses__():
        yield subclass
        yield from _subclasses(subclass)


def problem_types() -> dict[str, str]:
    """{code: title} of every problem the API returns: DRF's, the API layer's, and every
    app's rules."""
    types = dict(TITLES)
    for error in _subclasses(exceptions.APIException):
        code, title = getattr(error, "default_code", None), getattr(error, "title", None)
        if code and title:
            types.setdefault(code, title)
    for rule in _subclasses(RuleError):
        types.setdefault(rule.code, rule.title)
    return types


def problem_type_page(request, code):
    """`/api/v1/errors/<code>/`: a short page saying what a problem's code means."""
    title = problem_types().get(code)
    if title is None:
        return endpoint_not_found(request)
    return HttpResponse(
        format_html(
            '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{}</title>'
            "</head><body><h1>{}</h1><p>Problem code <code>{}</code>. The API returns it as "
            "<code>application/problem+json</code>: <code>detail</code> explains the "
            "occurrence, and validation problems list <code>errors</code> per field.</p>"
            "</body></html>",
            title,
            title,
            code,
        )
    )
