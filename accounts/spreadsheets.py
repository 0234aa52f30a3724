"""Text that a spreadsheet program would run as a formula (OWASP's "CSV injection"): a cell
starting with =, +, -, @, a tab or a carriage return. Every CSV we write prefixes such text
with an apostrophe, which spreadsheets take as "this is text" and do not show; numbers,
negative ones included, are left as they are. (XLSX cells are typed: Wagtail's export already
writes formula-like text as text.)"""

import re

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"-?\d+(\.\d+)?")


def csv_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_START) and not NUMBER.fullmatch(value):
        return "'" + value
    return value


class FormulaSafeExportMixin:
    """For Wagtail's listing and report views that export (`?export=csv`)."""

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        return csv_cell(value) if export_format == self.FORMAT_CSV else value
