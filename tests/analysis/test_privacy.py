"""Minimum group size and complementary suppression."""

from __future__ import annotations

import json

import pytest

from learn_core.analysis import analyse
from learn_core.analysis.privacy import GroupSizeError, check_min_group_size, suppress
from tests.conftest import full_row, survey_of


@pytest.mark.parametrize(
    ("counts", "k", "reported", "hidden"),
    [
        # k − 1 is hidden, k is shown; hidden total 4 ≤ k − 1 → smallest reported (B, 5) hidden too
        ({"A": 10, "B": 5, "C": 4}, 5, ["A"], ["B", "C"]),
        # hidden groups hold k respondents together: no complementary suppression
        ({"A": 10, "B": 6, "C": 2, "D": 3}, 5, ["A", "B"], ["C", "D"]),
        # nothing hidden
        ({"A": 5, "B": 5}, 5, ["A", "B"], []),
        # tie for the smallest reported group: the first by name
        ({"Z": 6, "A": 6, "C": 1}, 5, ["Z"], ["A", "C"]),
        # k = 3: a group of 2 is hidden, 3 shown; hidden total 2 → smallest reported hidden too
        ({"A": 3, "B": 2, "C": 9}, 3, ["C"], ["A", "B"]),
        # all groups small
        ({"A": 1, "B": 2}, 5, [], ["A", "B"]),
        # one large group and one tiny one: the large one is hidden as well
        ({"A": 50, "B": 1}, 5, [], ["A", "B"]),
    ],
)
def test_suppress(counts, k, reported, hidden):
    assert suppress(counts, k) == (reported, hidden)


@pytest.mark.parametrize("k", [2, 0, -1, 2.5, "5", True, None])
def test_min_group_size_is_an_integer_of_at_least_three(k):
    with pytest.raises(ValueError):
        check_min_group_size(k)


def test_a_wrong_min_group_size_is_told_in_both_languages():
    with pytest.raises(GroupSizeError) as caught:
        check_min_group_size(2)
    assert caught.value.code == "errors.analysis.k_too_small"
    assert caught.value.message("de") == "Die Mindestgruppengröße muss mindestens 3 betragen (angegeben: 2)."
    assert caught.value.message("en") == "The minimum group size must be at least 3 (given: 2)."
    with pytest.raises(GroupSizeError) as caught:
        check_min_group_size(2.5)
    assert caught.value.message("de") == "Die Mindestgruppengröße muss eine ganze Zahl sein, nicht 2.5."
    assert caught.value.message("en") == "The minimum group size must be a whole number, not 2.5."
    with pytest.raises(GroupSizeError) as caught:
        check_min_group_size(-1000)  # a number of the sentence is in the language's format
    assert "(angegeben: -1.000)" in caught.value.message("de") and "(given: -1,000)" in caught.value.message("en")


def _rows(sizes: dict[str, int]) -> list[dict]:
    rows = []
    for i, (name, n) in enumerate(sizes.items()):
        rows += [full_row(2 + i % 4, group=name)] * n
    return rows


def test_hidden_group_figures_appear_nowhere():
    # Kämmerei has k − 1 = 4 respondents: hidden; Bauamt (6) is the smallest
    # reported group and is hidden too, so Kämmerei cannot be recovered from the total
    sizes = {"Bürgeramt": 12, "Bauamt": 6, "Kämmerei": 4, "Jugendamt": 9}
    result = analyse(survey_of(_rows(sizes), "Abteilung"), 5).result.to_json()
    assert sorted(result["groups"]) == ["Bürgeramt", "Jugendamt"]
    assert result["suppressed_groups"] == ["Bauamt", "Kämmerei"]
    assert result["organisation"]["n"] == 31
    text = json.dumps(result["groups"]) + json.dumps(result["comparison"])
    assert "Kämmerei" not in text and "Bauamt" not in text
    problems = " ".join(p["message"] for p in result["problems"])
    assert "Kämmerei" in problems  # named, without figures


def test_group_at_k_is_reported():
    sizes = {"A": 5, "B": 5}
    result = analyse(survey_of(_rows(sizes), "Abteilung"), 5).result.to_json()
    assert sorted(result["groups"]) == ["A", "B"]
    assert result["groups"]["A"]["n"] == 5
    assert result["suppressed_groups"] == []


def test_organisation_below_k_is_not_reported():
    result = analyse(survey_of(_rows({"A": 2, "B": 2}), "Abteilung"), 5).result.to_json()
    assert result["organisation"] is None
    assert result["groups"] == {}
    assert result["suppressed_groups"] == ["A", "B"]
    assert result["recommendations"] == []
    assert any(p["severity"] == "error" and "mindestens 5" in p["message"] for p in result["problems"])


