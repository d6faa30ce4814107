"""The leader-vs-staff gap (learn_core.analysis.gaps): recognition of the role
column, hand-computed Welch figures, k − 1 and k on both sides, and the
privacy engine's verdict on the role cells."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from learn_core.analysis import analyse
from learn_core.analysis.gaps import RoleColumn, leader_gap, role_column
from learn_core.instrument import DIMENSION_KEYS
from learn_core.reading import survey_from_frame
from tests.conftest import ITEM_IDS, full_row


def _survey(rows: list[dict], group_column: str | None = None):
    cols = list(dict.fromkeys(c for r in rows for c in r if c not in ITEM_IDS)) + list(ITEM_IDS)
    frame = pd.DataFrame([{c: r.get(c) for c in cols} for r in rows], columns=cols, dtype=object)
    return survey_from_frame(frame, group_column=group_column)


def _people(n: int, value: int, **attributes) -> list[dict]:
    return [{**full_row(value), **attributes} for _ in range(n)]


@pytest.mark.parametrize(("header", "values", "expected"), [
    ("Führungskraft", ["ja", "nein"], ("ja", "nein")),
    ("Führungskraft (ja/nein)", ["Nein", "Ja", "ohne Angabe"], ("Ja", "Nein")),
    ("Leitungsfunktion", ["1", "0"], ("1", "0")),
    ("Führungsverantwortung", ["yes", "no"], ("yes", "no")),
    ("Rolle", ["Mitarbeitende", "Führungskraft"], ("Führungskraft", "Mitarbeitende")),
    ("manager", ["Yes", "No"], ("Yes", "No")),
    ("Leader", ["Leader", "Staff"], ("Leader", "Staff")),
    ("Rolle", ["Sachbearbeitung", "Leitung", "Assistenz"], None),  # three roles: no two sides
    ("Rolle", ["ja", "Ja"], None),  # two leader spellings, no staff
    ("Standort", ["ja", "nein"], None),  # not a role header
    ("Qualitätsmanagement", ["ja", "nein"], None),  # "management" only as a word
])
def test_role_column_is_recognised_by_header_and_two_sides(header, values, expected):
    labels = pd.Series(values * 3, dtype=object)
    found = role_column({"Abteilung": pd.Series(["A", "B", "C"] * len(values), dtype=object), header: labels})
    assert (None if found is None else (found.leader, found.staff)) == expected
    if found is not None:
        assert found.header == header


def test_gap_and_welch_interval_by_hand():
    # leaders: 100, 100, 100, 75, 75 (mean 90, variance 750/4 = 187.5); staff: 50, 50, 50, 25, 25 (mean 40, 187.5)
    scores = pd.DataFrame({key: [100, 100, 100, 75, 75, 50, 50, 50, 25, 25] for key in DIMENSION_KEYS}, dtype=float)
    labels = np.array(["ja"] * 5 + ["nein"] * 5, dtype=object)
    gap = leader_gap(scores, labels, RoleColumn("Führungskraft", "ja", "nein"), DIMENSION_KEYS,
                     {key: (None, None) for key in DIMENSION_KEYS}, 5)
    d = gap.dimensions["motivation"]
    # gap 50; se = √(187.5/5 + 187.5/5) = √75; ν = 75² / (2 · 37.5² / 4) = 8; t(0.975; 8) = 2.306004 (table)
    half = 2.306004135 * np.sqrt(75.0)
    assert (d.leaders_n, d.leaders_score, d.staff_n, d.staff_score, d.gap) == (5, 90.0, 5, 40.0, 50.0)
    assert d.ci95 == pytest.approx((50.0 - half, 50.0 + half), abs=1e-6)
    assert d.hidden is None


def test_no_spread_on_either_side_gives_no_interval():
    scores = pd.DataFrame({key: [100.0] * 5 + [50.0] * 5 for key in DIMENSION_KEYS})
    gap = leader_gap(scores, np.array(["ja"] * 5 + ["nein"] * 5, dtype=object), RoleColumn("F", "ja", "nein"),
                     DIMENSION_KEYS, {key: (None, None) for key in DIMENSION_KEYS}, 5)
    assert {d.hidden for d in gap.dimensions.values()} == {"no_variance"}
    assert all(d.gap is None and d.leaders_n is None for d in gap.dimensions.values())


def _role_rows(leaders: int, staff: int) -> list[dict]:
    rows = []
    for i in range(leaders):
        rows += _people(1, 4 + i % 2, Führungskraft="ja")
    for i in range(staff):
        rows += _people(1, 2 + i % 2, Führungskraft="nein")
    return rows


@pytest.mark.parametrize(("leaders", "staff", "shown"), [
    (4, 16, False), (5, 15, True),   # leaders k − 1 and k
    (16, 4, False), (15, 5, True),   # staff k − 1 and k
])
def test_the_gap_needs_k_on_both_sides(leaders, staff, shown):
    result = analyse(_survey(_role_rows(leaders, staff)), 5).result
    gap = result.leader_gap
    assert gap is not None and gap.role == RoleColumn("Führungskraft", "ja", "nein")
    for d in gap.dimensions.values():
        assert (d.hidden is None) is shown
        if shown:
            assert d.leaders_n == leaders and d.staff_n == staff and d.gap > 0
        else:
            assert d.hidden == "min_size"
            assert (d.gap, d.leaders_n, d.staff_n, d.leaders_score, d.staff_score, d.ci95) == (None,) * 6
    dumped = result.to_json()["leader_gap"]
    assert dumped["column"] == "Führungskraft"
    assert all((v["gap"] is None) is not shown for v in dumped["dimensions"].values())


def test_a_role_cell_the_privacy_engine_hides_gives_no_gap():
    # Abteilung A: 10 people, 8 of them leaders; B: 10 staff. The leaders' cell (8) and A (10) differ by
    # 2 < k people: the overlap rule hides the later grouping's cell (the role), and the gap with it.
    rows = (_people(4, 4, Abteilung="A", Führungskraft="ja") + _people(4, 5, Abteilung="A", Führungskraft="ja")
            + _people(1, 2, Abteilung="A", Führungskraft="nein") + _people(1, 3, Abteilung="A", Führungskraft="nein")
            + _people(5, 2, Abteilung="B", Führungskraft="nein") + _people(5, 3, Abteilung="B", Führungskraft="nein"))
    result = analyse(_survey(rows, "Abteilung"), 5).result
    assert set(result.groups) == {"A", "B"}
    gap = result.leader_gap
    assert {d.hidden for d in gap.dimensions.values()} == {"overlap"}
    assert all(d.gap is None and d.leaders_n is None for d in gap.dimensions.values())


def test_the_gap_is_the_organisations_only_with_departments():
    rows = []
    for dept in "ABCD":
        rows += _role_rows(5, 5)
        for r in rows[-10:]:
            r["Abteilung"] = dept
    result = analyse(_survey(rows, "Abteilung"), 5).result
    gap = result.leader_gap
    assert {d.hidden for d in gap.dimensions.values()} == {None}
    assert gap.dimensions["motivation"].leaders_n == 20 and gap.dimensions["motivation"].staff_n == 20
    # the role split inside a department (5 and 5) appears nowhere: no group carries a gap
    assert all("leader" not in str(g) for g in result.to_json()["groups"].values())


def test_no_role_column_no_gap():
    result = analyse(_survey(_people(6, 3, Abteilung="A") + _people(6, 4, Abteilung="B"), "Abteilung"), 5).result
    assert result.leader_gap is None
    assert result.to_json()["leader_gap"] is None


def test_empty_role_cells_below_k_hide_the_smaller_side_as_the_complement():
    # 10 leaders, 12 staff, 2 without an answer in the role column: organisation − leaders − staff would give
    # those 2 < k people, so rule 3 hides the smallest reported role cell (the leaders), and the gap with it
    rows = _role_rows(10, 12) + _people(2, 3, Führungskraft=None)
    gap = analyse(_survey(rows), 5).result.leader_gap
    assert gap.role == RoleColumn("Führungskraft", "ja", "nein")
    assert {d.hidden for d in gap.dimensions.values()} == {"complementary"}
    rows = _role_rows(10, 12) + _people(5, 3, Führungskraft=None)  # 5 = k without an answer: nothing to protect
    assert {d.hidden for d in analyse(_survey(rows), 5).result.leader_gap.dimensions.values()} == {None}
