"""The API's JSON parser: DRF's, refusing with a 400 what Python's parser cannot read."""

from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:  # thousands of nested arrays or objects
            raise ParseError("JSON parse error - nested too deeply.") from None
