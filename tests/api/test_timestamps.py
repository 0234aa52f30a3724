"""Every instant a frontend or an integrator reads is written one way: ISO 8601 in UTC with
"Z", microseconds kept: in serialized objects, in the data export, in problem extensions and
in outbound event payloads."""

import re
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from integrations.outbox import event_body
from integrations.payloads import enrollment_data
from learning.models import Enrollment
from learning.services import enrollment_create
from tests.factories import UserFactory, build_course

pytestmark = pytest.mark.django_db

INSTANT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?Z")


def test_the_api_the_export_and_the_events_write_an_instant_alike(api_client):
    learner = UserFactory()
    enrollment = enrollment_create(learner=learner, course=build_course(price=Decimal("0")))
    moment = datetime(2026, 3, 1, 9, 30, 5, 120000, tzinfo=UTC)
    Enrollment.objects.filter(pk=enrollment.pk).update(activated_at=moment)
    enrollment.refresh_from_db()
    api_client.force_authenticate(learner)

    shown = api_client.get(f"/api/v1/enrollments/{enrollment.pk}/")
    exported = api_client.get("/api/v1/me/export/")

    assert shown.status_code == exported.status_code == 200
    assert shown.json()["activated_at"] == "2026-03-01T09:30:05.120000Z"
    assert exported.json()["enrollments"][0]["activated_at"] == "2026-03-01T09:30:05.120000Z"
    assert enrollment_data(enrollment)["activated_at"] == "2026-03-01T09:30:05.120000Z"
    assert INSTANT.fullmatch(exported.json()["exported_at"])


def test_an_event_s_own_timestamp_is_written_alike():
    body = event_body("ping", {}, at=timezone.now())
    assert INSTANT.fullmatch(re.search(r'"timestamp":"([^"]+)"', body).group(1))
