"""Reading what the analytics admin pages draw: the inline SVG charts and the tables beside
them, parsed as XML so a broken chart fails the test."""

import re
import xml.etree.ElementTree as ET
from datetime import timedelta

from django.core.management import call_command

from analytics.definitions import utc_today
from tests.admin_helpers import staff_without_roles

SVG = "{http://www.w3.org/2000/svg}"


def snapshot_recent_days(days=70):
    """Days before yesterday are read from the snapshots: build them as the nightly job does."""
    today = utc_today()
    call_command(
        "analytics_backfill",
        "--since",
        str(today - timedelta(days=days)),
        "--until",
        str(today),
        verbosity=0,
    )


def admin_staff():
    """Staff who may sign in to the admin and are neither specialists nor editors."""
    user = staff_without_roles()
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


def svg_by_id(html: str, chart_id: str) -> ET.Element:
    match = re.search(rf'<svg [^>]*id="{re.escape(chart_id)}".*?</svg>', html, re.S)
    assert match, f"no chart {chart_id}"
    return ET.fromstring(match.group(0))


def chart_title(svg: ET.Element) -> str:
    title = svg.find(f"{SVG}title")
    assert title is not None and svg.get("role") == "img"
    assert svg.get("aria-labelledby") == title.get("id")
    return title.text


def chart_values(svg: ET.Element) -> list[tuple[str, str]]:
    """(label, value) of each mark, in drawing order."""
    return [
        (mark.get("data-label"), mark.get("data-value"))
        for mark in svg.iter()
        if mark.get("data-value") is not None
    ]


def table_by_id(html: str, table_id: str) -> list[list[str]]:
    """The table's body rows as lists of cell texts (tags dropped, spaces squeezed)."""
    match = re.search(rf'<table [^>]*id="{re.escape(table_id)}".*?</table>', html, re.S)
    assert match, f"no table {table_id}"
    body = re.search(r"<tbody>(.*?)</tbody>", match.group(0), re.S).group(1)
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    return [
        [
            " ".join(re.sub(r"<[^>]+>", " ", cell).split())
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in rows
    ]


def figures_by_label(html: str, dl_id: str) -> dict[str, str]:
    """{label: the figure's text} of a list of headline figures."""
    match = re.search(rf'<dl [^>]*id="{re.escape(dl_id)}".*?</dl>', html, re.S)
    assert match, f"no figures {dl_id}"
    pairs = re.findall(r"<dt>(.*?)</dt>\s*<dd>(.*?)</dd>", match.group(0), re.S)
    return {label.strip(): " ".join(re.sub(r"<[^>]+>", " ", text).split()) for label, text in pairs}
