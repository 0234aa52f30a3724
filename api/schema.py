"""OpenAPI generation: every operation documents the problem responses it can really return."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.permissions import AllowAny


class ProblemSerializer(serializers.Serializer):
    """RFC 9457 problem details, the body of every error response."""

    type = serializers.CharField(help_text="URI reference identifying the problem type.")
    title = serializers.CharField(help_text="Short, human-readable summary of the problem type.")
    status = serializers.IntegerField(help_text="The HTTP status code.")
    detail = serializers.CharField(help_text="Explanation specific to this occurrence.")
    code = serializers.CharField(help_text="Stable, machine-readable error code.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Messages per field (dotted paths for nested fields); validation errors only.",
    )

    class Meta:
        ref_name = "Problem"


PROBLEM_MEDIA_TYPE = "application/problem+json"
DESCRIPTIONS = {
    "400": "Invalid input: see `errors` for the fields at fault.",
    "401": "Missing, invalid or expired credentials.",
    "403": "Signed in, but not allowed to do this.",
    "404": "No such object, or not one the caller may see.",
    "409": "The request conflicts with the current state.",
    "410": "The link has expired: fetch a fresh one.",
    "415": "The body's content type is not one this operation reads.",
    "429": "Too many requests: retry after the number of seconds in `Retry-After`.",
}


class ProblemAutoSchema(AutoSchema):
    """Adds the problem responses an operation can produce, judged from how the view is built.

    Views with extra statuses (409 conflicts, 503) declare them with
    `problem_statuses = {...}` on the view class, or per method (`{"PATCH": {...}}`) when
    the view's methods differ.
    """

    def _problem_statuses(self):
        view = self.view
        declared = getattr(view, "problem_statuses", ())
        if isinstance(declared, dict):
            declared = declared.get(self.method, ())
        statuses = set(declared)
        has_body = self.method in ("POST", "PUT", "PATCH")
        filters = getattr(view, "filterset_class", None) or getattr(view, "filterset_fields", None)
        paginated = self._is_list_view() and getattr(view, "pagination_class", None)
        if has_body or filters or paginated:
            statuses.add("400")
        if has_body:
            statuses.add("415")
        if view.authentication_classes:
            statuses.add("401")
        if any(permission is not AllowAny for permission in view.permission_classes):
            statuses.update({"401", "403"})
        if "{" in self.path or paginated:
            statuses.add("404")
        if view.throttle_classes:
            statuses.add("429")
        return sorted(statuses)

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for status_code in self._problem_statuses():
            if status_code not in responses:
                responses[status_code] = self._get_response_for_code(
                    OpenApiResponse(
                        ProblemSerializer, description=DESCRIPTIONS.get(status_code, "")
                    ),
                    status_code,
                    [PROBLEM_MEDIA_TYPE],
                    direction,
                )
        return responses


def public_api_only(endpoints):
    """Document /api/v1/ only, not the Wagtail admin's internal API."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]
