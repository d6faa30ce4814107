"""Rank bands among the reported departments (learn_core.analysis.benchmark):
band edges, ties, the minimum number of groups, hidden groups never ranked."""

from __future__ import annotations

import pytest

from learn_core.analysis import analyse
from learn_core.analysis.benchmark import MIN_BENCHMARK_GROUPS, rank_bands
from tests.conftest import full_row, survey_of


def _bands(values: list[float | None]) -> list[str | None]:
    names = [f"G{i}" for i in range(len(values))]
    bench = rank_bands({n: {"x": v} for n, v in zip(names, values, strict=True)})
    return [bench.band(n, "x") for n in names]


@pytest.mark.parametrize(("values", "expected"), [
    # m = 3 < 4: no band (a third would be the rank)
    ([70, 60, 50], [None, None, None]),
    # m = 4: q = (r − ½)/4 = .125 .375 .625 .875
    ([70, 60, 50, 40], ["top", "middle", "middle", "bottom"]),
    # m = 5: q = .1 .3 .5 .7 .9
    ([50, 40, 30, 20, 10], ["top", "top", "middle", "bottom", "bottom"]),
    # m = 6 with a tie of ranks 2 and 3: mid-rank 2.5, q = 2/6 = 1/3 exactly on the edge → middle
    ([90, 80, 80, 70, 60, 50], ["top", "middle", "middle", "middle", "bottom", "bottom"]),
    # m = 6 with a tie of ranks 4 and 5: mid-rank 4.5, q = 4/6 = 2/3 exactly on the edge → middle
    ([90, 80, 70, 60, 60, 50], ["top", "top", "middle", "middle", "middle", "bottom"]),
    # the order of the input does not matter, only the scores
    ([40, 70, 50, 60], ["bottom", "top", "middle", "middle"]),
    # all equal: everyone mid-rank (m + 1)/2, q = ½ → middle
    ([50, 50, 50, 50], ["middle"] * 4),
    # a hidden score is neither ranked nor counted: 4 of 5 remain
    ([70, None, 60, 50, 40], ["top", None, "middle", "middle", "bottom"]),
    # 3 of 4 remain: below the minimum
    ([70, None, 60, 50], [None] * 4),
])
def test_band_edges_ties_and_the_minimum(values, expected):
    assert _bands(values) == expected


def test_ranked_counts_and_json():
    bench = rank_bands({"A": {"index": 60.0, "motivation": 50.0}, "B": {"index": 55.0, "motivation": None},
                        "C": {"index": 50.0, "motivation": 40.0}, "D": {"index": 45.0, "motivation": 30.0}})
    assert bench.ranked == {"index": 4, "motivation": 0}
    out = bench.to_json()
    assert out["min_groups"] == MIN_BENCHMARK_GROUPS == 4
    assert out["groups"]["A"] == {"index": "top", "motivation": None}


@pytest.mark.parametrize("minimum", [1, 0, True, 2.5])
def test_bad_minimum_is_refused(minimum):
    with pytest.raises(ValueError, match="minimum"):
        rank_bands({}, minimum)


def _rows(sizes: dict[str, tuple[int, int]]) -> list[dict]:
    return [full_row(value, group) for group, (n, value) in sizes.items() for _ in range(n)]


def test_analysis_ranks_reported_groups_only():
    # E has 4 < k people: hidden (and C hidden too, as the complementary cell: the smallest)
    sizes = {"A": (8, 5), "B": (9, 4), "C": (6, 3), "D": (7, 2), "E": (4, 1), "F": (10, 2)}
    result = analyse(survey_of(_rows(sizes), "Abteilung"), 5).result
    assert set(result.groups) == {"A", "B", "D", "F"} and set(result.suppressed_groups) == {"C", "E"}
    bench = result.benchmark
    assert bench.ranked["index"] == 4
    # A 100, B 75, D 25, F 25: D and F tie on mid-rank 3.5, q = 3/4 → bottom
    assert {g: bench.band(g, "index") for g in result.groups} == {"A": "top", "B": "middle", "D": "bottom",
                                                                  "F": "bottom"}
    assert set(result.to_json()["benchmark"]["groups"]) == {"A", "B", "D", "F"}


def test_three_reported_groups_give_no_band():
    result = analyse(survey_of(_rows({"A": (6, 5), "B": (6, 4), "C": (6, 3)}), "Abteilung"), 5).result
    assert set(result.benchmark.ranked.values()) == {0}
    assert all(b is None for bands in result.benchmark.bands.values() for b in bands.values())
