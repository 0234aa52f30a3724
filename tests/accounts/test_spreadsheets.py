"""The rule every CSV export follows: text a spreadsheet would run as a formula is written as
text; everything else, negative numbers included, as it is."""

import pytest

from accounts.spreadsheets import csv_cell


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1+2", "'+1+2"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-29.70", "-29.70"),  # a number, even negative, stays a number
        ("-7", "-7"),
        ("-", "'-"),
        ("Ada = Lovelace", "Ada = Lovelace"),  # only the first character matters
        (" =1", " =1"),
        ("", ""),
        (-5, -5),
        (None, None),
    ],
)
def test_formula_text_is_written_as_text(value, written):
    assert csv_cell(value) == written
