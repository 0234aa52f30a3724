"""Serializers that only write responses, for reports of many small figures.

DRF's `Serializer.to_representation` looks each field up through several generic layers
(abstract `Mapping` checks, a generator of readable fields, `get_attribute`'s error handling):
a few microseconds a field, which a report of a thousand figures (a 90-day series, fifty
courses' rows) turns into most of a request's time in Python. `OutputSerializer` gives the same
output from a plan made once per serializer: each field's source path and how it shows a
value, integers and strings converted directly, everything else by the field itself."""

from collections.abc import Mapping
from functools import cached_property

from rest_framework import serializers


def _plain(field):
    """How a field shows a value when that is a plain conversion; None when the field must."""
    if type(field) is serializers.IntegerField:
        return int
    if type(field) is serializers.CharField:
        return str
    if type(field) is serializers.BooleanField:
        return bool
    return None


def _attribute(value, attrs):
    for attr in attrs:
        value = (
            value[attr]
            if type(value) is dict or isinstance(value, Mapping)
            else getattr(value, attr)
        )
    return value


class OutputSerializer(serializers.Serializer):
    """Read only: to be given a dict or object and asked for `.data`."""

    @cached_property
    def _plan(self):
        return [
            (field.field_name, field.source_attrs, _plain(field) or field.to_representation)
            for field in self._readable_fields
        ]

    def to_representation(self, instance):
        shown = {}
        for name, attrs, show in self._plan:
            value = _attribute(instance, attrs)
            shown[name] = None if value is None else show(value)
        return shown
