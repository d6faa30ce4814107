"""The working state as one file: saved and loaded again, hostile files refused."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest

from learn_core.actionplan import add_measures, apply_edits, empty_plan
from learn_core.reading.workstate_file import read_work_state as loads
from learn_core.recommendations import catalogue
from learn_core.workstate import WorkState, WorkStateError, dumps


def _plan() -> pd.DataFrame:
    plan = add_measures(empty_plan(), list(catalogue()[:2]))
    return apply_edits(plan, {"edited_rows": {0: {"Verantwortlich": "Frau Schmidt", "Fällig bis": "2027-03-31",
                                                  "Status": "Do", "Notiz": "=HYPERLINK(x)"}}})


def test_round_trip_keeps_settings_mapping_and_plan():
    state = WorkState(lang="en", min_group_size=7, group_column="Standort", sheet="Antworten",
                      column_map={"Frage 1": "M1", "Kommentar": ""}, report_organisation="Stadt Musterhausen",
                      plan=_plan(), answer_map={"Somewhat agree": 4, "Keine Meinung": 0},
                      headcounts={"Bauamt": 40, "Kämmerei": 22})
    back = loads(dumps(state, now=dt.datetime(2026, 12, 1, 12, tzinfo=dt.UTC)))
    assert (back.lang, back.min_group_size, back.group_column, back.sheet) == ("en", 7, "Standort", "Antworten")
    assert back.column_map == {"Frage 1": "M1", "Kommentar": ""}
    assert back.answer_map == {"Somewhat agree": 4, "Keine Meinung": 0}
    assert back.report_organisation == "Stadt Musterhausen"
    assert back.dataset is None
    assert back.headcounts == {"Bauamt": 40, "Kämmerei": 22}
    row = back.plan.iloc[0]
    assert (row["Verantwortlich"], row["Status"], row["Notiz"]) == ("Frau Schmidt", "Do", "=HYPERLINK(x)")
    assert row["Fällig bis"] == pd.Timestamp(2027, 3, 31)
    assert list(back.plan["ID"]) == [r.id for r in catalogue()[:2]]
    assert back.plan.iloc[1]["Status"] == "Plan" and pd.isna(back.plan.iloc[1]["Fällig bis"])


def test_a_working_state_saved_before_the_answer_mapping_still_loads():
    doc = json.loads(dumps(WorkState(plan=_plan())))
    del doc["answer_map"]
    assert loads(json.dumps(doc).encode("utf-8")).answer_map == {}


def test_the_filter_is_kept_and_files_without_it_load_unfiltered():
    back = loads(dumps(WorkState(within=("Standort", "Rathaus"))))
    assert back.within == ("Standort", "Rathaus")
    assert loads(dumps(WorkState())).within is None
    doc = json.loads(dumps(WorkState()))
    del doc["settings"]["filter"]  # saved before the filter existed
    assert loads(json.dumps(doc).encode("utf-8")).within is None


@pytest.mark.parametrize("bad", [["Standort", "Rathaus"], {"column": "Standort"}, {"column": 3, "value": "x"}])
def test_a_broken_filter_is_one_german_sentence(bad):
    doc = json.loads(dumps(WorkState()))
    doc["settings"]["filter"] = bad
    with pytest.raises(WorkStateError, match="Auswahl"):
        loads(json.dumps(doc).encode("utf-8"))


def test_the_survey_file_only_when_asked_for():
    plain = dumps(WorkState())
    assert b"\"dataset\": null" in plain
    data = bytes(range(256)) * 4
    back = loads(dumps(WorkState(dataset=("umfrage.xlsx", data))))
    assert back.dataset == ("umfrage.xlsx", data)


def _doc(**changes) -> bytes:
    doc = json.loads(dumps(WorkState(plan=_plan())))
    doc.update(changes)
    return json.dumps(doc).encode("utf-8")


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "leer"),
        (b"PK\x03\x04 a zip", "kein Arbeitsstand"),
        (b"{not json", "kein gültiges JSON"),
        (b"[" * 100_000 + b"]" * 100_000, "verschachtelt"),
        (b'{"a":' * 50_000 + b"1" + b"}" * 50_000, "verschachtelt"),
        (json.dumps({"format": "etwas anderes"}).encode(), "kein Arbeitsstand"),
        (_doc(version=2), "Version"),
        (_doc(settings={"lang": "fr", "min_group_size": 5}), "Sprache"),
        (_doc(settings={"lang": "de", "min_group_size": 2}), "Mindestgruppengröße"),
        (_doc(settings={"lang": "de", "min_group_size": True}), "Mindestgruppengröße"),
        (_doc(column_map={"Frage": 5}), "Spaltenzuordnung"),
        (_doc(answer_map={"Somewhat agree": 9}), "Antwortzuordnung"),
        (_doc(answer_map={"Somewhat agree": True}), "Antwortzuordnung"),
        (_doc(plan=[{"ID": "X", "Status": "Fertig"}]), "Status"),
        (_doc(plan=[{"ID": "X", "Dimension": "finanzen"}]), "Dimension"),
        (_doc(plan=[{"ID": {"a": {"b": {"c": 1}}}}]), "verschachtelt"),
        (_doc(dataset={"name": "x.csv", "data": "nicht base64!"}), "beschädigt"),
        (_doc(headcounts={"Bauamt": "viele"}), "Kopfzahlen"),
        (_doc(headcounts={"Bauamt": 0}), "Kopfzahl von „Bauamt“"),
        (_doc(headcounts=[1, 2]), "Kopfzahlen"),
    ],
)
def test_hostile_or_foreign_files_get_one_german_sentence(data, words):
    with pytest.raises(WorkStateError) as err:
        loads(data)
    message = str(err.value)
    assert words in message and message.endswith(".") and "\n" not in message


def _settings(**changes) -> bytes:
    doc = json.loads(dumps(WorkState()))
    doc["settings"].update(changes)
    return json.dumps(doc).encode("utf-8")


@pytest.mark.parametrize(("data", "code", "de", "en"), [
    (json.dumps({"format": "etwas anderes"}).encode(), "not_a_work_state",
     "Die Datei ist kein Arbeitsstand des LEARN-Dashboards.", "The file is not a working state of the LEARN dashboard."),
    (_doc(version=1000), "bad_version", "Der Arbeitsstand hat die Version 1000; lesbar ist Version 1.",
     "The working state has the version 1000; version 1 can be read."),
    (_doc(settings=None), "no_settings", "Im Arbeitsstand fehlen die Einstellungen.", "The working state lacks its settings."),
    (_settings(lang="fr"), "bad_language", "Im Arbeitsstand ist die Sprache weder de noch en.",
     "In the working state, the language is neither de nor en."),
    (_settings(min_group_size=1001), "bad_min_group_size",
     "Im Arbeitsstand ist die Mindestgruppengröße keine ganze Zahl von 3 bis 1.000.",
     "In the working state, the minimum group size is not a whole number from 3 to 1,000."),
    (_doc(column_map={"Frage": 5}), "bad_column_map", "Im Arbeitsstand ist die Spaltenzuordnung ungültig.",
     "In the working state, the column mapping is invalid."),
    (_doc(answer_map={"Somewhat agree": 9}), "bad_answer_map", "Im Arbeitsstand ist die Antwortzuordnung ungültig.",
     "In the working state, the answer mapping is invalid."),
    (_settings(group_column=5), "bad_text", "Im Arbeitsstand ist „Gruppenspalte“ kein gültiger Text.",
     "In the working state, “group column” is not a valid text."),
    (_settings(sheet="x" * 501), "bad_text", "Im Arbeitsstand ist „Tabellenblatt“ kein gültiger Text.",
     "In the working state, “sheet” is not a valid text."),
    (_settings(report_organisation=["Stadt"]), "bad_text", "Im Arbeitsstand ist „Name der Verwaltung“ kein gültiger Text.",
     "In the working state, “name of the administration” is not a valid text."),
    (_settings(filter={"column": 3, "value": "x"}), "bad_text", "Im Arbeitsstand ist „Auswahl“ kein gültiger Text.",
     "In the working state, “selection” is not a valid text."),
    (_settings(filter=["Standort", "Rathaus"]), "bad_filter", "Im Arbeitsstand ist die Auswahl ungültig.",
     "In the working state, the selection is invalid."),
    (_doc(headcounts=[1, 2]), "bad_headcounts", "Im Arbeitsstand sind die Kopfzahlen ungültig.",
     "In the working state, the headcounts are invalid."),
    (_doc(headcounts={"Bauamt": 2_000_000}), "headcount",
     "Im Arbeitsstand: Die Kopfzahl von „Bauamt“ muss zwischen 1 und 1.000.000 liegen.",
     "In the working state: The headcount of “Bauamt” must lie between 1 and 1,000,000."),
    (_doc(plan={"ID": "X"}), "plan_not_a_list", "Im Arbeitsstand ist der Maßnahmenplan keine Liste von höchstens 500 Zeilen.",
     "In the working state, the action plan is not a list of at most 500 rows."),
    (_doc(plan=[{"ID": "X", "Status": "Erledigt seit letzter Woche"}]), "plan_bad_status",
     "Unbekannter Status „Erledigt seit letzt…“ im Maßnahmenplan des Arbeitsstands.",
     "Unknown status “Erledigt seit letzt…” in the action plan of the working state."),
    (_doc(plan=[{"ID": "X", "Dimension": "finanzen"}]), "plan_bad_dimension",
     "Unbekannte Dimension im Maßnahmenplan des Arbeitsstands.", "Unknown dimension in the action plan of the working state."),
    (_doc(plan=[{"ID": "X", "Fällig bis": 20270331}]), "plan_not_text",
     "Im Maßnahmenplan des Arbeitsstands ist „Fällig bis“ kein Text.",
     "In the action plan of the working state, the field “Fällig bis” is not a text."),
    (_doc(dataset="umfrage.csv"), "bad_dataset", "Im Arbeitsstand ist die Umfrage-Datei ungültig.",
     "In the working state, the survey file is invalid."),
    (_doc(dataset={"name": "x.csv", "data": "nicht base64!"}), "damaged_dataset",
     "Im Arbeitsstand ist die Umfrage-Datei beschädigt.", "In the working state, the survey file is damaged."),
    (_doc(dataset={"name": "x.csv", "data": 5}), "damaged_dataset",
     "Im Arbeitsstand ist die Umfrage-Datei beschädigt.", "In the working state, the survey file is damaged."),
])  # fmt: skip
def test_each_kind_of_bad_field_has_its_code_in_german_and_english(data, code, de, en):
    """Read through the gate: the code and its params come back from the limited child."""
    with pytest.raises(WorkStateError) as err:
        loads(data)
    assert err.value.code == f"errors.workstate.{code}"
    assert (str(err.value), err.value.message("en")) == (de, en)
