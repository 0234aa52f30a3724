"""What the outbox costs the write that emits events, and that the cached subscriptions follow
the endpoints: a new endpoint gets the next event, a disabled or deleted one does not."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from integrations.models import Delivery, Endpoint
from integrations.services import endpoint_create, endpoint_update
from integrations.subscriptions import CACHE_KEY, subscriptions
from learning.services import enrollment_create
from tests.factories import UserFactory, build_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(db):
    return build_course(price=Decimal("0"), modules=1, lessons_per_module=1)


def enrollment_queries(course) -> int:
    with CaptureQueriesContext(connection) as captured:
        enrollment_create(learner=UserFactory(), course=course)
    return len(captured)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="one statement per event needs PostgreSQL's data-modifying WITH",
)
def test_each_event_costs_the_enrollment_one_query(course, staff, receiver):
    enrollment_queries(course)  # what is read once per process is read now
    without = enrollment_queries(course)
    for n in range(3):
        endpoint_create(by=staff, url=f"{receiver.url}{n}")
    subscriptions()  # a running site has them cached: endpoints change rarely

    with_endpoints = enrollment_queries(course)

    assert with_endpoints == without + 2  # enrollment.created and enrollment.activated
    assert Delivery.objects.count() == 6


def test_a_new_endpoint_gets_the_next_event_and_a_disabled_one_does_not(course, staff, receiver):
    first = endpoint_create(by=staff, url=receiver.url)
    enrollment_create(learner=UserFactory(), course=course)
    assert cache.get(CACHE_KEY) is not None
    second = endpoint_create(by=staff, url=f"{receiver.url}2")
    assert cache.get(CACHE_KEY) is None

    enrollment_create(learner=UserFactory(), course=course)
    assert Delivery.objects.filter(endpoint=second).count() == 2

    endpoint_update(endpoint=first, enabled=False)
    Endpoint.objects.filter(pk=second.pk).delete()
    enrollment_create(learner=UserFactory(), course=course)
    assert Delivery.objects.filter(endpoint=first).count() == 4  # the two enrollments before
    assert Delivery.objects.count() == 4


def test_subscriptions_come_from_the_database_when_the_cache_is_down(
    course, staff, receiver, settings
):
    endpoint = endpoint_create(by=staff, url=receiver.url)
    settings.CACHES = {
        "default": {
            "BACKEND": "config.cache.ForgivingRedisCache",  # the project's, as configured
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        }
    }
    enrollment_create(learner=UserFactory(), course=course)
    assert Delivery.objects.filter(endpoint=endpoint).count() == 2
