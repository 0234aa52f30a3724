"""Refunds under the course's policy, through both providers, and disputes."""

from decimal import Decimal

import pytest
from django.utils import timezone

from commerce.models import LedgerEntry, Order, Refund
from coursepages.models import LessonPage
from learning.events import enrollment_refunded
from learning.models import Enrollment
from tests.api_helpers import assert_problem
from tests.commerce.helpers import deliver, event, pay, refund_ledger
from tests.factories import UserFactory, build_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(specialist):
    return build_course(owner=specialist, instructor=specialist, price=Decimal("99.00"))


def lesson_status(api_client, enrollment_id, course):
    lesson = LessonPage.objects.descendant_of(course).order_by("path").last()
    return api_client.get(f"/api/v1/enrollments/{enrollment_id}/lessons/{lesson.pk}/")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # real commits: the task runs
def test_inside_the_window_the_refund_is_immediate_and_ends_access(api_client, learner, course):
    enrollment_id, order = pay(api_client, learner, course)
    announced = []
    enrollment_refunded.connect(
        lambda enrollment, **kw: announced.append(enrollment.pk), weak=False
    )

    response = api_client.post(
        f"/api/v1/enrollments/{enrollment_id}/refund/", {"reason": "Not for me."}
    )

    body = response.json()
    assert response.status_code == 201
    assert (body["status"], body["amount"]) == ("succeeded", {"amount": "99.00", "currency": "USD"})
    assert Order.objects.get().status == "refunded"
    assert Enrollment.objects.get().status == "refunded" and announced == [enrollment_id]
    assert refund_ledger() == {"refund": -9900, "fee_reversal": -2970, "share_reversal": -6930}
    assert_problem(lesson_status(api_client, enrollment_id, course), 403, "enrollment_inactive")
    kinds = [n["kind"] for n in api_client.get("/api/v1/notifications/").json()["results"]]
    assert kinds[0] == "refunded"

    again = api_client.post(f"/api/v1/enrollments/{enrollment_id}/refund/", {})
    assert_problem(again, 409, "not_refundable")
    assert Refund.objects.count() == 1


def test_after_the_window_the_request_waits_for_staff_and_access_stays(api_client, learner, course):
    enrollment_id, order = pay(api_client, learner, course)
    Order.objects.filter(pk=order.pk).update(paid_at=timezone.now() - timezone.timedelta(days=31))

    body = api_client.post(f"/api/v1/enrollments/{enrollment_id}/refund/", {}).json()

    assert body["status"] == "requested"
    assert lesson_status(api_client, enrollment_id, course).status_code == 200
    assert LedgerEntry.objects.filter(refund__isnull=False).count() == 0
    response = api_client.post(f"/api/v1/enrollments/{enrollment_id}/refund/", {})
    assert assert_problem(response, 409, "refund_open")["refund"] == body["id"]


def test_nobody_else_can_refund_an_order_and_unpaid_ones_have_nothing_to_refund(
    api_client, learner, course
):
    enrollment_id, _ = pay(api_client, learner, course)
    api_client.force_authenticate(UserFactory())
    assert_problem(
        api_client.post(f"/api/v1/enrollments/{enrollment_id}/refund/"), 404, "not_found"
    )

    other = build_course(price=Decimal("10.00"))
    pending = api_client.post("/api/v1/enrollments/", {"course": other.pk}).json()
    response = api_client.post(f"/api/v1/enrollments/{pending['id']}/refund/")
    assert_problem(response, 409, "not_refundable")
    assert Refund.objects.count() == 0


def test_a_stripe_refund_is_sent_once_and_recorded_once(
    api_client, learner, course, fake_stripe, django_capture_on_commit_callbacks
):
    enrollment_id, order = pay(api_client, learner, course, through_stripe=True)
    api_client.force_authenticate(learner)

    with django_capture_on_commit_callbacks(execute=True):  # the task that sends it
        body = api_client.post(f"/api/v1/enrollments/{enrollment_id}/refund/", {}).json()

    [sent] = fake_stripe.sent("/v1/refunds")
    assert sent["params"] == {
        "payment_intent": "pi_1", "amount": "9900",
        "metadata[order]": str(order.pk), "metadata[refund]": str(body["id"]),
    }  # fmt: skip
    assert sent["headers"]["Idempotency-Key"] == f"refund-{body['id']}"
    assert Refund.objects.get().status == "succeeded"

    stripe_refund = Refund.objects.get().provider_reference
    updated = deliver(event("evt_r", "refund.updated", {
        "id": stripe_refund, "object": "refund", "status": "succeeded",
        "metadata": {"refund": str(body["id"])},
    }))  # fmt: skip
    charged = deliver(event("evt_c", "charge.refunded", {
        "id": "ch_1", "object": "charge", "payment_intent": "pi_1", "amount_refunded": 9900,
    }))  # fmt: skip
    for response in (updated, charged):
        assert response.json() == {"received": True, "processed": True}
    assert Refund.objects.count() == 1
    assert refund_ledger() == {"refund": -9900, "fee_reversal": -2970, "share_reversal": -6930}


