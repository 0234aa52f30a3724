"""A specialist's earnings: gross, fees, refunds and net, per currency, period and course."""

from decimal import Decimal

import pytest
from django.utils import timezone

from tests.api_helpers import assert_problem
from tests.commerce.helpers import pay
from tests.factories import SpecialistFactory, UserFactory, build_course

pytestmark = pytest.mark.django_db
EARNINGS = "/api/v1/specialist/earnings/"


@pytest.fixture
def sales(api_client, specialist, django_capture_on_commit_callbacks):
    charts = build_course(
        title="Charts", owner=specialist, instructor=specialist, price=Decimal("99")
    )
    sql = build_course(title="SQL", owner=specialist, instructor=specialist, price=Decimal("20"))
    elsewhere = build_course(owner=SpecialistFactory(), price=Decimal("500"))
    refunded, order = pay(api_client, UserFactory(), charts)
    pay(api_client, UserFactory(), charts)
    pay(api_client, UserFactory(), sql)
    pay(api_client, UserFactory(), elsewhere)
    api_client.force_authenticate(order.enrollment.learner)
    with django_capture_on_commit_callbacks(execute=True):
        api_client.post(f"/api/v1/enrollments/{refunded}/refund/", {})
    return charts, sql


def test_the_specialist_sees_their_sales_net_of_refunds(
    api_client, specialist, sales, django_assert_max_num_queries
):
    charts, sql = sales
    api_client.force_authenticate(specialist)
    with django_assert_max_num_queries(4):
        body = api_client.get(EARNINGS).json()

    assert body["totals"] == [{
        "currency": "USD", "gross": "218.00", "refunds": "99.00", "fees": "35.70",
        "net": "83.30", "paid_out": "0.00",
    }]  # fmt: skip
    month = timezone.now().date().replace(day=1).isoformat()
    assert [(p["period"], p["net"]) for p in body["periods"]] == [(month, "83.30")]
    assert [(c["course"]["title"], c["gross"], c["net"]) for c in body["courses"]] == [
        ("Charts", "198.00", "69.30"),
        ("SQL", "20.00", "14.00"),
    ]


def test_earnings_filter_by_course_and_day(api_client, specialist, sales):
    charts, _ = sales
    api_client.force_authenticate(specialist)
    today = timezone.now().date().isoformat()
    body = api_client.get(EARNINGS, {"course": charts.pk, "period": "day", "since": today}).json()
    assert [c["course"]["title"] for c in body["courses"]] == ["Charts"]
    assert body["periods"][0]["period"] == today
    assert api_client.get(EARNINGS, {"until": "2000-01-01"}).json()["totals"] == []


def test_a_learner_is_told_earnings_are_for_specialists(api_client, learner, sales):
    api_client.force_authenticate(learner)
    for url in (EARNINGS, "/api/v1/specialist/payouts/"):
        body = assert_problem(api_client.get(url), 403, "permission_denied")
        assert body["detail"] == "Earnings and payouts are for specialists."


def test_a_specialist_without_sales_sees_zeros(api_client):
    api_client.force_authenticate(SpecialistFactory())
    response = api_client.get(EARNINGS)
    assert response.status_code == 200
    assert response.json() == {"totals": [], "periods": [], "courses": []}


def test_bad_parameters_are_a_400(api_client, specialist, sales):
    api_client.force_authenticate(specialist)
    assert_problem(api_client.get(EARNINGS, {"period": "week"}), 400, "invalid")
    body = assert_problem(
        api_client.get(EARNINGS, {"since": "2026-02-01", "until": "2026-01-01"}), 400, "invalid"
    )
    assert list(body["errors"]) == ["until"]
    api_client.force_authenticate(None)
    assert_problem(api_client.get(EARNINGS), 401, "not_authenticated")