def test_organisation_at_k_is_reported():
    result = analyse(survey_of([full_row(4)] * 5), 5).result.to_json()
    assert result["organisation"]["n"] == 5
    assert result["organisation"]["index"] == pytest.approx(75.0)


# --------------------------------------------------------------------------- cells, not rows (issue 11)

import numpy as np  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from learn_core.reading import survey_from_frame  # noqa: E402
from tests.conftest import dim_answers, frame_of  # noqa: E402

FIGURES = ("n", "score", "ci95", "level", "favourable", "alpha")


def _only_motivation(group: str) -> dict:
    return {**dim_answers("M", [4, 4, 4, 4, 4, 2]), "Abteilung": group}


def test_a_dimension_answered_by_one_person_of_five_is_hidden_everywhere():
    # the attack: 5 rows in the Kämmerei, only one person answered the Führung items
    rows = [full_row(4, "Kämmerei")] + [_only_motivation("Kämmerei")] * 4
    rows += [full_row(v, "Bauamt") for v in (2, 3, 4, 5, 3, 2)] + [full_row(v, "Hauptamt") for v in (5, 4, 4, 3, 5)]
    result = analyse(survey_of(rows, "Abteilung"), 5).result.to_json()
    kae = result["groups"]["Kämmerei"]
    assert kae["n"] == 5  # the group itself has k rows and is reported …
    assert kae["dimensions"]["motivation"]["n"] == 5
    fue = kae["dimensions"]["fuehrung"]  # … but its Führung cell rests on one person
    assert fue["hidden"] == "min_size" and [fue[f] for f in FIGURES] == [None] * 6
    assert all(kae["items"][f"F{i}"]["hidden"] and kae["items"][f"F{i}"]["shares"] is None for i in range(1, 7))
    # that person's 75 (all Führung answers 4) is not the group's figure anywhere
    assert kae["index"] == pytest.approx(75.0) and kae["index_dimensions"] == 1
    # complementary: Hauptamt (5) is the smallest reported Führung cell, hidden too;
    # otherwise organisation minus Bauamt minus Hauptamt would give the Kämmerei person
    assert result["groups"]["Hauptamt"]["dimensions"]["fuehrung"]["hidden"] == "complementary"
    assert result["groups"]["Bauamt"]["dimensions"]["fuehrung"]["hidden"] is None
    hidden = {(c["group"], c["dimension"], c["figure"]) for c in result["hidden_cells"]}
    assert {("Kämmerei", "fuehrung", "score"), ("Hauptamt", "fuehrung", "score")} <= hidden


def test_organisation_minus_reported_groups_gives_no_hidden_score():
    # the attack of the issue: Führung answered by one person in a reported group
    rows = [full_row(4, "A")] + [_only_motivation("A")] * 4 + [full_row(2, "B")] * 6 + [full_row(3, "C")] * 7
    result = analyse(survey_of(rows, "Abteilung"), 5).result.to_json()
    org = result["organisation"]["dimensions"]["fuehrung"]
    shown = [(g["dimensions"]["fuehrung"]["n"], g["dimensions"]["fuehrung"]["score"])
             for g in result["groups"].values() if g["dimensions"]["fuehrung"]["score"] is not None]
    rest_n = org["n"] - sum(n for n, _ in shown)
    assert rest_n == 0 or rest_n >= 5  # what subtraction leaves covers no one or at least k people
    assert rest_n == 7  # A's one person and C's seven


@pytest.mark.parametrize(("answered", "hidden"), [(4, "min_size"), (5, None)])
def test_cell_at_k_minus_one_is_hidden_and_at_k_shown(answered, hidden):
    rows = [full_row(4, "A")] * answered + [_only_motivation("A")] * (6 - answered) + [full_row(2, "B")] * 12
    result = analyse(survey_of(rows, "Abteilung"), 5).result.to_json()
    cell = result["groups"]["A"]["dimensions"]["fuehrung"]
    assert cell["hidden"] == hidden
    assert cell["n"] == (None if hidden else 5)
    assert cell["score"] == (None if hidden else pytest.approx(75.0))
    # the other group's cell is hidden with it (complementary), or both are shown
    assert result["groups"]["B"]["dimensions"]["fuehrung"]["hidden"] == ("complementary" if hidden else None)


