"""Open comments in the reports: only when ticked, only the lists the analysis may show."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from learn_core.analysis import analyse
from learn_core.reading import survey_from_frame
from learn_core.reports import report_pdf, report_xlsx
from tests.conftest import ITEM_IDS
from tests.reports.test_reports import pdf_text, workbook

TODAY = dt.date(2026, 12, 1)


@pytest.fixture(scope="module")
def commented():
    # Bauhof 12, Zentrale 13, Kasse 6 (k = 5; T = 10): Kasse has no list (6 < 10); the rest
    # outside the shown lists is Kasse's 6 < 10, so Bauhof (the smallest) is hidden too
    rng = np.random.default_rng(5)
    rows = [{"Abteilung": g, **{i: int(rng.integers(1, 6)) for i in ITEM_IDS}, "Kommentar": f"{g}-Text {j} <script>"}
            for g, n in (("Bauhof", 12), ("Zentrale", 13), ("Kasse", 6)) for j in range(n)]
    rows[0]["Kommentar"] = "=HYPERLINK(\"http://x\")"
    a = analyse(survey_from_frame(pd.DataFrame(rows, dtype=object)), 5, seed=3)
    assert sorted(a.groups) == ["Bauhof", "Kasse", "Zentrale"]
    assert dict(a.result.comments.hidden_groups) == {"Bauhof": "complementary", "Kasse": "min_size"}
    return a


def test_pdf_without_the_tick_has_no_comment_text(commented):
    _, text = pdf_text(report_pdf(commented, today=TODAY))
    # (the method section describes the comment rules: its heading is there, no list)
    assert "-Text " not in text and "Ganze Organisation (ohne Gruppen)" not in text
    assert "Kommentare von 31 Antwortenden" not in text.replace("\n", " ")


def test_pdf_with_the_tick_lists_the_organisation_and_the_shown_group(commented):
    _, text = pdf_text(report_pdf(commented, today=TODAY, comments=True))
    flat = text.replace("\n", " ")
    assert "Offene Kommentare" in text and "Ganze Organisation (ohne Gruppen)" in text
    assert "31 Kommentare von 31 Antwortenden." in flat and "13 Kommentare von 13 Antwortenden." in flat
    assert "– Kasse-Text 5 <script>" in text  # in the organisation's list, as plain text
    # no list headed Bauhof or Kasse; the note names them without a figure
    assert "Bauhof (zum Schutz einer kleinen Gruppe), Kasse (weniger als 10 Antwortende)" in flat
    assert "12 Kommentare" not in flat and "6 Kommentare" not in flat


def test_xlsx_without_the_tick_has_no_comment_sheet_or_text(commented):
    wb = workbook(report_xlsx(commented, today=TODAY))
    assert "Offene Kommentare" not in wb.sheetnames
    cells = [str(v) for ws in wb for row in ws.iter_rows(values_only=True) for v in row if v is not None]
    assert not any("-Text " in v or "HYPERLINK" in v for v in cells)


def test_xlsx_with_the_tick_one_comment_a_row_never_a_formula(commented):
    ws = workbook(report_xlsx(commented, today=TODAY, comments=True))["Offene Kommentare"]
    rows = [r for r in ws.iter_rows(min_row=5, values_only=True) if r[0]]
    groups = [r[1] for r in rows]
    assert groups.count("Ganze Organisation (ohne Gruppen)") == 31 and groups.count("Zentrale") == 13
    assert set(groups) == {"Ganze Organisation (ohne Gruppen)", "Zentrale"}
    assert sorted(r[2] for r in rows if r[1] == "Zentrale") == sorted(f"Zentrale-Text {j} <script>" for j in range(13))
    formula = [c for c in ws["C"] if c.value and "HYPERLINK" in str(c.value)]
    assert formula and all(c.data_type == "s" and not str(c.value).startswith("=") for c in formula)


def test_the_tick_changes_nothing_when_no_list_may_be_shown():
    rows = [{"Abteilung": "A", **dict.fromkeys(ITEM_IDS, 3), "Kommentar": f"nur {j}"} for j in range(8)]
    a = analyse(survey_from_frame(pd.DataFrame(rows, dtype=object)), 5)  # 8 < 10
    assert "Offene Kommentare" not in workbook(report_xlsx(a, today=TODAY, comments=True)).sheetnames
