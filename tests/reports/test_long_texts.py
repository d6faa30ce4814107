"""Long department names, owners and plan notes never fail a report: PDF
cells are cut to a few lines with an ellipsis (a row taller than a page
could not be set: 1,000 characters of a name did that), Excel cells to
Excel's 32,767 characters, row heights to its 409 points; and Excel files
pass through no temporary file."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from learn_core.actionplan import add_measures, empty_plan, plan_to_xlsx
from learn_core.analysis import analyse
from learn_core.recommendations import catalogue
from learn_core.reports import report_pdf, report_xlsx
from learn_core.reports.pdfdoc import LearnPDF, shorten
from learn_core.reports.templates import template_xlsx
from learn_core.spreadsheet import MAX_CELL_CHARS, MAX_ROW_HEIGHT
from tests.conftest import full_row, survey_of
from tests.test_spreadsheet import files_written


def _text(n: int, spaces: bool) -> str:
    word = "Fachbereich Öffentliche Ordnung " if spaces else "Bürgerservice"
    return (word * (n // len(word) + 1))[:n]


def _inputs(n: int, spaces: bool):
    name = _text(n, spaces)
    rows = [full_row(3 + i % 2, group=name) for i in range(6)] + [full_row(2, group="Kurz") for _ in range(6)]
    analysis = analyse(survey_of(rows, group_column="Abteilung"), 5)
    plan = add_measures(empty_plan(), list(catalogue()[:2]))
    plan.loc[0, "Notiz"] = _text(n, spaces)
    plan.loc[1, "Verantwortlich"] = _text(n, spaces)
    return analysis, plan, name


LENGTHS = [999, 1_000, 1_600, 40_000]


@pytest.mark.parametrize("spaces", [True, False], ids=["words", "one word"])
@pytest.mark.parametrize("n", LENGTHS)
def test_long_names_and_notes_in_pdf(n, spaces):
    analysis, plan, name = _inputs(n, spaces)
    data = report_pdf(analysis, lang="de", plan=plan, organisation=name)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert "…" in text
    assert name[:20] in text.replace("\n", " ") or name[:12] in text


@pytest.mark.parametrize("n", [1_000, MAX_CELL_CHARS, MAX_CELL_CHARS + 1, 100_000])
def test_long_names_and_notes_in_excel(n):
    analysis, plan, name = _inputs(n, spaces=True)
    data, written = files_written(lambda: report_xlsx(analysis, lang="de", plan=plan, organisation=name))
    assert written == []
    wb = load_workbook(io.BytesIO(data))
    texts = [c.value for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert max(map(len, texts)) <= MAX_CELL_CHARS
    cut = name[: MAX_CELL_CHARS - 1] + "…"
    assert (name in texts, cut in texts) == ((True, False) if n <= MAX_CELL_CHARS else (False, True))
    heights = [d.height for ws in wb for d in ws.row_dimensions.values() if d.height]
    assert max(heights) <= MAX_ROW_HEIGHT


def test_long_note_in_the_plan_file():
    _, plan, _ = _inputs(MAX_CELL_CHARS + 10, spaces=True)
    data, written = files_written(lambda: plan_to_xlsx(plan))
    assert written == []
    note = load_workbook(io.BytesIO(data)).active["G2"].value
    assert len(note) == MAX_CELL_CHARS and note.endswith("…")


def test_blank_template_writes_no_file():
    data, written = files_written(lambda: template_xlsx("de"))
    assert written == [] and data[:2] == b"PK"


@pytest.mark.parametrize(("text", "limit", "expected"), [("Amt", 3, "Amt"), ("Ämter", 4, "Ämt…"), ("ab cd", 4, "ab…")])
def test_shorten(text, limit, expected):
    assert shorten(text, limit) == expected


def test_a_table_cell_fits_its_lines():
    pdf = LearnPDF("Test")
    pdf.add_page()
    fitted = pdf._fit(_text(5_000, True), 40, 3)
    assert fitted.endswith("…") and pdf.get_string_width(fitted) <= 40 * 3 * 0.85
    assert pdf._fit("kurz", 40, 3) == "kurz"
