"""Group and attribute values that differ only in upper and lower case are
one group (merge_spellings), and the reader says so."""

from __future__ import annotations

import pandas as pd
import pytest

from learn_core.analysis import analyse
from learn_core.reading import survey_from_frame
from learn_core.reading.survey import merge_spellings
from tests.conftest import ITEM_IDS, full_row


def test_the_most_frequent_spelling_wins_ties_go_to_the_first_in_sort_order():
    labels, merged = merge_spellings(pd.Series(["Ja", "ja", "nein", "ja", "Nein", "JA"]))
    assert labels.tolist() == ["ja", "ja", "Nein", "ja", "Nein", "ja"]
    assert merged == {"Nein": ("nein",), "ja": ("JA", "Ja")}


def test_distinct_values_stay_as_they_are():
    series = pd.Series(["Bauamt", "Bürgeramt", "Bauamt"])
    labels, merged = merge_spellings(series)
    assert labels.tolist() == series.tolist() and merged == {}


def test_a_role_column_typed_in_mixed_case_gives_the_gap_and_a_note():
    rows = ([{**full_row(5 - i % 2), "Abteilung": "A", "Führungskraft": "Ja"} for i in range(3)]
            + [{**full_row(5 - i % 2), "Abteilung": "B", "Führungskraft": "ja"} for i in range(4)]
            + [{**full_row(2 + i % 2), "Abteilung": d, "Führungskraft": "nein"} for d in "AB" for i in range(8)])
    frame = pd.DataFrame([{c: r.get(c) for c in ["Abteilung", "Führungskraft", *ITEM_IDS]} for r in rows],
                         dtype=object)
    survey = survey_from_frame(frame, group_column="Abteilung")
    assert sorted(set(survey.attributes["Führungskraft"])) == ["ja", "nein"]
    notes = [p.message for p in survey.report.problems() if p.column == "Führungskraft"]
    assert notes == ["In der Spalte „Führungskraft“ zählen „Ja“ als „ja“ (nur Groß- und Kleinschreibung verschieden)."]
    gap = analyse(survey, 5).result.leader_gap
    assert gap is not None and (gap.role.leader, gap.role.staff) == ("ja", "nein")
    d = gap.dimensions["motivation"]  # leaders: four at 100, three at 75; staff: half at 25, half at 50
    assert (d.leaders_n, d.staff_n) == (7, 16)
    assert d.gap == pytest.approx((4 * 100 + 3 * 75) / 7 - 37.5)


def test_a_department_written_twice_is_one_group():
    rows = ([{**full_row(4), "Abteilung": "Bauamt"} for _ in range(4)]
            + [{**full_row(4), "Abteilung": "BAUAMT"} for _ in range(2)]
            + [{**full_row(2), "Abteilung": "Jugendamt"} for _ in range(6)])
    frame = pd.DataFrame([{c: r.get(c) for c in ["Abteilung", *ITEM_IDS]} for r in rows], dtype=object)
    result = analyse(survey_from_frame(frame, group_column="Abteilung"), 5).result
    assert {name: g.n for name, g in result.groups.items()} == {"Bauamt": 6, "Jugendamt": 6}
