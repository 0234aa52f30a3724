"""Certificate PDFs: one HTML + CSS template pair rendered to bytes by WeasyPrint.

Rendering never touches the network: the URL fetcher serves `data:` URLs and
files from the project's static folders, and stops the render at anything else.
Fonts come from the machine's fontconfig (DejaVu, installed by
scripts/system-deps.sh). The font configuration and the parsed stylesheet are
built once per process: parsing CSS and loading fonts cost more than laying
out the page.
"""

import functools
import mimetypes
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

import segno
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

TEMPLATE = "certification/certificate.html"
STYLESHEET = "certification/certificate.css"
DEFAULT_LOGO = "certification/logo.svg"


class LocalFilesOnly(URLFetcher):
    """Serves `data:` URLs and static files; any other URL stops the render."""

    def __init__(self):
        super().__init__(fail_on_errors=True)

    def fetch(self, url, headers=None):
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            path = Path(url2pathname(urlsplit(url).path)).resolve()
            if any(path.is_relative_to(root) for root in _static_roots()):
                content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})
        raise PermissionError(f"Certificate rendering fetches no remote or unlisted files: {url}")


@functools.cache
def _static_roots():
    roots = {Path(root).resolve() for root in settings.STATICFILES_DIRS}
    for finder in finders.get_finders():
        for storage in getattr(finder, "storages", {}).values():
            if hasattr(storage, "location"):
                roots.add(Path(storage.location).resolve())
    return tuple(roots)


@functools.cache
def _renderer():
    """(fetcher, font configuration, stylesheet), made once per process."""
    fetcher = LocalFilesOnly()
    font_config = FontConfiguration()
    stylesheet = CSS(
        string=render_to_string(STYLESHEET), font_config=font_config, url_fetcher=fetcher
    )
    return fetcher, font_config, stylesheet


def static_file_url(name: str) -> str:
    return Path(finders.find(name)).resolve().as_uri()


def qr_code_svg(url: str) -> str:
    """The URL as a QR code, as an SVG data URI (medium error correction survives print)."""
    return segno.make(url, error="m", micro=False).svg_data_uri(scale=4, border=0, dark="#1b2a41")


def render_certificate_pdf(context: dict) -> bytes:
    """The certificate for `context` (see templates/certification/certificate.html) as PDF."""
    fetcher, font_config, stylesheet = _renderer()
    html = render_to_string(
        TEMPLATE,
        {
            **context,
            "qr_code": qr_code_svg(context["verify_url"]),
            "logo_url": static_file_url(DEFAULT_LOGO),
        },
    )
    document = HTML(string=html, url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[stylesheet], font_config=font_config)
