"""learn_core.display.views: the words and tables the pages and reports show.
Figures computed by hand: full_row(v) scores (v − 1) × 25 in every dimension,
and after reversal every answer of it is v (favourable: v ≥ 4)."""

from __future__ import annotations

import pandas as pd
import pytest

from learn_core.analysis import analyse
from learn_core.display import views
from learn_core.errors import PrivacyError
from learn_core.reading import survey_from_frame
from tests.conftest import ITEM_IDS, V1, full_row

NNBSP = "\u202f"


def _survey(parts: list[tuple[str, str, int, int]]):
    """(department, site, people, answer) → a survey grouped by department."""
    rows = [{**full_row(v), "Abteilung": d, "Standort": s} for d, s, n, v in parts for _ in range(n)]
    frame = pd.DataFrame([{c: r.get(c) for c in ["Abteilung", "Standort", *ITEM_IDS]} for r in rows], dtype=object)
    return survey_from_frame(frame, V1, group_column="Abteilung")


#: Amt A: 8 answering 4 (75 points), Amt B: 6 answering 2 (25 points); organisation (8·75 + 6·25)/14
TWO = [("Amt A", "Nord", 8, 4), ("Amt B", "Süd", 6, 2)]
ORG = (8 * 75 + 6 * 25) / 14


@pytest.fixture(scope="module")
def two():
    return analyse(_survey(TWO), 5)


def test_the_organisation_is_named_the_whole_administration_without_a_filter(two):
    assert views.organisation_label(two) == "Gesamte Verwaltung"
    assert views.organisation_label(two, "en") == "Whole administration"
    assert views.whole_name(two) == "Gesamtverwaltung"
    assert views.whole_name(two, "en") == "the whole administration"
    assert views.whole_name(two, whole_key="report.whole_org") == "gesamten Verwaltung"


def test_a_filtered_analysis_names_its_selection():
    parts = [("Amt A", "Nord", 8, 4), ("Amt B", "Nord", 6, 2), ("Amt B", "Süd", 9, 3)]
    north = analyse(_survey(parts), 5, within=("Standort", "Nord"))
    assert views.organisation_label(north) == "Auswahl „Standort: Nord“"
    assert views.organisation_label(north, "en") == "Selection “Standort: Nord”"
    assert views.whole_name(north, whole_key="report.whole_org") == "Auswahl „Standort: Nord“"
    assert views.whole_name(north, "en") == "the selection “Standort: Nord”"


def test_the_dimension_cards_of_a_group(two):
    cards = views.dimension_cards(two, V1, "de", group="Amt A")
    assert [c["name"] for c in cards] == ["Motivation", "Führung", "Kompetenz", "Lernerfolg"]
    first = cards[0]
    assert (first["score"], first["score_text"], first["n"]) == (75.0, "75,0", 8)
    assert first["favourable_text"] == f"100{NNBSP}%"
    assert (first["level"], first["level_name"]) == (4, "Fortgeschritten")
    assert first["hidden"] is None and first["hidden_text"] == ""
    assert first["ci_text"] == "75,0 – 75,0"  # eight equal scores: no spread
    low = views.dimension_cards(two, V1, "en", group="Amt B")[3]
    assert (low["score_text"], low["favourable_text"], low["level_name"]) == ("25.0", "0%", "First steps")


def test_the_organisation_cards_and_the_group_table(two):
    org = views.dimension_cards(two, V1)[0]
    assert org["score"] == pytest.approx(ORG) and org["score_text"] == "53,6" and org["n"] == 14
    table = views.group_table(two, V1, "de")
    assert table.to_dict("records") == [
        {"Abteilung": "Amt A", "Antworten (n)": "8", "LEARN-Index": "75,0", "Motivation": "75,0", "Führung": "75,0", "Kompetenz": "75,0",
         "Lernerfolg": "75,0"},
        {"Abteilung": "Amt B", "Antworten (n)": "6", "LEARN-Index": "25,0", "Motivation": "25,0", "Führung": "25,0", "Kompetenz": "25,0",
         "Lernerfolg": "25,0"},
    ]


def test_the_heatmap_gives_each_cell_its_difference_to_the_organisation(two):
    data = views.heatmap_data(two, V1, "de")
    assert len(data) == 8 and not data["hidden"].any()
    a = data[data["group"] == "Amt A"]["diff"]
    b = data[data["group"] == "Amt B"]["diff"]
    assert a.tolist() == pytest.approx([75 - ORG] * 4) and b.tolist() == pytest.approx([25 - ORG] * 4)


def test_the_radar_series_and_table_start_with_the_organisation(two):
    series = views.radar_series(two, ["Amt B"], "de")
    assert [name for name, _ in series] == ["Gesamte Verwaltung", "Amt B"]
    assert series[1][1] == {"motivation": 25.0, "fuehrung": 25.0, "kompetenz": 25.0, "lernerfolg": 25.0}
    table = views.radar_table(two, V1, "de", ["Amt B"])
    assert len(table) == 8 and table.iloc[0, 0] == "Gesamte Verwaltung" and table.iloc[4, 0] == "Amt B"


