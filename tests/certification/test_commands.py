"""`regenerate_certificates`, run as an operator runs it."""

import io

import pytest
from django.core.management import CommandError, call_command

from certification.models import Certificate
from certification.services import certificate_issue, certificate_revoke
from tests.factories import CompletedEnrollmentFactory

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def issued(**fields):
    return certificate_issue(enrollment=CompletedEnrollmentFactory(**fields))


def test_regenerate_renders_every_valid_certificate_with_a_progress_bar():
    certificates = [issued() for _ in range(3)]
    certificate_revoke(certificate=certificates[0], reason="refunded")

    output = run("regenerate_certificates", "--all")

    assert "[" + "#" * 30 + "] 2/2" in output and "Rendered 2 certificate PDF(s)." in output
    rendered = {c.code for c in Certificate.objects.exclude(pdf="")}
    assert rendered == {certificates[1].code, certificates[2].code}


def test_regenerate_dry_run_counts_and_filters_narrow():
    first, second = issued(), issued()

    assert "2 certificate(s) would be rendered." in run(
        "regenerate_certificates", "--all", "--dry-run"
    )
    assert "1 certificate(s) would be rendered." in run(
        "regenerate_certificates", "--course", str(first.course_id), "--dry-run"
    )
    run("regenerate_certificates", "--code", second.code.lower())
    assert "1 certificate(s) would be rendered." in run(
        "regenerate_certificates", "--missing", "--dry-run"
    )
    assert not Certificate.objects.filter(pk=first.pk).exclude(pdf="").exists()


def test_regenerate_wants_to_be_told_which():
    with pytest.raises(CommandError, match="--all"):
        run("regenerate_certificates")
