"""`OutputSerializer` shows exactly what DRF's own `Serializer` shows for the same fields."""

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

from rest_framework import serializers

from api.output import OutputSerializer


class Money(OutputSerializer):
    currency = serializers.CharField()
    amount = serializers.DecimalField(max_digits=8, decimal_places=2)


class Row(OutputSerializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    open = serializers.BooleanField()
    day = serializers.DateField()
    owner = serializers.CharField(source="owner.name")
    note = serializers.IntegerField(allow_null=True)
    label = serializers.SerializerMethodField()
    whole = serializers.SerializerMethodField(method_name="get_keys")
    money = Money(many=True)

    def get_label(self, row) -> str:
        return f"#{row['id']}"

    def get_keys(self, row) -> int:
        return len(row)


class Report(OutputSerializer):
    rows = Row(many=True)
    total = serializers.IntegerField()


def _report():
    rows = [
        {
            "id": number,
            "title": 42 if number == 2 else f"Course {number}",  # converted as DRF converts
            "open": number % 2 == 0,
            "day": date(2026, 12, number),
            "owner": SimpleNamespace(name=f"Owner {number}"),
            "note": None if number == 1 else Decimal("7"),
            "money": [{"currency": "EUR", "amount": 1234 + number}],
        }
        for number in (1, 2, 3)
    ]
    return {"rows": rows, "total": Decimal("3")}


def test_the_output_is_drf_s_own():
    fast = Report(_report()).data
    drf = OutputSerializer.to_representation
    try:
        OutputSerializer.to_representation = serializers.Serializer.to_representation
        slow = Report(_report()).data
    finally:
        OutputSerializer.to_representation = drf

    assert fast == slow
    assert fast["rows"][0] == {
        "id": 1,
        "title": "Course 1",
        "open": False,
        "day": "2026-12-01",
        "owner": "Owner 1",
        "note": None,
        "label": "#1",
        "whole": 7,
        "money": [{"currency": "EUR", "amount": "1235.00"}],
    }
    assert fast["rows"][1]["title"] == "42" and fast["rows"][1]["note"] == 7
    assert fast["total"] == 3 and type(fast["total"]) is int
