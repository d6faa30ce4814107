"""Answer decoding and the validation report."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from learn_core.reading.validation import (
    INVALID,
    MAX_LISTED_CELLS,
    MISSING,
    InvalidCell,
    ValidationReport,
    answer_lookup,
    decode_answers,
)
from tests.reading.fixtures_reading import INSTRUMENT

LOOKUP = answer_lookup(INSTRUMENT)


@pytest.mark.parametrize(
    ("cell", "code"),
    [
        (5, 5), (5.0, 5), ("5", 5), ("5,0", 5), (" 4.00 ", 4), (np.int64(3), 3), (1, 1),
        ("Stimme eher zu", 4), ("STIMME VOLL UND GANZ ZU", 5), ("stimme überhaupt nicht zu", 1),
        ("Strongly disagree", 1), ("Agree", 4), ("teils/teils", 3), ("trifft voll zu", 5),
        ("5 - trifft voll zu", 5), ("trifft eher nicht zu (2)", 2),
        (None, MISSING), (np.nan, MISSING), ("", MISSING), ("  ", MISSING), ("k.A.", MISSING),
        ("keine Angabe", MISSING), ("Weiß nicht", MISSING), ("n/a", MISSING),
        (0, INVALID), (6, INVALID), (3.5, INVALID), ("3,5", INVALID), ("abc", INVALID), (True, INVALID),
        (False, INVALID), (dt.datetime(2026, 1, 5), INVALID), ("4 - trifft voll zu", INVALID), (-1, INVALID),
    ],
)
def test_decode_one_cell(cell, code):
    assert decode_answers(pd.Series([cell], dtype=object), LOOKUP).tolist() == [code]


def test_true_and_one_in_one_column_are_told_apart():
    # Python hashes True like 1, so a per-value table alone would mix them up
    assert decode_answers(np.array([True, 1, 1.0, True, "1"], dtype=object), LOOKUP).tolist() == [
        INVALID, 1, 1, INVALID, 1
    ]
    assert decode_answers(np.array([1.0, True], dtype=object), LOOKUP).tolist() == [1, INVALID]


def test_numeric_columns_are_decoded_without_a_loop():
    values = np.array([1, 2, 5, 0, 6, np.nan, 2.5])
    assert decode_answers(values, LOOKUP).tolist() == [1, 2, 5, INVALID, INVALID, MISSING, INVALID]
    assert decode_answers(np.array([True, False]), LOOKUP).tolist() == [INVALID, INVALID]
    assert decode_answers(np.array([], dtype=object), LOOKUP).size == 0


def test_problems_list_few_invalid_cells_one_by_one_and_group_many():
    few = ValidationReport(invalid_cells=[InvalidCell(3, "M1", "abc")], invalid_count=1,
                           invalid_by_column={"M1": 1})
    assert [(p.row, p.column) for p in few.problems()] == [(3, "M1")]
    many = MAX_LISTED_CELLS + 1
    report = ValidationReport(
        invalid_cells=[InvalidCell(r, "M1", "x") for r in range(2, 2 + many)],
        invalid_count=many,
        invalid_by_column={"M1": many},
    )
    (problem,) = report.problems()
    assert problem.column == "M1" and problem.row == 2
    assert problem.message.startswith(f"{many} ungültige Antworten in dieser Spalte")


def test_problems_name_unmatched_columns_and_unscorable_dimensions():
    report = ValidationReport(unmatched_columns=["Lfd. Nr.", "E-Mail"], unscorable_dimensions=["fuehrung"],
                              dimension_names={"fuehrung": "Führung"})
    messages = [p.message for p in report.problems()]
    assert "Nicht ausgewertete Spalten: „Lfd. Nr.“, „E-Mail“." in messages
    assert any(m.startswith("Die Dimension Führung kann nicht ausgewertet werden") for m in messages)


def test_every_kind_of_problem_has_its_english_sentence():
    from learn_core.errors import Wording
    from learn_core.reading.validation import LeftOutRow

    report = ValidationReport(
        sheet="Daten", other_sheets=["Legende"], header_rows=[1, 2],
        left_out_rows=[LeftOutRow(40, "summary", "Mittelwert"), LeftOutRow(43, "note", "Quelle: Amt")],
        summary_rows_skipped=1, note_rows_skipped=1, missing_items=["L5", "L6"],
        unscorable_dimensions=["motivation"], dimension_names={"motivation": Wording("Antrieb", "Drive")},
        unmatched_columns=["Ort"], invalid_cells=[InvalidCell(7, "M1", "9")], invalid_count=1,
        invalid_by_column={"M1": 1}, empty_rows_skipped=1234)
    pairs = [(p.text("de"), p.text("en")) for p in report.problems()]
    assert pairs == [
        ("Ausgewertet wurde das Tabellenblatt „Daten“; weitere Blätter: „Legende“ (ein anderes mit --sheet NAME "
         "oder auf der Seite Daten wählen).",
         "The sheet “Daten” was analysed; further sheets: “Legende” (choose another with --sheet NAME or on the "
         "Data page)."),
        ("Die Überschrift steht in den Zeilen 1 bis 2 und wurde als eine Zeile gelesen.",
         "The header stands in rows 1 to 2 and was read as one row."),
        ("Zusammenfassungszeile „Mittelwert“ – nicht als Antwort gezählt.",
         "Summary row “Mittelwert” – not counted as an answer."),
        ("1 Hinweiszeile unter einer Leerzeile nach den Daten – nicht als Antwort gezählt.",
         "1 note row below a blank row after the data – not counted as an answer."),
        ("Diese Items fehlen in der Datei: L5, L6.", "These items are missing from the file: L5, L6."),
        ("Die Dimension Antrieb kann nicht ausgewertet werden, weil zu wenige ihrer Items in der Datei stehen.",
         "The dimension Drive cannot be analysed because too few of its items are in the file."),
        ("Nicht ausgewertete Spalten: „Ort“.", "Columns not analysed: “Ort”."),
        ("Ungültige Antwort „9“ – als fehlend gewertet.", "Invalid answer “9” – counted as missing."),
        ("1.234 Zeilen ohne gültige Antwort wurden übersprungen.", "1,234 rows without a valid answer were skipped."),
    ]
    first = report.problems()[0]
    assert first.message == pairs[0][0]
    assert first.to_dict() == {"row": None, "column": None, "severity": "info", "message": pairs[0][0],
                               "message_en": pairs[0][1]}


def test_many_invalid_cells_are_counted_in_the_language_s_format():
    many = 1500
    report = ValidationReport(invalid_cells=[InvalidCell(r, "M1", "7") for r in range(2, 2 + many)],
                              invalid_count=many, invalid_by_column={"M1": many})
    (problem,) = report.problems()
    assert problem.text("de") == "1.500 ungültige Antworten in dieser Spalte (erste in Zeile 2: „7“) – als fehlend gewertet."
    assert problem.text("en") == "1,500 invalid answers in this column (first in row 2: “7”) – counted as missing."
