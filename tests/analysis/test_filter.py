"""A filtered analysis (analyse(..., within=(column, value))): the
respondents of one value of a further attribute column, broken down by the
group column, under the privacy rules over every grouping and their
crossing. Figures computed by hand (full_row(v) scores (v − 1) × 25 in every
dimension)."""

from __future__ import annotations

import pandas as pd
import pytest

from learn_core.analysis import analyse
from learn_core.errors import PrivacyError
from learn_core.instrument import DIMENSION_KEYS
from learn_core.reading import survey_from_frame
from tests.conftest import ITEM_IDS, full_row


def _frame(parts: list[tuple[str, str, int, int]]) -> pd.DataFrame:
    """(department, site, people, answer) → a raw table."""
    rows = [{**full_row(v), "Abteilung": d, "Standort": s} for d, s, n, v in parts for _ in range(n)]
    return pd.DataFrame([{c: r.get(c) for c in ["Abteilung", "Standort", *ITEM_IDS]} for r in rows], dtype=object)


#: Bürgeramt 12 and Kämmerei 8 at Nord, Jugendamt 10 at Süd, Bauamt 6 + 6 at both
PARTS = [("Bürgeramt", "Nord", 12, 4), ("Kämmerei", "Nord", 8, 2), ("Bauamt", "Nord", 6, 5),
         ("Bauamt", "Süd", 6, 1), ("Jugendamt", "Süd", 10, 3)]


def test_the_filtered_organisation_and_groups_by_hand():
    result = analyse(survey_from_frame(_frame(PARTS), group_column="Abteilung"), 5,
                     within=("Standort", "Nord")).result
    assert result.respondents == 26 and result.organisation.n == 26
    for key in DIMENSION_KEYS:  # (12 × 75 + 8 × 25 + 6 × 100) / 26
        assert result.organisation.dimensions[key].score == pytest.approx(1700 / 26)
    assert {name: (g.n, g.dimensions["fuehrung"].score) for name, g in result.groups.items()} == {
        "Bauamt": (6, 100.0), "Bürgeramt": (12, 75.0), "Kämmerei": (8, 25.0)}
    assert result.hidden_groups == ()  # Jugendamt has no one at Nord: not listed at all
    data = result.to_json()
    assert data["filter"] == {"column": "Standort", "value": "Nord"}
    assert data["leader_gap"] is None and data["comments"]["reason"] == "filtered"
    assert "Abteilung × Standort" in data["privacy"]["groupings"]


def test_the_other_value_and_no_filter():
    survey = survey_from_frame(_frame(PARTS), group_column="Abteilung")
    south = analyse(survey, 5, within=("Standort", "Süd")).result
    assert south.organisation.n == 16 and south.organisation.index == pytest.approx((6 * 0 + 10 * 50) / 16)
    assert {name: g.n for name, g in south.groups.items()} == {"Bauamt": 6, "Jugendamt": 10}
    whole = analyse(survey_from_frame(_frame(PARTS), group_column="Abteilung"), 5).result
    assert whole.subset is None and whole.organisation.n == 42
    assert whole.groups["Bauamt"].n == 12 and whole.groups["Bauamt"].index == pytest.approx(50.0)


def test_a_part_that_would_give_away_the_rest_of_its_department_is_hidden():
    # Bauamt: 7 at Nord, 3 at Süd – Bauamt's 7 at Nord next to all 10 of Bauamt would give the 3
    parts = [("Bürgeramt", "Nord", 12, 4), ("Bauamt", "Nord", 7, 5), ("Bauamt", "Süd", 3, 1),
             ("Jugendamt", "Süd", 10, 3), ("Kämmerei", "Süd", 9, 2)]
    survey = survey_from_frame(_frame(parts), group_column="Standort")
    with pytest.raises(PrivacyError):  # the sites themselves may not be shown (the 3 are Süd − the others)
        analyse(survey, 5, within=("Abteilung", "Bauamt"))


def test_a_filter_below_k_is_refused_with_a_sentence():
    parts = [*PARTS, ("Jugendamt", "West", 3, 3)]
    with pytest.raises(PrivacyError, match="weniger als 5 Antworten"):
        analyse(survey_from_frame(_frame(parts), group_column="Abteilung"), 5, within=("Standort", "West"))


