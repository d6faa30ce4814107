"""The leader-vs-staff gap and the rank bands in the PDF and Excel reports."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from learn_core.analysis import analyse
from learn_core.reading import survey_from_frame
from learn_core.reports import report_pdf, report_xlsx
from tests.conftest import ITEM_IDS

TODAY = dt.date(2026, 12, 1)
DEPARTMENTS = ["Bauamt", "Jugendamt", "Kämmerei", "Ordnungsamt", "Schulamt"]


def _analysis(leaders: int, k: int = 5):
    rows = []
    for d, dept in enumerate(DEPARTMENTS):
        for i in range(8):
            rows.append({"Abteilung": dept, "Führungskraft": "ja" if i < leaders else "nein",
                         **{item: 1 + (i + j + d) % 5 for j, item in enumerate(ITEM_IDS)}})
    frame = pd.DataFrame(rows, columns=["Abteilung", "Führungskraft", *ITEM_IDS], dtype=object)
    return analyse(survey_from_frame(frame, group_column="Abteilung"), k)


@pytest.fixture(scope="module")
def shown():
    return _analysis(2)


def _pdf_text(data: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


def test_pdf_has_the_gap_table_and_the_bands(shown):
    text = _pdf_text(report_pdf(shown, today=TODAY))
    assert "Führungskräfte und Mitarbeitende im Vergleich" in text
    assert "(n = 10)" in text and "(n = 30)" in text
    assert "Position unter den Abteilungen" in text
    assert any(band in text for band in ("oberes Drittel", "unteres Drittel"))


def test_xlsx_has_the_gap_as_numbers_and_a_band_per_department(shown):
    wb = load_workbook(io.BytesIO(report_xlsx(shown, today=TODAY)))
    ws = wb["Ansatzpunkte"]
    cells = [[c.value for c in row] for row in ws.iter_rows()]
    top = next(i for i, r in enumerate(cells) if r[0] == "Führungskräfte und Mitarbeitende im Vergleich")
    header, first = cells[top + 2], cells[top + 3]
    assert header[:6] == ["Dimension", "Führungskräfte", "n", "Mitarbeitende", "n", "Abstand (Punkte)"]
    gap = shown.result.leader_gap.dimensions["motivation"]
    assert first[1:6] == [gap.leaders_score, 10, gap.staff_score, 30, gap.gap]
    groups = wb["Abteilungen"]
    head = [c.value for c in groups[1]]
    col = head.index("Position (Index)")
    bands = [row[col].value for row in groups.iter_rows(min_row=2, max_row=1 + len(DEPARTMENTS))]
    expected = {"top": "oberes Drittel", "middle": "Mitte", "bottom": "unteres Drittel"}
    assert bands == [expected[shown.result.benchmark.band(n, "index")] for n in shown.result.groups]


def test_reports_carry_no_gap_figure_below_k():
    a = _analysis(1, k=6)  # 5 leaders < k = 6
    assert {d.hidden for d in a.result.leader_gap.dimensions.values()} == {"min_size"}
    text = _pdf_text(report_pdf(a, today=TODAY))
    assert "verborgen: eine der beiden" in " ".join(text.split())  # the reason (wrapped in its cell)
    assert "(n = 5)" not in text
    ws = load_workbook(io.BytesIO(report_xlsx(a, today=TODAY)))["Ansatzpunkte"]
    cells = [[c.value for c in row] for row in ws.iter_rows()]
    top = next(i for i, r in enumerate(cells) if r[0] == "Führungskräfte und Mitarbeitende im Vergleich")
    assert all(r[1:8] == [None] * 7 for r in cells[top + 3:top + 7])
