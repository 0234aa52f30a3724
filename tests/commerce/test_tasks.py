"""Periodic commerce work, run as Celery runs it."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import timezone

from commerce.models import CommerceSettings, Order
from commerce.tasks import expire_stale_orders
from tests.factories import build_course

pytestmark = pytest.mark.django_db


def test_stale_pending_orders_expire_on_schedule_and_paid_ones_stay(api_client, learner):
    assert settings.CELERY_BEAT_SCHEDULE["expire-stale-orders"]["task"] == expire_stale_orders.name
    api_client.force_authenticate(learner)
    orders = []
    for price in ("10", "20", "30"):
        enrollment = api_client.post(
            "/api/v1/enrollments/", {"course": build_course(price=Decimal(price)).pk}
        ).json()
        orders.append(api_client.post(f"/api/v1/enrollments/{enrollment['id']}/payment/").json())
    hours = CommerceSettings.load().checkout_expiry_hours
    old = timezone.now() - timezone.timedelta(hours=hours, minutes=1)
    Order.objects.filter(pk__in=[orders[0]["id"], orders[1]["id"]]).update(created_at=old)
    Order.objects.filter(pk=orders[1]["id"]).update(status="paid", paid_at=old)

    assert expire_stale_orders.delay().get() == 1

    statuses = dict(Order.objects.values_list("pk", "status"))
    assert [statuses[o["id"]] for o in orders] == ["expired", "paid", "pending"]
    again = api_client.post(f"/api/v1/enrollments/{orders[0]['enrollment']}/payment/").json()
    assert again["status"] == "pending" and again["id"] != orders[0]["id"]
