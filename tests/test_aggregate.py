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


@pytest.mark.parametrize(("change", "reason", "de", "en"), [
    (lambda d: d["organisation"].update(n=-1), "not_a_whole_number",
     "n der Organisation ist keine ganze Zahl von 0 bis 1.000.000.000 (-1)",
     "n of the organisation is not a whole number from 0 to 1,000,000,000 (-1)"),
    (lambda d: d.update(min_group_size=2), "not_a_whole_number", "min_group_size ist keine ganze Zahl von 3 bis 1.000.000 (2)",
     "min_group_size is not a whole number from 3 to 1,000,000 (2)"),
    (lambda d: d["organisation"]["dimensions"]["motivation"].update(score=101.5), "not_a_number",
     "score der Dimension motivation der Organisation ist keine Zahl von 0 bis 100 (101.5)",
     "score of the dimension motivation of the organisation is not a number from 0 to 100 (101.5)"),
    (lambda d: d["groups"][1]["dimensions"]["motivation"].update(n=4), "dimension_below_k",
     "die Dimension motivation von Gruppe 2 beruht auf weniger als 5 Antwortenden",
     "the dimension motivation of group 2 rests on fewer than 5 respondents"),
    (lambda d: d["groups"][0]["dimensions"]["motivation"].update(n=None), "hidden_dimension_figures",
     "die verborgene Dimension motivation von Gruppe 1 nennt Werte", "the hidden dimension motivation of group 1 gives figures"),
    (lambda d: d["organisation"]["dimensions"].pop("motivation"), "dimension_fields",
     "die Dimension motivation der Organisation fehlt oder hat andere Felder als n, score, favourable, level",
     "the dimension motivation of the organisation is missing or has other fields than n, score, favourable, level"),
    (lambda d: d["groups"][0].update(n=4), "unit_below_k", "Gruppe 1 hat weniger als 5 Antwortende (Mindestgruppengröße)",
     "group 1 has fewer than 5 respondents (minimum group size)"),
    (lambda d: d["groups"][0].pop("name"), "unit_without_name", "Gruppe 1 hat keinen Namen", "group 1 has no name"),
    (lambda d: d.update(organisation=[]), "unit_without_dimensions", "die Organisation fehlt oder hat keine Dimensionen",
     "the organisation is missing or has no dimensions"),
    (lambda d: d.update(format="other"), "wrong_format", "das Feld „format“ ist nicht „learn-aggregate“",
     "the field “format” is not “learn-aggregate”"),
    (lambda d: d.update(format_version="2"), "bad_version", "Version '2' wird nicht unterstützt (nur 1)",
     "version '2' is not supported (only 1)"),
    (lambda d: d.update(instrument={"id": "LEARN"}), "no_k_or_instrument",
     "Mindestgruppengröße oder Instrument (id, version) fehlt",
     "the minimum group size or the instrument (id, version) is missing"),
    (lambda d: d.update(date="3.12.2026"), "bad_date", "das Datum ist kein ISO-Datum (JJJJ-MM-TT)",
     "the date is not an ISO date (YYYY-MM-DD)"),
    (lambda d: d.update(groups={}), "groups_not_a_list", "„groups“ ist keine Liste", "“groups” is not a list"),
])  # fmt: skip
def test_each_kind_of_unusable_file_has_its_reason_in_german_and_english(change, reason, de, en):
    data = _valid()
    change(data)
    with pytest.raises(AggregateError) as info:
        read_aggregate(json.dumps(data))
    assert info.value.code == "errors.aggregate.unusable" and info.value.params["reason"].code == f"errors.aggregate.{reason}"
    assert str(info.value) == f"Die Aggregatdatei ist nicht verwendbar: {de}."
    assert info.value.message("en") == f"The aggregate file cannot be used: {en}."


@pytest.mark.parametrize(("data", "reason", "de", "en"), [
    (b" " * 2_000_001, "too_large", "größer als 2 MB", "larger than 2 MB"),
    (b"{", "not_json", "kein gültiges JSON", "not valid JSON"),
])
def test_a_file_that_is_no_aggregate_in_german_and_english(data, reason, de, en):
    with pytest.raises(AggregateError) as info:
        read_aggregate(data)
    assert info.value.params["reason"].code == f"errors.aggregate.{reason}"
    assert str(info.value) == f"Die Aggregatdatei ist nicht verwendbar: {de}."
    assert info.value.message("en") == f"The aggregate file cannot be used: {en}."


def test_no_aggregate_without_an_organisation_in_both_languages():
    result = analyse(survey_of([full_row(3, "A") for _ in range(4)], "Abteilung"), 5).result
    with pytest.raises(AggregateError) as info:
        aggregate_of(result, DATE)
    assert info.value.code == "errors.aggregate.no_organisation"
    assert str(info.value) == "Kein Aggregat: Es haben weniger als 5 Personen geantwortet (Mindestgruppengröße)."
    assert info.value.message("en") == "No aggregate: fewer than 5 people answered (minimum group size)."
