"""Path converters for the API's URLconfs; importing this module registers them."""

from django.urls import register_converter


class IdConverter:
    """Ids that fit a 64-bit column; anything longer is simply not found."""

    regex = "[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


register_converter(IdConverter, "id")
