"""CSV downloads of the dashboard's tables never carry a live formula."""

from __future__ import annotations

import csv
import io
import tomllib
from pathlib import Path

import pandas as pd
import pytest

from learn_core.display.export import table_csv, table_decimals, table_display

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
    assert rows[1][2] == "1,5"  # numbers stay numbers, with the decimal comma German Excel reads
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for cell in row)


def test_streamlits_own_table_download_is_off():
    cfg = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text("utf-8"))
    assert cfg["client"]["disableDataExport"] is True


def test_pages_show_tables_only_through_the_neutralising_helper():
    for path in (ROOT / "pages").glob("*.py"):
        assert "st.dataframe(" not in path.read_text("utf-8"), path


def test_german_csv_has_the_decimal_comma_and_english_csv_the_point():
    frame = pd.DataFrame({"Abteilung": ["Bauamt", "Kämmerei"], "n": [1234, 8], "Wert": [30.8, 33.0],
                          "gemischt": [1.5, "–"]})
    assert _rows(table_csv(frame)) == [["Abteilung", "n", "Wert", "gemischt"], ["Bauamt", "1234", "30,8", "1,5"],
                                       ["Kämmerei", "8", "33,0", "–"]]
    english = table_csv(frame, "en").decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(english, newline=""))) == [
        ["Abteilung", "n", "Wert", "gemischt"], ["Bauamt", "1234", "30.8", "1.5"], ["Kämmerei", "8", "33.0", "–"]]


@pytest.mark.parametrize(("values", "decimals"), [([0.74, 0.78], 2), ([30.8, 33.0], 1), ([177.0, 12.0], 0),
                                                   ([0.1234, 1.0], 3), ([float("nan"), 2.5, "–"], 1), ([], 0)])
def test_a_column_gets_the_fewest_decimals_that_show_its_numbers(values, decimals):
    assert table_decimals(pd.Series(values, dtype=object)) == decimals


def test_the_page_shows_numbers_in_its_language_and_keeps_them_numbers():
    frame = pd.DataFrame({"Dimension": ["Motivation", "Führung"], "n": [177, 1234], "r": [0.74, 0.78],
                          "Gewicht": [30.8, 33.0], "Wert": [64.9, float("nan")]})
    cells = lambda lang: [line.split() for line in table_display(frame, lang).to_string().splitlines()[1:]]  # noqa: E731
    assert cells("de") == [["0", "Motivation", "177", "0,74", "30,8", "64,9"],
                           ["1", "Führung", "1234", "0,78", "33,0", "–"]]  # whole numbers (row numbers too) as they are
    assert cells("en")[1] == ["1", "Führung", "1234", "0.78", "33.0", "–"]
    assert table_display(frame, "de").data["Gewicht"].tolist() == [30.8, 33.0]  # sorting uses the numbers


def test_a_very_large_table_is_shown_as_it_is():
    from learn_core.display.export import MAX_STYLED_CELLS

    big = pd.DataFrame({"a": [0.5] * (MAX_STYLED_CELLS // 2 + 1), "b": [1.25] * (MAX_STYLED_CELLS // 2 + 1)})
    assert table_display(big, "de") is big
    assert table_display(big.iloc[:10], "de").data.equals(big.iloc[:10])
