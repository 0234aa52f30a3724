"""Certificates in the Wagtail admin: staff search, filter, revoke, reissue and re-render."""

import pytest
from wagtail.log_actions import registry as log_registry
from wagtail.models import ModelLogEntry

from accounts.names import display_name
from certification.links import verification_page_url
from certification.models import Certificate
from certification.services import certificate_issue, certificate_render_pdf, certificate_revoke
from tests.admin_helpers import assert_refused, messages_of, staff_without_roles
from tests.factories import CompletedEnrollmentFactory, SpecialistFactory, UserFactory

pytestmark = pytest.mark.django_db


def issued(**enrollment_fields):
    return certificate_issue(enrollment=CompletedEnrollmentFactory(**enrollment_fields))


def test_editors_search_certificates_by_code_learner_and_course(client_for, editor):
    wanted = issued(learner__last_name="Hopper")
    other = issued(learner__last_name="Turing")
    client = client_for(editor)
    assert "/admin/certificate/" in client.get("/admin/").content.decode()  # in the menu

    by_learner = client.get("/admin/certificate/?q=hopper").content.decode()
    by_code = client.get(f"/admin/certificate/?q={wanted.code}").content.decode()
    by_course = client.get(
        "/admin/certificate/", {"q": other.snapshot["course_title"]}
    ).content.decode()

    assert wanted.code in by_learner and other.code not in by_learner
    assert wanted.code in by_code and other.code not in by_code
    assert other.code in by_course and wanted.code not in by_course


def test_editors_filter_certificates_by_status(client_for, editor):
    valid = issued()
    revoked = issued()
    client = client_for(editor)
    client.post(f"/admin/certificate/revoke/{revoked.pk}/", {"reason": "Plagiarism"})

    listing = client.get("/admin/certificate/?status=revoked").content.decode()

    assert revoked.code in listing and valid.code not in listing


def test_an_editor_revokes_with_a_reason(client_for, editor):
    certificate = issued()
    client = client_for(editor)
    inspect = client.get(f"/admin/certificate/inspect/{certificate.pk}/").content.decode()
    assert f"/admin/certificate/revoke/{certificate.pk}/" in inspect

    assert client.post(f"/admin/certificate/revoke/{certificate.pk}/", {}).status_code == 200
    response = client.post(
        f"/admin/certificate/revoke/{certificate.pk}/", {"reason": "Identity fraud"}
    )

    certificate.refresh_from_db()
    assert (certificate.status, certificate.revoke_reason) == ("revoked", "Identity fraud")
    assert any(certificate.code in m and "revoked" in m for m in messages_of(response))


def test_an_editor_reissues_and_the_old_code_is_revoked(client_for, editor):
    certificate = issued()

    response = client_for(editor).post(f"/admin/certificate/reissue/{certificate.pk}/")

    replacement = Certificate.objects.get(replaces=certificate)
    certificate.refresh_from_db()
    assert certificate.status == "revoked" and replacement.status == "valid"
    assert response.url == f"/admin/certificate/inspect/{replacement.pk}/"


def test_an_editor_regenerates_the_pdf(client_for, editor):
    certificate = issued()
    assert not certificate.pdf

    client_for(editor).post(f"/admin/certificate/regenerate/{certificate.pk}/")

    certificate.refresh_from_db()
    assert certificate.pdf.read().startswith(b"%PDF-")


def test_actions_on_a_revoked_certificate_are_not_found(client_for, editor):
    certificate = issued()
    client = client_for(editor)
    client.post(f"/admin/certificate/revoke/{certificate.pk}/", {"reason": "Mistake"})

    assert client.post(f"/admin/certificate/reissue/{certificate.pk}/").status_code == 404


def test_certificates_cannot_be_added_edited_or_deleted_even_by_a_superuser(client_for):
    certificate = issued()
    client = client_for(UserFactory(is_superuser=True, is_staff=True))

    assert client.get(f"/admin/certificate/inspect/{certificate.pk}/").status_code == 200
    for path in ("new/", f"edit/{certificate.pk}/", f"delete/{certificate.pk}/"):
        assert client.get(f"/admin/certificate/{path}").status_code == 404


