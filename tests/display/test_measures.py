"""A measure's facts for acting on it, in words and in both languages, and
the measures under the study's four action areas."""

from __future__ import annotations

import pytest

from learn_core.display.measures import (
    by_area,
    check_sentences,
    checks_text,
    measure_facts,
    measure_markdown,
)
from learn_core.recommendations import catalogue

BY_ID = {r.id: r for r in catalogue()}
PERSONALRAT = "Personalrat beteiligen: Die Maßnahme berührt die Mitbestimmung; beziehen Sie den Personalrat ein, bevor Sie beginnen."
DATENSCHUTZ = ("Datenschutz prüfen: Es werden personenbezogene Daten verarbeitet; stimmen Sie das Vorgehen vorher mit der "
               "oder dem Datenschutzbeauftragten ab.")
STAFF_COUNCIL = "Involve the staff council: the measure touches co-determination; involve the staff council before you begin."


@pytest.mark.parametrize(
    ("rec_id", "lang", "expected"),
    [
        ("MOT-01", "de", []),  # neither flag
        ("FUE-04", "de", [PERSONALRAT]),  # codetermination only
        ("KOM-10", "de", [DATENSCHUTZ]),  # data protection only
        ("FUE-07", "de", [PERSONALRAT, DATENSCHUTZ]),  # both, Personalrat first
        ("FUE-04", "en", [STAFF_COUNCIL]),
    ],
)
def test_check_sentences_follow_the_two_flags(rec_id, lang, expected):
    rec = BY_ID[rec_id]
    assert (rec.codetermination, rec.data_protection) == (PERSONALRAT in expected or STAFF_COUNCIL in expected,
                                                          DATENSCHUTZ in expected)
    assert check_sentences(rec, lang) == expected


def test_a_measure_without_checks_says_so_in_words():
    assert checks_text(BY_ID["MOT-01"]) == ("Nach dem Katalog sind weder eine Beteiligung des Personalrats noch eine "
                                            "Datenschutzprüfung nötig.")
    assert checks_text(BY_ID["MOT-01"], "en").startswith("According to the catalogue, neither")


@pytest.mark.parametrize(
    ("lang", "labels", "values"),
    [
        ("de", ["Verantwortlich", "Kosten", "Erstes Ergebnis", "Erfolgsindikator", "Vor dem Start"],
         ["Personalentwicklung", "mittel, im Fortbildungs- oder Sachbudget einplanen", "nach etwa einem halben Jahr"]),
        ("en", ["Owner", "Costs", "First result", "Success indicator", "Before you start"],
         ["Staff development", "medium, to be planned in the training or operating budget", "after about six months"]),
    ],
)
def test_measure_facts_in_both_languages(lang, labels, values):
    rec = BY_ID["FUE-07"]
    facts = measure_facts(rec, lang)
    assert [label for label, _ in facts] == labels
    assert [text for _, text in facts][:3] == values
    indicator = facts[3][1]
    assert indicator.startswith(rec.indicator(lang)) and ", ".join(rec.indicator_items) in indicator
    assert facts[4][1] == " ".join(check_sentences(rec, lang))


def test_the_card_holds_every_fact():
    text = measure_markdown(BY_ID["FUE-04"], "Führung")
    assert text.startswith(f"**{BY_ID['FUE-04'].title_de}**")
    assert "**Verantwortlich:** Führungskraft des Teams" in text
    assert f"**Vor dem Start:** {PERSONALRAT}" in text


@pytest.mark.parametrize(("lang", "names"), [
    ("de", ["Strategie", "Qualifizierung", "Führung & Change", "Dialog mit Bürger:innen"]),
    ("en", ["Strategy", "Training and development", "Leadership & change", "Dialogue with citizens"]),
])
def test_by_area_keeps_all_four_areas_and_the_order_within(lang, names):
    picked = [BY_ID[i] for i in ("FUE-06", "KOM-02", "FUE-02", "FUE-08")]  # no dialogue measure among them
    groups = by_area(picked, lang)
    assert [name for name, _ in groups] == names
    assert [[r.id for r in recs] for _, recs in groups] == [["FUE-08"], ["KOM-02"], ["FUE-06", "FUE-02"], []]
