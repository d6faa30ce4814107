"""What may leave the workshop store (learn_core/workshop/disclosure.py): the
reveal rule and the export's departments, by hand-computed tables."""

from __future__ import annotations

import pytest

from learn_core.instrument import instrument_version
from learn_core.workshop.disclosure import blank_groups, count_changes, decide_reveal, shuffled

INST = instrument_version("1.0")  # the tables below name version 1.0's items
FULL = {i: 3 for i in INST.item_ids}


def _with(**changes: int) -> dict:
    return {**FULL, **changes}


@pytest.mark.parametrize(
    ("rows", "changed", "per_dimension"),
    [
        ([], 0, {"motivation": 0, "fuehrung": 0, "kompetenz": 0, "lernerfolg": 0}),
        ([("A", FULL, "A", FULL)], 0, {"motivation": 0, "fuehrung": 0, "kompetenz": 0, "lernerfolg": 0}),
        # a new participant changes every dimension they answered
        ([("A", {"M1": 4, "F2": 2}, None, None)], 1, {"motivation": 1, "fuehrung": 1, "kompetenz": 0, "lernerfolg": 0}),
        # one answer changed: that dimension only
        ([("A", _with(K3=5), "A", FULL)], 1, {"motivation": 0, "fuehrung": 0, "kompetenz": 1, "lernerfolg": 0}),
        # an answer taken back ("keine Angabe") is a change too
        ([("A", {k: v for k, v in FULL.items() if k != "L6"}, "A", FULL)], 1,
         {"motivation": 0, "fuehrung": 0, "kompetenz": 0, "lernerfolg": 1}),
        # another department only: a change of the row, of no dimension
        ([("B", FULL, "A", FULL)], 1, {"motivation": 0, "fuehrung": 0, "kompetenz": 0, "lernerfolg": 0}),
        ([("A", FULL, "A", FULL), ("A", _with(M1=1), "A", FULL), (None, FULL, None, None)], 2,
         {"motivation": 2, "fuehrung": 1, "kompetenz": 1, "lernerfolg": 1}),
    ],
)  # fmt: skip
def test_count_changes(rows, changed, per_dimension):
    assert count_changes(rows, INST) == (changed, per_dimension)


NONE = {"motivation": 0, "fuehrung": 0, "kompetenz": 0, "lernerfolg": 0}


@pytest.mark.parametrize(
    ("changed", "per_dim", "baseline", "status", "n", "dimension"),
    [
        (3, {**NONE, "motivation": 3}, False, "first", 8, None),  # nothing shown yet: always a snapshot
        (0, NONE, True, "unchanged", 5, None),
        (4, {key: 4 for key in NONE}, True, "too_few_new", 5, None),  # k − 1 new
        (5, {key: 5 for key in NONE}, True, "new", 8, None),  # k new
        (5, {**{key: 5 for key in NONE}, "fuehrung": 4}, True, "too_few_in_dimension", 5, "fuehrung"),
        (5, {**{key: 5 for key in NONE}, "fuehrung": 0}, True, "new", 8, None),  # Führung untouched
        (6, {**{key: 6 for key in NONE}, "lernerfolg": 1}, True, "too_few_in_dimension", 5, "lernerfolg"),
    ],
)  # fmt: skip
def test_decide_reveal(changed, per_dim, baseline, status, n, dimension):
    outcome = decide_reveal(changed, per_dim, 5, n_now=8, n_shown=5, baseline=baseline)
    assert (outcome.status, outcome.n, outcome.dimension, outcome.k) == (status, n, dimension, 5)
    assert outcome.released is (status in ("first", "new"))
    if status == "too_few_in_dimension":
        assert outcome.changed == per_dim[dimension]


def test_decide_reveal_checks_k():
    with pytest.raises(ValueError, match="mindestens 3"):
        decide_reveal(5, NONE, 2, n_now=5, n_shown=0, baseline=False)


@pytest.mark.parametrize(
    ("counts", "no_group", "k", "blank"),
    [
        ({"Bauamt": 5, "Kämmerei": 6}, 0, 5, set()),
        ({"Bauamt": 4, "Kämmerei": 6}, 0, 5, {"Bauamt", "Kämmerei"}),  # 4 blank rows would be the Bauamt's
        ({"Bauamt": 4, "Kämmerei": 6}, 1, 5, {"Bauamt"}),  # 4 + 1 = k blank rows: a mix
        ({"Bauamt": 5, "Kämmerei": 6}, 2, 5, {"Bauamt"}),  # 2 without a department: the smallest joins them
        ({"Bauamt": 5, "Kämmerei": 5}, 1, 5, {"Bauamt"}),  # ties: first by name
        ({"Bauamt": 1, "Kämmerei": 1}, 0, 5, {"Bauamt", "Kämmerei"}),
        ({"Bauamt": 3, "Kämmerei": 3}, 0, 3, set()),
        ({"Bauamt": 2}, 0, 3, {"Bauamt"}),  # nothing left to add: every row blank
        ({}, 7, 5, set()),
    ],
)  # fmt: skip
def test_blank_groups(counts, no_group, k, blank):
    assert blank_groups(counts, no_group, k) == blank
    pool = no_group + sum(n for name, n in counts.items() if name in blank)
    assert pool == 0 or pool >= k or len(blank) == len(counts)


def test_shuffled_keeps_the_rows():
    rows = list(range(50))
    orders = {tuple(shuffled(rows)) for _ in range(5)}
    assert all(sorted(o) == rows for o in orders) and len(orders) > 1 and rows == list(range(50))
