"""The recommendation catalogue and its matching rule."""

from __future__ import annotations

import pytest

from learn_core.instrument import DIMENSION_KEYS
from learn_core.recommendations import (
    AREAS,
    CatalogueError,
    Recommendation,
    _parse,
    catalogue,
    match,
    weakest_dimensions,
)


def rec(rid: str, dim: str, lo: int, hi: int) -> Recommendation:
    return Recommendation(
        id=rid, dimension=dim, levels=(lo, hi), area="strategie", method_de="PDCA-Zyklus",
        method_en="PDCA cycle", effort="low", horizon="short", title_de=rid, title_en=rid,
        why_de="w", why_en="w", steps_de=("s",), steps_en=("s",),
    )


CAT = (
    rec("M-a", "motivation", 1, 2),
    rec("M-b", "motivation", 2, 3),
    rec("M-c", "motivation", 4, 5),
    rec("K-a", "kompetenz", 1, 1),
    rec("K-b", "kompetenz", 2, 4),
    rec("F-a", "fuehrung", 1, 5),
    rec("L-a", "lernerfolg", 1, 5),
)


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        # weakest: kompetenz 25 (level 2), then motivation 30 (level 2)
        ({"motivation": 30, "fuehrung": 70, "kompetenz": 25, "lernerfolg": 50}, ["K-b", "M-a", "M-b"]),
        # kompetenz 19.9 is level 1, motivation 85 level 5 but fuehrung 60 is second weakest
        ({"motivation": 85, "fuehrung": 60, "kompetenz": 19.9, "lernerfolg": 70}, ["K-a", "F-a"]),
        # tie 40/40: instrument order (motivation before kompetenz)
        ({"motivation": 40, "fuehrung": 90, "kompetenz": 40, "lernerfolg": 90}, ["M-b", "K-b"]),
        # a dimension without score is skipped
        ({"motivation": None, "fuehrung": 90, "kompetenz": 70, "lernerfolg": None}, ["K-b", "F-a"]),
        ({"motivation": None, "fuehrung": None, "kompetenz": None, "lernerfolg": None}, []),
    ],
)
def test_match(scores, expected):
    assert [r.id for r in match(scores, CAT)] == expected


def test_weakest_dimensions():
    assert weakest_dimensions({"motivation": 3, "fuehrung": 1, "kompetenz": 2, "lernerfolg": 9}) == [
        "fuehrung",
        "kompetenz",
    ]


def test_builtin_catalogue_covers_every_level_of_every_dimension():
    entries = catalogue()
    for key in DIMENSION_KEYS:
        mine = [r for r in entries if r.dimension == key]
        assert len(mine) >= 6, key
        for level in range(1, 6):
            assert any(r.fits(level) for r in mine), (key, level)
    assert {r.area for r in entries} == set(AREAS)
    assert len({r.id for r in entries}) == len(entries)
    for r in entries:
        assert r.steps_de and len(r.steps_de) == len(r.steps_en)


def test_builtin_match_for_real_scores():
    got = match({"motivation": 55.0, "fuehrung": 35.0, "kompetenz": 62.0, "lernerfolg": 41.0})
    dims = [r.dimension for r in got]
    assert dims and set(dims) == {"fuehrung", "lernerfolg"}
    assert dims == sorted(dims, key=["fuehrung", "lernerfolg"].index)
    assert all(r.fits(2) for r in got if r.dimension == "fuehrung")
    assert all(r.fits(3) for r in got if r.dimension == "lernerfolg")


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda r: r.pop("title_de"), "title_de"),
        (lambda r: r.update(levels=[3, 2]), "levels"),
        (lambda r: r.update(levels=[0, 2]), "levels"),
        (lambda r: r.update(area="sonstiges"), "area"),
        (lambda r: r.update(effort="tiny"), "effort"),
        (lambda r: r.update(dimension="spass"), "dimension"),
        (lambda r: r.update(extra="x"), "extra"),
        (lambda r: r.update(steps_de=[]), "steps_de"),
    ],
)
def test_broken_catalogue_names_the_field(mutate, field):
    import tomllib

    from learn_core.recommendations import DATA_DIR

    raw = tomllib.loads((DATA_DIR / "recommendations.toml").read_text("utf-8"))
    mutate(raw["recommendations"][0])
    with pytest.raises(CatalogueError, match=field):
        _parse(raw)
