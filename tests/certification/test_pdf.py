"""The certificate PDF: what it says, where its QR code leads, and that rendering stays offline."""

import io
import socket
from datetime import datetime

import pypdfium2
import pytest
import zxingcpp
from pypdf import PdfReader
from weasyprint import HTML
from weasyprint.urls import FatalURLFetchingError

from certification.pdf import LocalFilesOnly, static_file_url
from certification.services import certificate_issue, certificate_render_pdf
from tests.factories import CompletedEnrollmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a connection fails the test, and is recorded."""
    attempts = []

    def refuse(sock, address, *args, **kwargs):
        attempts.append(address)
        raise AssertionError(f"network access during rendering: {address}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: refuse(None, a))
    return attempts


@pytest.fixture
def certificate(settings):
    settings.WAGTAILADMIN_BASE_URL = "https://courses.example.com"
    enrollment = CompletedEnrollmentFactory(
        learner__first_name="Ada", learner__last_name="Lovelace"
    )
    return certificate_issue(enrollment=enrollment)


def rendered(certificate):
    certificate_render_pdf(certificate=certificate)
    certificate.pdf.open("rb")
    try:
        return certificate.pdf.read()
    finally:
        certificate.pdf.close()


def test_the_pdf_holds_learner_course_instructor_date_and_code(certificate, no_network):
    pdf = PdfReader(io.BytesIO(rendered(certificate)))

    [page] = pdf.pages
    text = " ".join(page.extract_text().split())
    snapshot = certificate.snapshot
    assert "Ada Lovelace" in text
    assert snapshot["course_title"] in text
    assert snapshot["specialist_name"] in text
    assert certificate.code in text
    completed = datetime.fromisoformat(snapshot["completed_at"])
    assert f"{completed:%-d %B %Y}" in text
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    assert (round(width), round(height)) == (842, 595)  # A4 landscape, in points
    assert no_network == []


def test_the_qr_code_decodes_to_the_public_verification_page(certificate):
    pdf = pypdfium2.PdfDocument(rendered(certificate))
    image = pdf[0].render(scale=2).to_pil()

    [qr] = [code for code in zxingcpp.read_barcodes(image) if code.format.name == "QRCode"]

    assert qr.text == f"https://courses.example.com/c/{certificate.code}/"


def test_a_re_render_replaces_the_stored_pdf(certificate):
    first = rendered(certificate)
    old_name = certificate.pdf.name

    second = rendered(certificate)

    assert second.startswith(b"%PDF-") and len(second) == pytest.approx(len(first), rel=0.05)
    assert certificate.pdf.name == old_name or not certificate.pdf.storage.exists(old_name)


@pytest.mark.parametrize(
    "url",
    [
        "http://192.0.2.1/logo.png",
        "https://cdn.example.com/font.woff2",
        "ftp://192.0.2.1/x.svg",
        "file:///etc/passwd",
    ],
)
def test_the_url_fetcher_refuses_anything_but_static_files_and_data(url, no_network):
    html = HTML(string=f'<img src="{url}"><p>Hello</p>', url_fetcher=LocalFilesOnly())

    with pytest.raises(FatalURLFetchingError):
        html.write_pdf()

    assert no_network == []


def test_static_files_and_data_urls_are_served(no_network):
    fetcher = LocalFilesOnly()

    assert b"<svg" in fetcher.fetch(static_file_url("certification/logo.svg")).read()
    assert fetcher.fetch("data:text/plain,hi").read() == b"hi"