def test_specialists_are_refused(client_for):
    certificate = issued()
    client = client_for(SpecialistFactory())

    assert_refused(client.get("/admin/certificate/"))
    assert_refused(client.get(f"/admin/certificate/inspect/{certificate.pk}/"))
    assert_refused(client.post(f"/admin/certificate/revoke/{certificate.pk}/", {"reason": "x"}))
    assert "/admin/certificate/" not in client.get("/admin/").content.decode()
    certificate.refresh_from_db()
    assert certificate.status == "valid"


def test_learners_are_sent_to_sign_in(client_for):
    certificate = issued()
    client = client_for(UserFactory())

    for response in (
        client.get("/admin/certificate/"),
        client.post(f"/admin/certificate/revoke/{certificate.pk}/", {"reason": "x"}),
    ):
        assert response.status_code == 302 and response.url.startswith("/admin/login/")
    certificate.refresh_from_db()
    assert certificate.status == "valid"


def history_of(client, certificate):
    response = client.get(f"/admin/certificate/history/{certificate.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_inspect_shows_the_snapshot_as_a_table_with_pdf_and_verification_links(client_for, editor):
    certificate = issued(learner__first_name="Grace", learner__last_name="Hopper")
    client = client_for(editor)

    page = client.get(f"/admin/certificate/inspect/{certificate.pk}/").content.decode()

    snapshot = certificate.snapshot
    assert "Grace Hopper" in page and snapshot["course_title"] in page
    assert snapshot["issuer_name"] in page and snapshot["specialist_name"] in page
    assert "Lessons completed (%)" in page
    assert "&quot;learner_name&quot;" not in page and "'learner_name'" not in page  # no raw JSON
    assert verification_page_url(certificate.code) in page
    assert "has not been rendered yet" in page
    assert client.get(f"/admin/certificate/pdf/{certificate.pk}/").status_code == 404

    client.post(f"/admin/certificate/regenerate/{certificate.pk}/")
    page = client.get(f"/admin/certificate/inspect/{certificate.pk}/").content.decode()
    assert f"/admin/certificate/pdf/{certificate.pk}/" in page
    pdf = client.get(f"/admin/certificate/pdf/{certificate.pk}/")
    assert pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF-")


def test_revoke_reissue_and_regenerate_are_in_the_certificate_history(client_for, editor):
    revoked = issued()
    reissued = issued()
    client = client_for(editor)

    client.post(f"/admin/certificate/revoke/{revoked.pk}/", {"reason": "Identity fraud"})
    client.post(f"/admin/certificate/reissue/{reissued.pk}/")
    replacement = Certificate.objects.get(replaces=reissued)
    client.post(f"/admin/certificate/regenerate/{replacement.pk}/")

    assert "Revoked: Identity fraud" in history_of(client, revoked)
    assert display_name(editor) in history_of(client, revoked)
    assert f"Reissued as {replacement.code}" in history_of(client, reissued)
    replacement_history = history_of(client, replacement)
    assert f"Issued to replace {reissued.code}" in replacement_history
    assert "PDF rendered" in replacement_history
    entry = ModelLogEntry.objects.get(action="certification.certificate.revoke")
    assert entry.user == editor and entry.data == {"reason": "Identity fraud"}


def test_a_revocation_by_the_system_is_logged_without_a_user():
    certificate = issued()

    certificate_revoke(certificate=certificate, reason="refunded")

    [entry] = log_registry.get_logs_for_instance(certificate)
    assert (entry.action, entry.user, entry.data) == (
        "certification.certificate.revoke", None, {"reason": "refunded"},
    )  # fmt: skip


def test_specialists_and_roleless_staff_see_no_history_or_pdf(client_for, client):
    certificate = issued()
    certificate_render_pdf(certificate=certificate)
    for user in (SpecialistFactory(), staff_without_roles()):
        client.force_login(user)
        assert_refused(client.get(f"/admin/certificate/history/{certificate.pk}/"))
        assert_refused(client.get(f"/admin/certificate/pdf/{certificate.pk}/"))
        assert_refused(client.post(f"/admin/certificate/regenerate/{certificate.pk}/"))
