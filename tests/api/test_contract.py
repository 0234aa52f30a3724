"""Schemathesis fuzzes every operation of our OpenAPI schema, in process.

No request may end in a 5xx, and every response must match the schema: status
codes, content types and bodies (problem details included).
"""

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from tests.factories import build_course

# Whether these accept a body depends on rules no schema states (password strength,
# an existing account, a live token, Stripe's signature over the exact bytes), and
# JSON Schema's e-mail format is not Django's, so only the response checks apply.
SEMANTIC_RULES = {
    "POST /api/v1/auth/register/",
    "POST /api/v1/auth/token/",
    "POST /api/v1/auth/token/refresh/",
    "POST /api/v1/webhooks/stripe/",
}
ACCEPTANCE_CHECKS = [positive_data_acceptance, negative_data_rejection]
# A query string carries only text: a "schema-violating" integer 0 for a category
# slug arrives as the valid slug "0", so rejecting mutated queries cannot be judged.
TEXT_ONLY_INPUT = {"GET /api/v1/courses/"}

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application())


def test_schema_generates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yaml"))
    assert (tmp_path / "s.yaml").read_text().startswith("openapi: 3")


@pytest.fixture
def test_transaction_survives_requests():
    """Django closes connections at request end; inside a test that ends its transaction.

    Django's test client switches this off; schemathesis calls the WSGI app directly.
    """
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def catalog_with_courses(db, test_transaction_survives_requests):
    build_course(title="Fuzzable course")
    build_course(title="Free fuzzable course", price=0)


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@pytest.mark.django_db
def test_api_honours_its_schema(case, catalog_with_courses):
    excluded = []
    if case.operation.label in SEMANTIC_RULES:
        excluded = ACCEPTANCE_CHECKS
    elif case.operation.label in TEXT_ONLY_INPUT:
        excluded = [negative_data_rejection]
    case.call_and_validate(excluded_checks=excluded)
