import csv
import io

from rest_framework.exceptions import NotAcceptable
from rest_framework.renderers import BaseRenderer, JSONRenderer

from accounts.spreadsheets import csv_cell


class CSVRenderer(BaseRenderer):
    """Lists of flat rows as CSV (`?format=csv`); the columns are the first row's keys, or the
    serializer's fields when there is no row. Text a spreadsheet would run as a formula is
    written as text (`accounts.spreadsheets`)."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        rows = data.get("results", data) if isinstance(data, dict) else data
        if not isinstance(rows, list):  # an error: problem details, one field per line
            rows = [data]
        buffer = io.StringIO()
        columns = list(rows[0]) if rows else _serializer_columns(rows)
        if columns:
            writer = csv.DictWriter(buffer, fieldnames=columns)
            writer.writeheader()
            writer.writerows({name: csv_cell(value) for name, value in row.items()} for row in rows)
        return buffer.getvalue().encode(self.charset)


def _serializer_columns(rows) -> list[str]:
    """The columns of an empty list a serializer made (it keeps its serializer): a file with no
    rows still has its header, and is not an empty body."""
    serializer = getattr(rows, "serializer", None)
    return list(serializer.child.fields) if serializer is not None else []


class ICalendarRenderer(BaseRenderer):
    """iCalendar feeds: the view hands over the finished bytes."""

    media_type = "text/calendar"
    format = "ics"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class FileRenderer(BaseRenderer):
    """For views that answer with a file (a FileResponse, which nothing renders): lets any
    Accept through DRF's negotiation, so the view can check it against its file's own type
    (`require_acceptable`). Their problem responses are JSON, as everywhere."""

    media_type = "*/*"
    format = "file"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return JSONRenderer().render(data)


def require_acceptable(request, content_type: str) -> None:
    """406 unless the request's Accept allows `content_type` (no Accept allows anything)."""
    if not request.accepts(content_type):
        raise NotAcceptable(
            f"This is a {content_type} file; the request's Accept does not allow it."
        )
