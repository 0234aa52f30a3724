"""Events are written to the outbox with the change that caused them, for the endpoints
that want them, and a rolled-back change sends nothing."""

import json
from decimal import Decimal

import pytest
from django.db import transaction

from certification.services import certificate_issue, certificate_revoke
from integrations.models import Delivery, Event
from integrations.outbox import MAX_BODY_BYTES
from integrations.services import endpoint_create
from integrations.signing import signature_header
from learning.services import enrollment_create
from tests.commerce.helpers import pay
from tests.factories import CompletedEnrollmentFactory, build_course

pytestmark = pytest.mark.django_db


def events(event_type=None):
    """Event payloads in order, but for the courses the test built being published."""
    rows = Event.objects.exclude(type="course.published").order_by("pk")
    if event_type:
        rows = rows.filter(type=event_type)
    return [json.loads(event.body) for event in rows]


def test_the_spec_test_vector_signs_as_the_standard_says():
    header = signature_header(
        secrets_=["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"],
        webhook_id="msg_p5jXN8AQM9LWM0D4loKWxJek",
        timestamp=1614265330,
        body='{"test": 2432232314}',
    )
    assert header == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def test_enrolling_writes_created_and_activated_events_for_a_platform_endpoint(
    api_client, learner, platform_endpoint
):
    course = build_course(price=Decimal("0"))
    api_client.force_authenticate(learner)

    response = api_client.post("/api/v1/enrollments/", {"course": course.pk})

    assert response.status_code == 201
    created, activated = events()
    assert [created["type"], activated["type"]] == ["enrollment.created", "enrollment.activated"]
    data = activated["data"]
    assert data["id"] == response.json()["id"] and data["status"] == "active"
    assert data["course"] == {
        "id": course.pk,
        "title": course.title,
        "url": f"http://127.0.0.1:8000/api/v1/courses/{course.pk}/",
    }
    assert data["learner"] == {"id": learner.pk}  # nothing personal beyond the id
    assert learner.email not in json.dumps(activated)
    deliveries = Delivery.objects.filter(
        endpoint=platform_endpoint, event__type__startswith="enrollment."
    )
    assert deliveries.count() == 2
    assert {d.status for d in deliveries} == {"pending"}
    assert len({d.webhook_id for d in deliveries}) == 2


def test_a_specialist_endpoint_gets_only_its_own_courses_and_chosen_types(
    staff, specialist, other_specialist, learner, receiver
):
    mine = endpoint_create(
        by=specialist, url=receiver.url, specialist=specialist, event_types=["enrollment.created"]
    )
    theirs = endpoint_create(by=other_specialist, url=receiver.url, specialist=other_specialist)
    course = build_course(owner=specialist, instructor=specialist, price=Decimal("0"))

    enrollment_create(learner=learner, course=course)

    assert [d.event.type for d in mine.deliveries.all()] == ["enrollment.created"]
    assert not theirs.deliveries.exists()


def test_no_endpoint_no_event_and_a_disabled_endpoint_gets_nothing(learner, platform_endpoint):
    platform_endpoint.enabled = False
    platform_endpoint.save()

    enrollment_create(learner=learner, course=build_course(price=Decimal("0")))

    assert not Event.objects.exists()


def test_publishing_a_course_is_an_event(platform_endpoint):
    course = build_course()

    published = [json.loads(e.body) for e in Event.objects.filter(type="course.published")]

    assert [event["data"]["id"] for event in published] == [course.pk]
    assert published[0]["data"]["live"] is True


def test_a_rolled_back_enrollment_leaves_no_event_and_sends_nothing(
    learner, platform_endpoint, receiver, django_capture_on_commit_callbacks
):
    course = build_course(price=Decimal("0"))

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        enrollment_create(learner=learner, course=course)
        raise RuntimeError("the change fails after the event was written")

    assert callbacks == []
    assert events() == [] and not Delivery.objects.filter(event__type__startswith="enr").exists()
    assert receiver.requests == []


def test_payment_and_refund_announce_order_events(
    api_client, learner, specialist, platform_endpoint, django_capture_on_commit_callbacks
):
    course = build_course(owner=specialist, instructor=specialist, price=Decimal("99.00"))
    enrollment_id, _ = pay(api_client, learner, course)

    with django_capture_on_commit_callbacks(execute=True):  # the refund is sent on commit
        response = api_client.post(f"/api/v1/enrollments/{enrollment_id}/refund/", {"reason": "No"})

    assert response.status_code == 201
    (paid,) = events("order.paid")
    (refunded,) = events("order.refunded")
    assert paid["data"]["status"] == "paid" and paid["data"]["amount"] == 9900
    assert paid["data"]["currency"] == "USD" and paid["data"]["refunded_amount"] == 0
    assert refunded["data"]["status"] == "refunded"
    assert refunded["data"]["refunded_amount"] == 9900
    assert [e["type"] for e in events()] == [
        "enrollment.created",
        "order.paid",
        "enrollment.activated",
        "order.refunded",
        "enrollment.refunded",
    ]


def test_certificates_announce_issue_and_revocation(platform_endpoint):
    enrollment = CompletedEnrollmentFactory()

    certificate = certificate_issue(enrollment=enrollment)
    certificate_revoke(certificate=certificate, reason="refunded")

    (issued,) = events("certificate.issued")
    (revoked,) = events("certificate.revoked")
    assert issued["data"]["code"] == certificate.code and issued["data"]["status"] == "valid"
    assert revoked["data"]["status"] == "revoked" and revoked["data"]["revoked_at"]
    assert issued["data"]["verification_url"].endswith(f"/c/{certificate.code}/")
    assert "criteria" not in json.dumps(issued)


def test_every_payload_is_compact_json_under_20_kb(learner, platform_endpoint):
    enrollment_create(learner=learner, course=build_course(price=Decimal("0"), title="T" * 150))

    for event in Event.objects.all():
        assert len(event.body.encode()) < MAX_BODY_BYTES
        assert ", " not in event.body and json.loads(event.body)["timestamp"]
