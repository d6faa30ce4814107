"""Participation per department (learn_core.analysis.participation), hand-computed."""

from __future__ import annotations

import pytest

from learn_core.analysis import analyse
from learn_core.analysis.participation import (
    HeadcountError,
    headcounts_from_rows,
    participation,
    with_participation,
)
from tests.conftest import full_row, survey_of


def _analysis():
    # Bauamt 6, Kämmerei 5, Stabsstelle 2 (hidden: min_size; 2 < k, so Kämmerei, the
    # smallest reported, is hidden as well: complementary), k = 5
    rows = [full_row(3, "Bauamt")] * 6 + [full_row(4, "Kämmerei")] * 5 + [full_row(2, "Stabsstelle")] * 2 \
        + [full_row(4, "Jugendamt")] * 7
    return analyse(survey_of(rows, "Abteilung"), 5)


def test_rates_of_reported_groups_and_overall():
    a = _analysis()
    assert sorted(a.groups) == ["Bauamt", "Jugendamt"]
    p = participation(a.result, {"Bauamt": 12, "Jugendamt": 7, "Kämmerei": 20, "Stabsstelle": 3})
    rows = {r.name: r for r in p.groups}
    assert rows["Bauamt"].rate == pytest.approx(50.0) and rows["Bauamt"].respondents == 6 and not rows["Bauamt"].low
    assert rows["Jugendamt"].rate == pytest.approx(100.0)
    # hidden groups: no rate, no respondents; a headcount only from k on
    assert rows["Kämmerei"].rate is None and rows["Kämmerei"].respondents is None
    assert rows["Kämmerei"].headcount == 20 and rows["Kämmerei"].hidden == "complementary"
    assert rows["Stabsstelle"].headcount is None and rows["Stabsstelle"].hidden == "min_size"
    # 20 respondents of 12 + 7 + 20 + 3 = 42 → 47.6 %, below 50 %
    assert p.headcount == 42 and p.rate == pytest.approx(2000 / 42) and p.low


def test_low_rate_is_flagged_below_the_threshold():
    a = _analysis()
    p = participation(a.result, {"Bauamt": 13, "Jugendamt": 14, "Kämmerei": 5, "Stabsstelle": 2})
    rows = {r.name: r for r in p.groups}
    assert rows["Bauamt"].rate == pytest.approx(600 / 13) and rows["Bauamt"].low
    assert rows["Jugendamt"].rate == pytest.approx(50.0) and not rows["Jugendamt"].low


def test_overall_needs_every_group_or_a_total_row():
    a = _analysis()
    p = participation(a.result, {"Bauamt": 12, "Jugendamt": 7})
    assert p.rate is None and p.reason == "incomplete"
    p = participation(a.result, {"Bauamt": 12, "Gesamt": 80})
    assert p.rate == pytest.approx(25.0) and p.headcount == 80 and p.low
    assert "Gesamt" not in {r.name for r in p.groups}
    assert {r.name: r.hidden for r in p.groups}["Jugendamt"] == "no_headcount"


def test_a_department_without_respondents_shows_no_zero():
    p = participation(_analysis().result, {"Bauamt": 12, "Jugendamt": 7, "Kämmerei": 5, "Stabsstelle": 2,
                                           "Bauhof": 9})
    row = {r.name: r for r in p.groups}["Bauhof"]
    assert row.rate is None and row.respondents is None and row.hidden == "no_respondents" and row.headcount == 9


def test_more_respondents_than_headcount_gives_no_rate():
    p = participation(_analysis().result, {"Bauamt": 4, "Jugendamt": 7, "Kämmerei": 5, "Stabsstelle": 2})
    row = {r.name: r for r in p.groups}["Bauamt"]
    assert row.rate is None and row.hidden == "exceeds_headcount"
    assert p.rate is None and p.reason == "exceeds_headcount"  # 20 > 4 + 7 + 5 + 2 = 18


def test_no_hidden_figure_in_the_json():
    a = with_participation(_analysis(), {"Bauamt": 12, "Jugendamt": 7, "Kämmerei": 20, "Stabsstelle": 3})
    out = a.result.to_json()["participation"]
    hidden = [g for g in out["groups"] if g["name"] in ("Kämmerei", "Stabsstelle")]
    assert all(g["respondents"] is None and g["rate"] is None for g in hidden)
    assert with_participation(_analysis(), {}).result.to_json()["participation"] is None


@pytest.mark.parametrize(("rows", "expected"), [
    ([["Abteilung", "Kopfzahl"], ["Bauamt", 12], ["Kämmerei", "1.200"]], {"Bauamt": 12, "Kämmerei": 1200}),
    ([["Bauamt", 12.0], [None, None], ["  Jugend   amt ", "7"]], {"Bauamt": 12, "Jugend amt": 7}),
    ([["Bauamt", None]], {}),
])
def test_headcount_rows(rows, expected):
    assert headcounts_from_rows(rows) == expected


@pytest.mark.parametrize("rows", [
    [["Bauamt", 12], ["bauamt", 3]],
    [["Bauamt", 0]],
    [["Bauamt", 2.5]],
    [["Kämmerei", 3], ["Bauamt", "zwölf"]],  # the first row would be a header
    [[None, 4]],
    [["Bauamt", True]],
])
def test_bad_headcount_rows_raise_one_sentence(rows):
    with pytest.raises(HeadcountError):
        headcounts_from_rows(rows)


@pytest.mark.parametrize(("rows", "code", "de", "en"), [
    ([["Bauamt", 2.5]], "not_whole", "Die Kopfzahl von „Bauamt“ ist keine ganze Zahl.",
     "The headcount of “Bauamt” is not a whole number."),
    ([["Kämmerei", 3], ["Bauamt", "zwölf"]], "not_whole_read",
     "Die Kopfzahl von „Bauamt“ ist keine ganze Zahl (gelesen: „zwölf“).",
     "The headcount of “Bauamt” is not a whole number (read: “zwölf”)."),
    ([["Bauamt", "1.000.001"]], "out_of_range", "Die Kopfzahl von „Bauamt“ muss zwischen 1 und 1.000.000 liegen.",
     "The headcount of “Bauamt” must lie between 1 and 1,000,000."),
    ([["Bauamt", 3], [None, 4]], "no_name", "In Zeile 2 der Kopfzahlen fehlt der Name der Abteilung.",
     "Row 2 of the headcounts lacks the name of the department."),
    ([["Bauamt", 12], ["bauamt", 3]], "twice", "Die Abteilung „bauamt“ steht zweimal in den Kopfzahlen.",
     "The department “bauamt” is listed twice in the headcounts."),
    ([[f"Amt {i}", 1] for i in range(1001)], "too_many", "Die Kopfzahlen nennen mehr als 500 Abteilungen.",
     "The headcounts list more than 500 departments."),
])  # fmt: skip
def test_each_kind_of_bad_headcount_has_its_code_in_german_and_english(rows, code, de, en):
    with pytest.raises(HeadcountError) as info:
        headcounts_from_rows(rows)
    assert info.value.code == f"errors.headcounts.{code}"
    assert (str(info.value), info.value.message("en")) == (de, en)
