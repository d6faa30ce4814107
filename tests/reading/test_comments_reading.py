"""Free-text comment columns (learn_core.reading.comments): recognised,
kept per row, and without any change to the items' scoring or the report."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from learn_core.analysis import analyse
from learn_core.reading import survey_from_frame
from learn_core.reading.comments import MAX_COMMENT_LENGTH, comment_text, is_comment_header
from tests.conftest import ITEM_IDS


@pytest.mark.parametrize(("header", "is_comment"), [
    ("Kommentar", True), ("Kommentare", True), ("Anmerkungen zur Umfrage", True), ("Bemerkung", True),
    ("Freitext", True), ("Was möchten Sie uns noch sagen?", True), ("Was sollte besser werden?", True),
    ("Comments", True), ("Remarks", True), ("Weitere Hinweise", True), ("free_text", True),
    ("Is there anything else you want to tell us?", True),
    ("Abteilung", False), ("Standort", False), ("M1", False), ("E-Mail", False), ("Lfd. Nr.", False),
    ("Startzeit", False), ("", False), ("Ihr Name (freiwillig)", False), ("Bemerkung zur E-Mail", False),
])  # fmt: skip
def test_comment_headers(header, is_comment):
    assert is_comment_header(header) is is_comment


@pytest.mark.parametrize(("cell", "text"), [
    (None, None), (float("nan"), None), ("", None), ("  \t\n ", None), (True, None),
    ("  gut\n\nso  ", "gut so"), (5.0, "5"), (2.5, "2.5"), ("a\x00b\u202ec", "a b c"),
    ("x" * (MAX_COMMENT_LENGTH + 5), "x" * (MAX_COMMENT_LENGTH - 1) + "…"),
])  # fmt: skip
def test_a_cell_as_comment_text(cell, text):
    assert comment_text(cell) == text


def _frame(n: int = 12, **extra) -> pd.DataFrame:
    rng = np.random.default_rng(3)
    rows = [{"Abteilung": "Bauamt" if i % 2 else "Kämmerei", **{i_: int(rng.integers(1, 6)) for i_ in ITEM_IDS}}
            for i in range(n)]
    frame = pd.DataFrame(rows, dtype=object)
    for name, values in extra.items():
        frame[name.replace("_", " ")] = values
    return frame


def test_a_comment_column_is_kept_per_row_and_changes_nothing_else():
    base = _frame()
    texts = ["Mehr Zeit für Fortbildung", None, "  ", "<b>fett</b>"] + [f"Text {i}" for i in range(8)]
    with_comments = base.assign(Kommentar=texts)
    plain, commented = survey_from_frame(base), survey_from_frame(with_comments)
    assert list(commented.comments) == ["Kommentar"]
    assert commented.comments["Kommentar"].tolist() == ["Mehr Zeit für Fortbildung", None, None, "<b>fett</b>",
                                                        *[f"Text {i}" for i in range(8)]]
    pd.testing.assert_frame_equal(plain.answers, commented.answers)
    assert "Kommentar" not in commented.attributes and list(commented.attributes) == list(plain.attributes)
    # the report still names the column as not evaluated (the same message as before)
    assert commented.report.unmatched_columns == ["Kommentar"]
    a, b = analyse(plain, 5).result.to_json(), analyse(commented, 5).result.to_json()
    assert [p["message"] for p in b.pop("problems")] == ["Nicht ausgewertete Spalten: „Kommentar“."]
    a.pop("comments"), b.pop("comments"), a.pop("problems")
    assert a == b


def test_a_column_of_sentences_without_a_comment_header_is_recognised():
    texts = [f"Die Abstimmung im Team {i} klappt gut" if i % 3 else None for i in range(12)]
    survey = survey_from_frame(_frame(Was_noch=texts))
    assert list(survey.comments) == ["Was noch"] and "Was noch" not in survey.attributes


@pytest.mark.parametrize("column", [
    ["Rathaus am Markt 1", "Bauhof an der Straße"] * 6,  # an attribute of several words: a grouping
    [f"2026-11-0{i % 9 + 1} 09:00" for i in range(12)],  # time stamps
    [f"person{i}@stadt.de" for i in range(12)],  # one word each
    list(range(12)),  # numbers
    [pd.Timestamp(2026, 11, 1, 9, i) for i in range(12)],  # dates from a workbook
])
def test_columns_that_are_no_comments(column):
    survey = survey_from_frame(_frame(Spalte=column))
    assert survey.comments == {}


def test_a_pseudonym_code_column_is_never_a_comment_column():
    survey = survey_from_frame(_frame(Code=[f"AB {i} CD EF" for i in range(12)]))
    assert survey.comments == {} and survey.codes is not None and survey.codes[0] == "Code"


def test_a_comment_header_wins_even_with_few_different_values():
    survey = survey_from_frame(_frame(Anmerkung=["passt", None] * 6))
    assert list(survey.comments) == ["Anmerkung"] and "Anmerkung" not in survey.attributes


def test_rows_left_out_leave_their_comment_out_too():
    frame = _frame(4, Kommentar=["eins", "zwei", "drei", "vier"])
    frame.loc[4] = {"Abteilung": None, **dict.fromkeys(ITEM_IDS, None), "Kommentar": None}  # a blank row
    survey = survey_from_frame(frame)
    assert len(survey.comments["Kommentar"]) == survey.n_rows == 4


@pytest.mark.parametrize("header", ["Name", "Vor- und Nachname", "E-Mail", "Telefon", "IP-Adresse"])
def test_personal_data_is_never_a_comment_column(header):
    # full names of three words and more read like sentences: the header keeps them out
    survey = survey_from_frame(_frame(**{header: [f"Dr. Anna Maria Muster{i}" for i in range(12)]}))
    assert survey.comments == {}


def test_a_column_the_mapping_leaves_out_is_no_comment_column():
    frame = _frame(Kommentar=[f"Text {i}" for i in range(12)])
    assert list(survey_from_frame(frame).comments) == ["Kommentar"]
    assert survey_from_frame(frame, column_map={"Kommentar": ""}).comments == {}