def test_the_refusals_have_codes_and_english_sentences():
    parts = [*PARTS, ("Jugendamt", "West", 3, 3)]
    survey = survey_from_frame(_frame(parts), group_column="Abteilung")
    cases = [
        (("Standort", "West"), "errors.analysis.view_small",
         "Die Auswahl „Standort: West“ kann nicht gezeigt werden: sie umfasst weniger als 5 Antworten",
         "The selection “Standort: West” cannot be shown: it covers fewer than 5 responses"),
        (("Standort", "Ost"), "errors.analysis.filter_value",
         "Den Wert „Ost“ gibt es in der Spalte „Standort“ nicht.", "The column “Standort” has no value “Ost”."),
        (("Abteilung", "Bauamt"), "errors.analysis.filter_column",
         "Nach der Spalte „Abteilung“ kann nicht gefiltert werden",
         "The data cannot be filtered by the column “Abteilung”: it is not a further attribute column"),
    ]
    for within, code, de, en in cases:
        with pytest.raises(PrivacyError) as caught:
            analyse(survey, 5, within=within)
        assert caught.value.code == code
        assert caught.value.message("de").startswith(de) and str(caught.value) == caught.value.message("de")
        assert caught.value.message("en").startswith(en)


def test_a_filter_without_a_group_column_is_refused_in_both_languages():
    survey = survey_from_frame(_frame(PARTS).drop(columns="Abteilung").rename(columns={"Standort": "Ort"}))
    assert survey.groups is None  # "Ort" is no usual name of a group column
    with pytest.raises(PrivacyError) as caught:
        analyse(survey, 5, within=("Ort", "Nord"))
    assert caught.value.code == "errors.analysis.filter_needs_groups"
    assert caught.value.message("en") == "A selection by a further column is only possible with a group column."


def test_the_refusal_of_a_part_that_gives_away_the_rest_names_it():
    parts = [("Bürgeramt", "Nord", 12, 4), ("Bauamt", "Nord", 7, 5), ("Bauamt", "Süd", 3, 1),
             ("Jugendamt", "Süd", 10, 3), ("Kämmerei", "Süd", 9, 2)]
    survey = survey_from_frame(_frame(parts), group_column="Abteilung")
    with pytest.raises(PrivacyError) as caught:  # 7 at Nord of Bauamt's 10, beside the whole: the 3 at Süd
        analyse(survey, 5, within=("Standort", "Nord"))
    assert caught.value.code in ("errors.analysis.view_small", "errors.analysis.view_reveals")
    assert "“Standort: Nord”" in caught.value.message("en") and "„Standort: Nord“" in caught.value.message("de")


@pytest.mark.parametrize(("within", "says"), [(("Standort", "Ost"), "Den Wert „Ost“ gibt es"),
                                               (("Abteilung", "Bauamt"), "keine weitere Merkmalsspalte"),
                                               (("Geburtsort", "Nord"), "keine weitere Merkmalsspalte")])
def test_unknown_filters_are_refused(within, says):
    with pytest.raises(PrivacyError, match=says):
        analyse(survey_from_frame(_frame(PARTS), group_column="Abteilung"), 5, within=within)


def test_the_filter_on_the_sample_shows_the_departments_of_one_site():
    from pathlib import Path

    from learn_core.reading import read_survey

    path = Path(__file__).resolve().parents[2] / "sample_data" / "beispielstadt.csv"
    frame = pd.read_csv(path, sep=";", encoding="utf-8-sig")
    rathaus = frame[frame["Standort"] == "Rathaus"]
    result = analyse(read_survey(path.read_bytes(), file_name=path.name), 5, within=("Standort", "Rathaus")).result
    assert result.organisation.n == len(rathaus)
    counts = rathaus["Abteilung"].value_counts()
    assert {name: g.n for name, g in result.groups.items()} == {d: int(counts[d]) for d in result.groups}
    # Stabsstelle (3) is hidden, so is the smallest other department of the site (complementary)
    assert {h.name for h in result.hidden_groups} == {"Stabsstelle Gleichstellung", "Kultur und Bildung"}


@pytest.mark.parametrize(("lang", "row", "inside"), [
    ("de", "Auswahl „Standort: Nord“", "Auswahl „Standort: Nord“"),
    ("en", "Selection “Standort: Nord”", "the selection “Standort: Nord”")])
def test_the_organisation_row_and_sentences_name_the_selection(lang, row, inside):
    from learn_core.display.views import organisation_label, radar_series, whole_name

    survey = survey_from_frame(_frame(PARTS), group_column="Abteilung")
    north = analyse(survey, 5, within=("Standort", "Nord"))
    assert organisation_label(north, lang) == row and whole_name(north, lang) == inside
    assert radar_series(north, ["Bauamt"], lang)[0][0] == row  # the radar's black line
    whole = analyse(survey, 5)
    assert organisation_label(whole, lang) == ("Gesamte Verwaltung" if lang == "de" else "Whole administration")
    assert whole_name(whole, lang) == ("Gesamtverwaltung" if lang == "de" else "the whole administration")
