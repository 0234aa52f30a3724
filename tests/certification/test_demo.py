"""The demo: the seeded learner finishes the free course and holds a valid certificate."""

import io

import pytest
from django.core.management import call_command

from certification.models import Certificate

pytestmark = pytest.mark.django_db


def test_the_demo_learner_gets_a_certificate_with_nobody_acting(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=io.StringIO())

    certificate = Certificate.objects.get(learner__username="learner")
    assert certificate.status == "valid"
    assert certificate.snapshot["learner_name"] == "Lena Park"
    assert certificate.snapshot["course_title"] == "Writing Clear Technical Docs"
    assert certificate.snapshot["specialist_name"] == "Sam Rivera"
    assert certificate.pdf.read().startswith(b"%PDF-")
    page = client.get(f"/c/{certificate.code}/")
    assert page.status_code == 200 and "Valid certificate" in page.content.decode()