def test_a_partial_refund_made_at_stripe_is_recorded_and_keeps_access(
    api_client, learner, course, fake_stripe
):
    enrollment_id, order = pay(api_client, learner, course, through_stripe=True)
    charge = {"id": "ch_1", "object": "charge", "payment_intent": "pi_1", "amount_refunded": 3300}
    for _ in range(3):  # the same event, redelivered
        deliver(event("evt_partial", "charge.refunded", charge))

    order.refresh_from_db()
    assert (order.status, order.refunded_amount) == ("partially_refunded", 3300)
    assert refund_ledger() == {"refund": -3300, "fee_reversal": -990, "share_reversal": -2310}
    api_client.force_authenticate(learner)
    assert lesson_status(api_client, enrollment_id, course).status_code == 200


def test_a_dispute_pauses_access_until_it_is_won(api_client, learner, course, fake_stripe):
    enrollment_id, _ = pay(api_client, learner, course, through_stripe=True)
    dispute = {"id": "dp_1", "object": "dispute", "payment_intent": "pi_1", "amount": 9900}

    deliver(
        event("evt_d1", "charge.dispute.created", {**dispute, "status": "needs_response"}),
    )
    api_client.force_authenticate(learner)
    assert_problem(lesson_status(api_client, enrollment_id, course), 403, "enrollment_inactive")
    assert Order.objects.get().disputed_at is not None
    paused = api_client.get(f"/api/v1/enrollments/{enrollment_id}/").json()
    assert paused["status"] == "active" and paused["suspended_at"] is not None

    deliver(event("evt_d2", "charge.dispute.closed", {**dispute, "status": "won"}))
    assert lesson_status(api_client, enrollment_id, course).status_code == 200
    assert api_client.get(f"/api/v1/enrollments/{enrollment_id}/").json()["suspended_at"] is None


def test_a_lost_dispute_counts_as_a_refund(api_client, learner, course, fake_stripe):
    pay(api_client, learner, course, through_stripe=True)
    dispute = {"id": "dp_1", "object": "dispute", "payment_intent": "pi_1", "amount": 9900}
    deliver(
        event("evt_d1", "charge.dispute.created", {**dispute, "status": "needs_response"}),
    )
    deliver(event("evt_d2", "charge.dispute.closed", {**dispute, "status": "lost"}))

    assert Order.objects.get().status == "refunded"
    assert Enrollment.objects.get().status == "refunded"
    assert refund_ledger()["refund"] == -9900


def test_a_refund_through_the_api_revokes_the_certificate_it_earned(
    api_client, learner, specialist, django_capture_on_commit_callbacks
):
    course = build_course(
        modules=1, lessons_per_module=1, owner=specialist, instructor=specialist,
        price=Decimal("99"), certificate_min_quiz_average=0,
        certificate_requires_assignments=False,
    )  # fmt: skip
    enrollment_id, _ = pay(api_client, learner, course)
    lesson = LessonPage.objects.descendant_of(course).get()
    with django_capture_on_commit_callbacks(execute=True):  # completion → issue → deliver
        api_client.post(f"/api/v1/enrollments/{enrollment_id}/lessons/{lesson.pk}/complete/")
    [certificate] = api_client.get("/api/v1/certificates/").json()["results"]
    verify = f"/api/v1/public/certificates/{certificate['code']}/verify/"
    assert api_client.get(verify).json()["status"] == "valid"

    with django_capture_on_commit_callbacks(execute=True):
        api_client.post(f"/api/v1/enrollments/{enrollment_id}/refund/", {})

    assert api_client.get(verify).json()["status"] == "revoked"
