"""Serving private files through the signed links the API hands out (see learning/downloads.py)."""

import mimetypes

from django.http import FileResponse, HttpResponseRedirect
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from learning.downloads import download_for

# Types a browser may show in place; anything else (HTML above all) is downloaded.
INLINE_TYPES = {"application/pdf", "text/vtt", "text/plain", "image/png", "image/jpeg"}


def _is_local(field_file):
    try:
        field_file.path  # noqa: B018 - storages without local files raise here
    except NotImplementedError:
        return False
    return True


class FileDownloadView(APIView):
    authentication_classes = []  # the signed link is the credential
    permission_classes = [AllowAny]
    problem_statuses = {"403", "410"}

    @extend_schema(
        parameters=[OpenApiParameter("token", OpenApiTypes.STR, OpenApiParameter.PATH)],
        responses={
            (200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY),
            302: OpenApiResponse(description="Redirect to the file in remote storage."),
        },
    )
    def get(self, request, token):
        """A lesson document, caption track or handed-in file, from a link the API gave out."""
        download = download_for(token)
        if not _is_local(download.file):  # remote storage signs its own short-lived URL
            return HttpResponseRedirect(download.file.url)
        content_type = mimetypes.guess_type(download.filename)[0] or "application/octet-stream"
        response = FileResponse(
            download.file.open("rb"),
            as_attachment=content_type not in INLINE_TYPES,
            filename=download.filename,
            content_type=content_type,
        )
        response["Cache-Control"] = "private, max-age=3600"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        return response
