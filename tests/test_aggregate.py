"""The aggregate file (learn_core.aggregate): round trip, nothing below k,
groups only when asked for, a reader that refuses what it does not know."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from learn_core.aggregate import (
    FORMAT_VERSION,
    AggregateError,
    aggregate_bytes,
    aggregate_of,
    read_aggregate,
)
from learn_core.analysis import analyse
from learn_core.instrument import DIMENSION_KEYS
from tests.conftest import full_row, survey_of

DATE = dt.date(2026, 12, 3)


def _result(k: int = 5):
    rows = [full_row(v, g) for g, n, v in (("A", 8, 5), ("B", 9, 4), ("C", 6, 3), ("D", 7, 2), ("E", 4, 1))
            for _ in range(n)]
    for i in range(8, 13):  # B (rows 8–16): Kompetenz answered by 4 < k people only
        rows[i] = {key: v for key, v in rows[i].items() if not key.startswith("K")}
    return analyse(survey_of(rows, "Abteilung"), k).result


def test_round_trip_with_and_without_groups():
    result = _result()
    for with_groups in (False, True):
        agg = aggregate_of(result, DATE, with_groups=with_groups)
        back = read_aggregate(aggregate_bytes(result, DATE, with_groups=with_groups))
        assert back == agg
        assert back.date == DATE and back.min_group_size == 5 and back.instrument_version == result.instrument_version
    assert aggregate_of(result, DATE).groups == ()


def test_hand_checked_organisation_and_rounding():
    result = _result()
    data = json.loads(aggregate_bytes(result, DATE))
    assert (data["format"], data["format_version"], data["date"]) == ("learn-aggregate", FORMAT_VERSION, "2026-12-03")
    org = result.organisation
    assert data["organisation"]["n"] == org.n == 34
    assert data["organisation"]["index"] == round(org.index, 1)
    assert data["organisation"]["dimensions"]["motivation"] == {
        "n": 34, "score": round(org.dimensions["motivation"].score, 1),
        "favourable": round(org.dimensions["motivation"].favourable, 1), "level": org.dimensions["motivation"].level}
    assert "groups" not in data and "name" not in data["organisation"]


def test_nothing_below_k_and_no_hidden_group_even_with_groups():
    result = _result()
    hidden = set(result.suppressed_groups)
    assert "E" in hidden  # 4 < k people
    text = aggregate_bytes(result, DATE, with_groups=True).decode("utf-8")
    data = json.loads(text)
    names = [g["name"] for g in data["groups"]]
    assert names == list(result.groups) and not hidden & set(names)
    for unit in [data["organisation"], *data["groups"]]:
        assert unit["n"] >= 5
        for d in unit["dimensions"].values():
            assert d["n"] is None or d["n"] >= 5
            if d["n"] is None:
                assert (d["score"], d["favourable"], d["level"]) == (None, None, None)
    b = next(g for g in data["groups"] if g["name"] == "B")
    assert b["dimensions"]["kompetenz"] == {"n": None, "score": None, "favourable": None, "level": None}
    # the whole file: these fields and no others (no file name, no free text, no statements)
    assert set(data) == {"format", "format_version", "date", "instrument", "scale", "min_group_size", "organisation",
                         "groups"}
    assert all(set(g) == {"name", "n", "index", "level", "dimensions"} for g in data["groups"])
    for key in DIMENSION_KEYS:
        assert set(data["organisation"]["dimensions"][key]) == {"n", "score", "favourable", "level"}


def _valid() -> dict:
    return json.loads(aggregate_bytes(_result(), DATE, with_groups=True))


@pytest.mark.parametrize(("change", "fragment"), [
    (lambda d: d.update(format="other"), "format"),
    (lambda d: d.update(format_version=2), "Version 2"),
    (lambda d: d.update(min_group_size=2), "min_group_size"),
    (lambda d: d["organisation"].update(n=4), "weniger als 5"),
    (lambda d: d["groups"][0].update(n=4), "weniger als 5"),
    (lambda d: d["groups"][0]["dimensions"]["motivation"].update(n=4), "weniger als 5"),
    (lambda d: d["groups"][0]["dimensions"]["motivation"].update(n=None), "verborgene"),
    (lambda d: d["organisation"]["dimensions"]["motivation"].update(score=101), "score"),
    (lambda d: d["groups"][0].pop("name"), "Namen"),
    (lambda d: d.update(date="3.12.2026"), "ISO"),
])
def test_reader_refuses_other_formats_and_figures_below_k(change, fragment):
    data = _valid()
    change(data)
    with pytest.raises(AggregateError, match=fragment):
        read_aggregate(json.dumps(data))


def test_no_aggregate_without_an_organisation():
    result = analyse(survey_of([full_row(3, "A") for _ in range(4)], "Abteilung"), 5).result
    with pytest.raises(AggregateError, match="weniger als 5"):
        aggregate_of(result, DATE)
