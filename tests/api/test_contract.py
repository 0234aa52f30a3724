"""Schemathesis fuzzes every operation of our OpenAPI schema, in process, as three callers:
anonymous, a learner with an enrollment, and a specialist who teaches that course.

No request may end in a 5xx, and every response must match the schema: status
codes, content types and bodies (problem details included). The signed-in callers
aim their path parameters at objects they can reach (their enrollment, quiz,
assignment, submission, certificate, course), so real 200 answers are checked too.
"""

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, settings
from rest_framework_simplejwt.tokens import RefreshToken
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from certification.services import certificate_issue
from coursepages.models import LessonPage
from learning.models import Enrollment, Notification
from learning.services import assignment_submit, quiz_attempt_submit
from tests.factories import (
    CompletedEnrollmentFactory,
    SpecialistFactory,
    UserFactory,
    build_course,
)

# Whether these accept a body depends on rules no schema states (password strength,
# an existing account, a live token, Stripe's or Zoom's signature over the exact bytes), and
# JSON Schema's e-mail format is not Django's, so only the response checks apply.
SEMANTIC_RULES = {
    "POST /api/v1/auth/register/",
    "POST /api/v1/auth/token/",
    "POST /api/v1/auth/token/refresh/",
    # A link's token is valid only as we made it: a well-formed one is still refused.
    "POST /api/v1/auth/email/verify/",
    "POST /api/v1/auth/password/reset/confirm/",
    "POST /api/v1/webhooks/stripe/",
    "POST /api/v1/webhooks/zoom/",
}
ACCEPTANCE_CHECKS = [positive_data_acceptance, negative_data_rejection]
# A query string carries only text: a "schema-violating" integer 0 for a category
# slug arrives as the valid slug "0", so rejecting mutated queries cannot be judged.
TEXT_ONLY_INPUT = {"GET /api/v1/courses/"}
CALLERS = ["anonymous", "learner", "specialist"]

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
def marketplace(db):
    """A specialist's course with a quiz and an assignment; a learner enrolled in it who has
    attempted the quiz, handed in work and holds a certificate of another of its courses."""
    specialist = SpecialistFactory()
    course = build_course(
        title="Fuzzable course", owner=specialist, modules=1, lessons_per_module=1
    )
    learner = UserFactory()
    enrollment = Enrollment.objects.create(
        learner=learner, course=course, status="active", activated_at=timezone.now()
    )
    lesson = LessonPage.objects.descendant_of(course).filter(has_quiz=True).first()
    quiz, work = lesson.body[1], lesson.body[2]
    quiz_attempt_submit(enrollment=enrollment, quiz_id=quiz.id, answers={})
    submission = assignment_submit(
        enrollment=enrollment, assignment_id=work.id, text="My redesign."
    )
    certified = CompletedEnrollmentFactory(
        learner=learner, course=build_course(modules=1, lessons_per_module=1, owner=specialist)
    )
    certificate = certificate_issue(enrollment=certified)
    notification = Notification.objects.filter(user=learner).first()
    return {
        "users": {"learner": learner, "specialist": specialist},
        "targets": {
            "enrollments": enrollment.pk,
            "submissions": submission.pk,
            "notifications": notification.pk if notification else 0,
            "courses": course.pk,
        },
        "params": {
            "course": course.pk,
            "lesson": lesson.pk,
            "quiz": quiz.id,
            "assignment": work.id,
            "code": certificate.code,
            "slug": course.slug,
        },
    }


@pytest.fixture(autouse=True)
def zoom_webhooks_configured(settings):
    """Unconfigured, the Zoom webhook answers 503 to everything; configured, it judges input."""
    settings.ZOOM_WEBHOOK_SECRET_TOKEN = "contract-test-secret"


@pytest.fixture(params=CALLERS)
def caller(request, test_transaction_survives_requests):
    """(Authorization headers, the marketplace to aim at) for one kind of caller."""
    if request.param == "anonymous":
        build_course(title="Fuzzable course")
        build_course(title="Free fuzzable course", price=0)
        return {}, None
    marketplace = request.getfixturevalue("marketplace")
    token = RefreshToken.for_user(marketplace["users"][request.param]).access_token
    return {"Authorization": f"Bearer {token}"}, marketplace


def aim(case, marketplace):
    """Point the case's path parameters at the caller's own objects."""
    collection = case.operation.path.removeprefix("/api/v1/").split("/")[0]
    for name in case.path_parameters or {}:
        if name in ("id", "pk"):
            case.path_parameters[name] = marketplace["targets"].get(collection, 0)
        elif name in marketplace["params"]:
            case.path_parameters[name] = marketplace["params"][name]


@schema.parametrize()
@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@pytest.mark.django_db
def test_api_honours_its_schema(case, caller):
    headers, marketplace = caller
    excluded = []
    if case.operation.label in SEMANTIC_RULES:
        excluded = ACCEPTANCE_CHECKS
    elif case.operation.label in TEXT_ONLY_INPUT:
        excluded = [negative_data_rejection]
    if marketplace:
        aim(case, marketplace)
        # Signed in, answers depend on state no schema states (an active enrollment's
        # payment is a 409), and DRF's page-number pagination ignores an unreadable
        # `page_size` rather than refusing it: the response checks are what apply here.
        excluded = ACCEPTANCE_CHECKS
    case.call_and_validate(headers=headers, excluded_checks=excluded)
