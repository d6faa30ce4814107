"""CSV downloads of the dashboard's tables never carry a live formula."""

from __future__ import annotations

import csv
import io
import tomllib
from pathlib import Path

import pandas as pd
import pytest

from learn_core.display.export import table_csv

ROOT = Path(__file__).resolve().parents[2]


def _rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # BOM: German Excel reads UTF-8
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


@pytest.mark.parametrize("hostile", ['=HYPERLINK("http://x.example","Klick")', "+cmd|' /C calc'!A0", "-2+3",
                                     "@SUM(A1)", "\tTab", "\rCR"])
def test_text_that_a_spreadsheet_would_run_starts_with_an_apostrophe(hostile):
    frame = pd.DataFrame({"Abteilung": [hostile, "Bauamt"], hostile: ["x", "y"], "Wert": [1.5, 2.0]})
    rows = _rows(table_csv(frame))
    assert rows[0] == ["Abteilung", "'" + hostile, "Wert"]
    assert rows[1][0] == "'" + hostile and rows[2][0] == "Bauamt"
    assert rows[1][2] == "1.5"  # numbers stay numbers
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for cell in row)


def test_streamlits_own_table_download_is_off():
    cfg = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text("utf-8"))
    assert cfg["client"]["disableDataExport"] is True


def test_pages_show_tables_only_through_the_neutralising_helper():
    for path in (ROOT / "pages").glob("*.py"):
        assert "st.dataframe(" not in path.read_text("utf-8"), path