def test_hidden_groups_are_named_with_their_reason_and_refused():
    # Amt C (2 people) is below k = 5; its 2 people could be worked out from the
    # organisation minus the others, so the smallest reported group (a tie: first by name) goes too
    hidden = analyse(_survey([("Amt A", "Nord", 10, 4), ("Amt B", "Nord", 10, 2), ("Amt C", "Süd", 2, 3)]), 5)
    assert dict(views.hidden_groups(hidden)) == {
        "Amt C": "ausgeblendet (weniger als 5 Antworten)",
        "Amt A": "ausgeblendet (zum Schutz kleiner Gruppen, damit sie nicht aus der Differenz errechnet werden können)",
    }
    assert dict(views.hidden_groups(hidden, "en"))["Amt C"] == "hidden (fewer than 5 responses)"
    for name in ("Amt A", "Amt C"):
        with pytest.raises(PrivacyError) as caught:
            views.dimension_cards(hidden, V1, group=name)
        assert caught.value.code == "privacy.group_hidden"
        assert caught.value.message("en") == "This group is hidden (fewer than 5 responses, or to protect small groups)."
        assert "ausgeblendet (weniger als 5 Antworten" in caught.value.message("de")
    assert [name for name, _ in views.radar_series(hidden, [], "de")] == ["Gesamte Verwaltung"]


@pytest.mark.parametrize(("level", "levels", "de", "en"), [
    (None, None, "–", "–"),
    (3, (3, 3), "Stufe 3: Im Aufbau", "Level 3: Developing"),
    (3, None, "Stufe 3: Im Aufbau", "Level 3: Developing"),
    (3, (3, 4), "Stufe 3–4: zwischen Im Aufbau und Fortgeschritten", "Level 3–4: between Developing and Advanced"),
])
def test_level_texts(level, levels, de, en):
    assert views.level_text(level, levels, "de") == de
    assert views.level_text(level, levels, "en") == en


@pytest.mark.parametrize(("alpha", "n", "word"), [
    (None, None, "Zu wenige vollständige Antworten für eine Reliabilitätsangabe."),
    (0.95, 29, "noch kein Urteil: weniger als 30 vollständige Antworten"),
    (0.8951, 30, "sehr hohe Zuverlässigkeit"),  # shown as 0,90
    (0.8949, 30, "gute Zuverlässigkeit"),  # shown as 0,89
    (0.7951, None, "gute Zuverlässigkeit"),
    (0.70, 100, "akzeptable Zuverlässigkeit"),
    (0.6949, 100, "fragwürdige Zuverlässigkeit – Ergebnis vorsichtig deuten"),
    (0.5, 100, "geringe Zuverlässigkeit – die Items messen hier nicht einheitlich"),
    (0.4949, 100, "unzureichende Zuverlässigkeit – Ergebnis nicht belastbar"),
])
def test_alpha_is_judged_as_shown(alpha, n, word):
    assert views.alpha_note(alpha, "de", n) == word


def test_intervals_are_cut_to_the_scale():
    assert views.ci_text((-3.24, 104.0), "de") == "0,0 – 100,0"
    assert views.ci_text((41.26, 58.74), "en") == "41.3 – 58.7"
    assert views.ci_text(None, "de") == "–"


@pytest.mark.parametrize(("p", "de", "en"), [
    (0.0004, "p < 0,001", "p < 0.001"),
    (0.001, "p = 0,001", "p = 0.001"),
    (0.0123, "p = 0,012", "p = 0.012"),
    (0.5, "p = 0,500", "p = 0.500"),
])
def test_p_values(p, de, en):
    assert views.p_text(p, "de") == de and views.p_text(p, "en") == en


@pytest.mark.parametrize(("eps", "word"), [
    (0.0, "vernachlässigbarer Effekt"), (0.0099, "vernachlässigbarer Effekt"), (0.01, "kleiner Effekt"),
    (0.0799, "kleiner Effekt"), (0.08, "mittlerer Effekt"), (0.2599, "mittlerer Effekt"), (0.26, "großer Effekt"),
])
def test_effect_size_bands(eps, word):
    assert views.effect_size_word(eps, "de") == word


def test_reasons_in_words():
    assert views.reason_text(None, 5) == ""
    assert views.reason_text("min_size", 7, "de") == "weniger als 7 Antworten"
    assert views.reason_text("item_hidden", 5, "en") == "one of its statements is hidden here"


def test_a_chart_summary_reads_the_table_and_says_how_many_rows_follow():
    frame = pd.DataFrame({"Gruppe": [f"Amt {i}" for i in range(14)], "Index": [50.0 + i for i in range(14)],
                          "n": ["8"] * 14})
    text = views.chart_summary(frame, "de", rows=2)
    assert text == "Amt 0: Index 50,0, n 8. Amt 1: Index 51,0, n 8. und 12 weitere Zeilen; alle Werte stehen in der Tabelle daneben."
    assert views.chart_summary(frame.head(1), "en", columns=1) == "Amt 0: Index 50.0."
    assert views.chart_summary(pd.DataFrame(), "en") == "No values to show."
    assert views.chart_summary(pd.DataFrame({"Gruppe": ["A"], "Wert": [float("nan")]})) == "A."


def test_the_measures_sentence_names_the_outcome_as_the_questionnaire_does(two):
    de = views.targets_sentence(two, V1, "de")
    en = views.targets_sentence(two, V1, "en")
    assert "Die Dimension Lernerfolg ist das Ergebnis, das sie bewegen sollen" in de
    assert "The dimension Learning success is the result they should move" in en  # 1.0's English name
