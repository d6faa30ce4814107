"""Minimum group size and complementary suppression."""

from __future__ import annotations

import json

import pytest

from learn_core.analysis import analyse
from learn_core.analysis.privacy import check_min_group_size, suppress
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


def _rows(sizes: dict[str, int]) -> list[dict]:
    rows = []
    for i, (name, n) in enumerate(sizes.items()):
        rows += [full_row(2 + i % 4, group=name)] * n
    return rows


def test_hidden_group_figures_appear_nowhere():
    # Kämmerei has k − 1 = 4 respondents: hidden; Bauamt (6) is the smallest
    # reported group and is hidden too, so Kämmerei cannot be recovered from the total
    sizes = {"Bürgeramt": 12, "Bauamt": 6, "Kämmerei": 4, "Jugendamt": 9}
    result = analyse(survey_of(_rows(sizes), "Abteilung"), 5).result
    assert sorted(result["groups"]) == ["Bürgeramt", "Jugendamt"]
    assert result["suppressed_groups"] == ["Bauamt", "Kämmerei"]
    assert result["organisation"]["n"] == 31
    text = json.dumps(result["groups"]) + json.dumps(result["comparison"])
    assert "Kämmerei" not in text and "Bauamt" not in text
    problems = " ".join(p["message"] for p in result["problems"])
    assert "Kämmerei" in problems  # named, without figures


def test_group_at_k_is_reported():
    sizes = {"A": 5, "B": 5}
    result = analyse(survey_of(_rows(sizes), "Abteilung"), 5).result
    assert sorted(result["groups"]) == ["A", "B"]
    assert result["groups"]["A"]["n"] == 5
    assert result["suppressed_groups"] == []


def test_organisation_below_k_is_not_reported():
    result = analyse(survey_of(_rows({"A": 2, "B": 2}), "Abteilung"), 5).result
    assert result["organisation"] is None
    assert result["groups"] == {}
    assert result["suppressed_groups"] == ["A", "B"]
    assert result["recommendations"] == []
    assert any(p["severity"] == "error" and "mindestens 5" in p["message"] for p in result["problems"])


def test_organisation_at_k_is_reported():
    result = analyse(survey_of([full_row(4)] * 5), 5).result
    assert result["organisation"]["n"] == 5
    assert result["organisation"]["index"] == pytest.approx(75.0)
