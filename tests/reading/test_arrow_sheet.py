"""Workbooks read through Arrow (:mod:`learn_core.reading.arrow_sheet`) give
the survey the cell reader gives, value for value and message for message;
sheets Arrow cannot carry without loss go to the cell reader."""

from __future__ import annotations

import datetime
import io
import pickle
import zipfile

import numpy as np
import pytest

from learn_core.errors import ReadError
from learn_core.reading import arrow_sheet, reader
from learn_core.reading.survey import build_survey
from tests.reading.fixtures_reading import INSTRUMENT, ITEMS, SEED, answers, xlsx_bytes

LABELS = list(INSTRUMENT.scale.labels_de)


def _rows(n: int = 60, seed: int = SEED) -> list[list]:
    values, groups = answers(n, seed)
    body = [[i + 1, g, *(None if np.isnan(v) else float(v) for v in row), None]
            for i, (row, g) in enumerate(zip(values, groups, strict=True))]
    return [["ID", "Abteilung", *ITEMS, "Kommentar"], *body]


def _surveys(data: bytes, **kwargs):
    """The survey through Arrow and through the cells (pickled, to compare every field)."""
    out = []
    for read in (reader._arrow_workbook_table, reader._cells_workbook_table):
        table = read(data, "xlsx", kwargs.get("sheet"), INSTRUMENT, None, True)
        try:
            survey = build_survey(table, INSTRUMENT)
        except ReadError as exc:  # the same refusal, word for word
            out.append((type(exc).__name__, str(exc)))
            continue
        survey.instrument = None
        out.append(pickle.dumps(survey))
    return out


def _labels(rows: list[list]) -> list[list]:
    """Every answer as its label text (a column of texts only)."""
    return [rows[0], *([*r[:2], *(LABELS[int(v) - 1] if v else None for v in r[2:-1]), r[-1]] for r in rows[1:])]


def _shapes() -> dict[str, bytes]:
    rows = _rows()
    rows[5][-1] = "Alles gut"
    summary = [*rows, [None, "Mittelwert", *[3.0] * len(ITEMS), None]]
    notes = [*rows, [None] * len(rows[0]), [None, "Quelle: Umfrage 2026"]]  # (in the ID column: mixed)
    invalid = [r[:] for r in rows]
    invalid[3][4], invalid[7][5] = 6.0, 3.5  # numbers, but no answer
    title = [["Mitarbeitendenbefragung 2026"], [], *rows]
    unknown = _labels(rows)
    unknown[2][3], unknown[9][4], unknown[9][3] = "weiß nicht genau", "sehr gut", "sehr gut"
    long_rows = _rows(300, SEED + 1)
    return {
        "plain": xlsx_bytes(rows),
        "offset": xlsx_bytes(rows, start_row=3, start_col=3),
        "summary rows": xlsx_bytes(summary),
        "note rows": xlsx_bytes(notes),
        "invalid numbers": xlsx_bytes(invalid),
        "title row": xlsx_bytes(title, start_row=2),
        "labels": xlsx_bytes(_labels(rows)),
        "unknown labels": xlsx_bytes(unknown),
        "sheet after an info sheet": xlsx_bytes(rows, sheets_before=1),
        "longer than the head copy": xlsx_bytes(long_rows),
    }


SHAPES = _shapes()


@pytest.mark.parametrize("name", list(SHAPES))
def test_arrow_gives_the_survey_of_the_cells(name):
    through_arrow, through_cells = _surveys(SHAPES[name])
    assert through_arrow == through_cells


def test_a_cell_left_of_the_header_moves_the_columns_as_in_the_cells():
    rows = _rows()
    data = xlsx_bytes(rows, start_col=2)
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data))
    wb.active.cell(row=40, column=1, value="Notiz")  # the sheet now starts in column A
    buf = io.BytesIO()
    wb.save(buf)
    through_arrow, through_cells = _surveys(buf.getvalue())
    assert through_arrow == through_cells


def _with_column(values: list) -> bytes:
    rows = _rows()
    rows[0].append("Extra")
    for r, v in zip(rows[1:], values, strict=False):
        r.append(v)
    return xlsx_bytes(rows)


@pytest.mark.parametrize("values", [
    [datetime.datetime(2026, 3, 1 + i % 20, 9, i % 60, i % 7) for i in range(60)],
    [datetime.datetime(2026, 3, 1 + i % 3) for i in range(50)],  # dates: python-calamine gives date objects
    [datetime.datetime(2026, 3, 1, 9, 30, 0, 123000), None, datetime.datetime(2025, 12, 31)],
    [True, False, None, True],
], ids=["date and time", "dates at midnight", "milliseconds and gaps", "truth values"])
def test_dates_and_truth_values_through_arrow_are_the_cells(values):
    through_arrow, through_cells = _surveys(_with_column(values))
    assert through_arrow == through_cells


