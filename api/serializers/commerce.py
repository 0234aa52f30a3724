from rest_framework import serializers

from api.serializers.catalog import MoneySerializer
from commerce.models import Order
from commerce.money import from_minor_units


class OrderSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=Order.Status.values)
    enrollment = serializers.IntegerField()
    price = MoneySerializer()
    provider = serializers.ChoiceField(choices=Order.Provider.values)
    checkout_url = serializers.CharField(help_text="Send the learner here to pay.")
    created_at = serializers.DateTimeField()
    paid_at = serializers.DateTimeField(allow_null=True)


def money(amount, currency):
    return {"amount": str(from_minor_units(amount, currency)), "currency": currency}


def order_data(order, request):
    return {
        "id": order.pk,
        "status": order.status,
        "enrollment": order.enrollment_id,
        "price": money(order.amount, order.currency),
        "provider": order.provider,
        "checkout_url": request.build_absolute_uri(order.checkout_url),
        "created_at": order.created_at,
        "paid_at": order.paid_at,
    }
