"""Path converters for the API's URLconfs, registered once by `ApiConfig.ready`."""


class IdConverter:
    """Ids that fit a 64-bit column; anything longer is simply not found."""

    regex = "[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)