@pytest.mark.parametrize("cell", [datetime.datetime(2026, 3, 1, 9, 30), True],
                         ids=["date", "truth value"])
def test_a_date_or_truth_value_among_answers_is_invalid_as_in_the_cells(cell):
    rows = _rows()
    rows[4][3] = cell  # a column of numbers with one other cell: mixed
    data = xlsx_bytes(rows)
    via = build_survey(reader._workbook_table(data, "xlsx", None, INSTRUMENT, None), INSTRUMENT)
    cells = build_survey(reader._cells_workbook_table(data, "xlsx", None, INSTRUMENT, None), INSTRUMENT)
    assert via.report == cells.report
    assert via.report.invalid_count == 1


@pytest.mark.parametrize("column", [
    ["trifft zu", *[3.0] * 10],  # texts among numbers
    [datetime.time(9, 15), datetime.time(10, 0)],  # times of day
    [datetime.timedelta(hours=30)],  # durations
], ids=["text among numbers", "time of day", "duration"])
def test_a_column_arrow_cannot_carry_goes_to_the_cells(column):
    data = _with_column(column)
    with pytest.raises(arrow_sheet.Unsupported):
        reader._arrow_workbook_table(data, "xlsx", None, INSTRUMENT, None, True)
    via = build_survey(reader._workbook_table(data, "xlsx", None, INSTRUMENT, None), INSTRUMENT)
    cells = build_survey(reader._cells_workbook_table(data, "xlsx", None, INSTRUMENT, None), INSTRUMENT)
    assert via.report == cells.report
    assert list(via.attributes) == list(cells.attributes)


def test_a_text_among_numbers_in_an_item_column_goes_to_the_cells():
    rows = _rows()
    rows[4][3] = "trifft zu"
    data = xlsx_bytes(rows)
    with pytest.raises(arrow_sheet.Unsupported):
        reader._arrow_workbook_table(data, "xlsx", None, INSTRUMENT, None, True)
    via = build_survey(reader._workbook_table(data, "xlsx", None, INSTRUMENT, None), INSTRUMENT)
    cells = build_survey(reader._cells_workbook_table(data, "xlsx", None, INSTRUMENT, None), INSTRUMENT)
    assert via.report == cells.report
    assert via.report.invalid_count == cells.report.invalid_count == 0


def test_the_head_copy_keeps_the_first_rows_and_every_other_part():
    data = xlsx_bytes(_rows(100), start_row=4)
    head = arrow_sheet.head_workbook(data, rows=5)
    with zipfile.ZipFile(io.BytesIO(data)) as full, zipfile.ZipFile(io.BytesIO(head)) as cut:
        assert sorted(full.namelist()) == sorted(cut.namelist())
        sheet = cut.read("xl/worksheets/sheet1.xml")
    assert sheet.count(b"<row ") == 5
    assert b'<row r="8"' in sheet and b'<row r="9"' not in sheet
    assert sheet.endswith(b"</sheetData></worksheet>")


def test_a_column_mixed_in_the_first_rows_is_not_parsed_through_arrow_first(monkeypatch):
    rows = _rows()
    rows[2][4] = "k. A."  # a text among the numbers of an item column, in the first data rows
    data = xlsx_bytes(rows)

    def no_parse(*args):
        raise AssertionError("the sheet was parsed through Arrow although its first rows mix kinds")

    monkeypatch.setattr(arrow_sheet, "body_columns", no_parse)
    with pytest.raises(arrow_sheet.Unsupported):
        reader._arrow_workbook_table(data, "xlsx", None, INSTRUMENT, None, True)
    table = reader._workbook_table(data, "xlsx", None, INSTRUMENT, None)
    assert build_survey(table, INSTRUMENT).report.invalid_count == 0  # "k. A." is no answer, as before


@pytest.mark.parametrize(("rows", "mixed"), [
    ([[1.0, "a", ""], [2.0, "b", datetime.date(2026, 1, 1)]], False),
    ([[1.0, "a"], ["x", "b"]], True),
    ([[True], [1.0]], True),
    ([[datetime.time(9, 0)]], True),
    ([[datetime.datetime(2026, 1, 1, 9, 0)], [datetime.date(2026, 1, 2)]], False),
], ids=["one kind each", "number and text", "truth value and number", "time of day", "dates"])
def test_check_head(rows, mixed):
    if mixed:
        with pytest.raises(arrow_sheet.Unsupported):
            arrow_sheet.check_head(rows)
    else:
        arrow_sheet.check_head(rows)