def test_a_statement_answered_by_few_hides_its_distribution_and_the_dimension_share():
    rows = [full_row(4, "A")] * 4 + [{**full_row(4, "A"), "K3": None}] * 3  # K3: 4 answers in A
    rows += [full_row(2, "B")] * 8
    result = analyse(survey_of(rows, "Abteilung"), 5).result.to_json()
    a = result["groups"]["A"]
    assert a["items"]["K3"]["hidden"] == "min_size" and a["items"]["K3"]["n"] is None
    assert a["dimensions"]["kompetenz"]["favourable"] is None
    assert a["dimensions"]["kompetenz"]["favourable_hidden"] == "item_hidden"
    assert a["dimensions"]["kompetenz"]["score"] == pytest.approx(75.0)  # 7 scores: shown
    # B's K3 is hidden too, else organisation minus B would give A's four K3 answers
    assert result["groups"]["B"]["items"]["K3"]["hidden"] == "complementary"


def _two_groupings() -> list[dict]:
    # Abteilung: Archiv 4 (hidden), Bauamt 10, Chor 10, Druckerei 7; Standort: Nord = Archiv + Bauamt
    rows = []
    for dept, n, site, value in (("Archiv", 4, "Nord", 5), ("Bauamt", 10, "Nord", 2), ("Chor", 10, "Süd", 3),
                                 ("Druckerei", 7, "Süd", 4)):
        rows += [{**full_row(value, dept), "Standort": site}] * n
    return rows


def test_a_second_grouping_does_not_give_a_hidden_department_by_subtraction():
    frame = frame_of(_two_groupings(), "Abteilung")
    frame["Standort"] = [r["Standort"] for r in _two_groupings()]
    by_dept = analyse(survey_from_frame(frame, group_column="Abteilung"), 5).result.to_json()
    by_site = analyse(survey_from_frame(frame, group_column="Standort"), 5).result.to_json()
    assert by_dept["suppressed_groups"] == ["Archiv", "Druckerei"]  # the classic rules, unchanged
    assert by_dept["privacy"]["groupings"] == ["Standort"]
    # Nord − Bauamt would be the Archiv (4 people); Süd − Chor the Druckerei (hidden): both hidden
    assert by_site["groups"] == {}
    assert {h["name"]: h["reason"] for h in by_site["hidden_groups"]} == {"Nord": "overlap", "Süd": "overlap"}
    assert "Archiv" not in json.dumps(by_site)


# --------------------------------------------------------------------------- the property


def _cells(frame, group_column: str, keys: list[str]) -> dict:
    """Independently of the analysis: who is in which cell (score family per dimension)."""
    out = {}
    values = frame[[f"{p}{i}" for p in "MFKL" for i in range(1, 7)]].apply(pd.to_numeric, errors="coerce").to_numpy()
    groups = frame[group_column].fillna("ohne Angabe").astype(str).to_numpy()
    respondent = ~np.isnan(values).all(axis=1)
    for d, key in enumerate(keys):
        has = respondent & ((~np.isnan(values[:, 6 * d: 6 * d + 6])).sum(axis=1) >= 4)
        out[key] = {g: has & (groups == g) for g in np.unique(groups[respondent])}
        out[key][None] = has
    return out


def _in_span(target: np.ndarray, rows: list[np.ndarray]) -> bool:
    if not rows:
        return not target.any()
    basis = np.stack(rows).astype(float).T
    coef = np.linalg.lstsq(basis, target.astype(float), rcond=None)[0]
    return bool(np.linalg.norm(basis @ coef - target) < 1e-8)


import pandas as pd  # noqa: E402

survey_tables = st.integers(min_value=8, max_value=45).flatmap(
    lambda n: st.tuples(
        st.lists(st.sampled_from(["A", "B", "C", "D", "E"]), min_size=n, max_size=n),
        st.lists(st.sampled_from(["Nord", "Süd", "West"]), min_size=n, max_size=n),
        st.lists(st.lists(st.one_of(st.none(), st.integers(1, 5)), min_size=24, max_size=24), min_size=n, max_size=n),
        st.integers(min_value=3, max_value=6),
    )
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(survey_tables)
def test_no_hidden_cell_solves_the_reported_equations(case):
    depts, sites, answers, k = case
    ids = [f"{p}{i}" for p in "MFKL" for i in range(1, 7)]
    frame = pd.DataFrame([dict(zip(ids, a, strict=True)) for a in answers], columns=ids, dtype=object)
    frame.insert(0, "Standort", sites)
    frame.insert(0, "Abteilung", depts)
    keys = ["motivation", "fuehrung", "kompetenz", "lernerfolg"]
    results = {col: analyse(survey_from_frame(frame, group_column=col), k).result.to_json()
               for col in ("Abteilung", "Standort")}
    for key in keys:
        reported, hidden = [], []
        for col, result in results.items():
            cells = _cells(frame, col, keys)[key]
            if result["organisation"] is None:
                continue
            org = result["organisation"]["dimensions"][key]
            (reported if org["score"] is not None else hidden).append(cells[None])
            names = set(result["groups"]) | set(result["suppressed_groups"])
            for name in names:
                g = result["groups"].get(name)
                cell = cells[name]
                if g is not None and g["dimensions"][key]["score"] is not None:
                    # every reported figure rests on at least k people who answered that cell
                    assert g["dimensions"][key]["n"] == cell.sum() >= k
                    reported.append(cell)
                else:
                    hidden.append(cell)
        for cell in hidden:
            # a hidden cell of exactly the people of a reported one (e.g. a site everyone answered from,
            # hidden as a group to protect a small other site) holds no figure that is not public already
            if cell.any() and not any((cell == r).all() for r in reported):
                assert not _in_span(cell, reported), (key, int(cell.sum()))
        # the people of one department at one site, when 1 … k − 1, cannot be computed either
        has = _cells(frame, "Abteilung", keys)[key][None]
        for d in set(depts):
            for site in set(sites):
                atom = has & (frame["Abteilung"] == d).to_numpy() & (frame["Standort"] == site).to_numpy()
                if 1 <= atom.sum() <= k - 1:
                    assert not _in_span(atom, reported), (key, d, site, int(atom.sum()))
        # pairwise: no two reported cells differ by 1 … k − 1 people
        for i, a in enumerate(reported):
            for b in reported[i + 1:]:
                assert not 1 <= int((a ^ b).sum()) <= k - 1


def test_a_cell_of_everyone_is_the_organisation_and_never_hidden_for_it():
    """Regression (property test, 2026-12-03): with every respondent at one
    site, that site's cell is the organisation's; the overlap and span rules
    hid it instead of a cell that protects someone, leaving the department
    that needed protection solvable as organisation minus the others."""
    from learn_core.analysis.privacy import Groupings, suppress_family

    site = ["Nord"] * 8
    dept = ["A", "A", "A", "B", "B", "B", "C", "C"]  # C has 2 < k = 3
    groupings = Groupings.from_columns({"Abteilung": np.array(dept, dtype=object), "Standort": np.array(site, dtype=object)})
    reasons = suppress_family(groupings, np.ones(8, dtype=bool), 3)
    assert reasons[1] == [None]  # Nord = everyone: its figure is the organisation's, shown
    assert reasons[0][2] == "min_size" and reasons[0].count(None) == 1  # C hidden, and one of A/B with it


def test_a_few_people_of_one_department_at_one_site_cannot_be_computed():
    """Regression (2026-12-03): Bauamt works at both sites, 3 of its people at
    Süd. With Süd, Jugendamt and Kämmerei reported (Süd holds those two
    departments and the 3), Süd − Jugendamt − Kämmerei gave the 3 people's
    figures. Now the site cells are hidden (Süd, and Nord = all − Süd)."""
    from tests.conftest import full_row

    rows = ([{**full_row(4), "Abteilung": "Bürgeramt", "Standort": "Nord"} for _ in range(12)]
            + [{**full_row(2), "Abteilung": "Jugendamt", "Standort": "Süd"} for _ in range(10)]
            + [{**full_row(3), "Abteilung": "Kämmerei", "Standort": "Süd"} for _ in range(6)]
            + [{**full_row(5), "Abteilung": "Bauamt", "Standort": "Nord"} for _ in range(7)]
            + [{**full_row(1), "Abteilung": "Bauamt", "Standort": "Süd"} for _ in range(3)])
    ids = [f"{p}{i}" for p in "MFKL" for i in range(1, 7)]
    frame = pd.DataFrame([{c: r.get(c) for c in ["Abteilung", "Standort", *ids]} for r in rows], dtype=object)
    by_dept = analyse(survey_from_frame(frame, group_column="Abteilung"), 5).result
    assert sorted(by_dept.groups) == ["Bauamt", "Bürgeramt", "Jugendamt", "Kämmerei"]  # each ≥ 5, none a leak
    by_site = analyse(survey_from_frame(frame, group_column="Standort"), 5).result
    assert by_site.groups == {} and {h.name for h in by_site.hidden_groups} == {"Nord", "Süd"}
