"""The action plan round-trips through Excel and CSV and stays injection-safe."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import pytest
from openpyxl import load_workbook

from learn_core.actionplan import (
    ActionPlanError,
    add_measures,
    apply_edits,
    empty_plan,
    plan_to_csv,
    plan_to_xlsx,
)
from learn_core.reading.plans import read_plan
from learn_core.recommendations import catalogue


def _plan():
    plan = add_measures(empty_plan(), list(catalogue()[:3]))
    plan.loc[0, "Verantwortlich"] = "=HYPERLINK(\"http://x\")"
    plan.loc[1, "Fällig bis"] = pd.Timestamp(2026, 12, 31)
    plan.loc[1, "Status"] = "Check"
    plan.loc[2, "Notiz"] = "Müller & Söhne"
    return plan


def test_add_measures_skips_duplicates():
    plan = add_measures(empty_plan(), list(catalogue()[:2]))
    plan = add_measures(plan, list(catalogue()[:3]))
    assert list(plan["ID"]) == [r.id for r in catalogue()[:3]]
    assert set(plan["Status"]) == {"Plan"}


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_round_trip(kind):
    plan = _plan()
    data = plan_to_xlsx(plan) if kind == "xlsx" else plan_to_csv(plan)
    back = read_plan(data, f"plan.{kind}")
    assert list(back["ID"]) == list(plan["ID"])
    assert back.loc[1, "Fällig bis"] == pd.Timestamp(2026, 12, 31)
    assert back.loc[1, "Status"] == "Check"
    assert back.loc[2, "Notiz"] == "Müller & Söhne"
    assert back.loc[0, "Verantwortlich"] == "=HYPERLINK(\"http://x\")"


def test_formula_text_is_never_a_formula_in_excel():
    wb = load_workbook(__import__("io").BytesIO(plan_to_xlsx(_plan())))
    cell = wb.active["D2"]
    assert cell.data_type == "s" and cell.value.startswith("'=")
    assert wb.active["E3"].value == dt.datetime(2026, 12, 31)


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"foo;bar\n1;2\n", "fehlen die Spalten"),
        ("ID;Maßnahme;Status\nX;Y;Fertig\n".encode("utf-8-sig"), "Unbekannter Status"),
        ("ID;Maßnahme;Status;Fällig bis\nX;Y;Do;morgen\n".encode("utf-8-sig"), "Datum"),
        (b"\x00\x01\x02", "Maßnahmenplan"),
    ],
)
def test_bad_plans(content, fragment):
    with pytest.raises(ActionPlanError, match=fragment):
        read_plan(content, "plan.csv")


@pytest.mark.parametrize(
    ("edits", "expected"),
    [
        # an owner typed, a date chosen (the editor reports ISO text), a status changed
        ({"edited_rows": {1: {"Verantwortlich": "Herr Kaya", "Fällig bis": "2027-01-15", "Status": "Do"}}},
         [(None, None), ("Herr Kaya", "Do", "2027-01-15"), (None, None)]),
        # a status outside PDCA and an unknown column are ignored
        ({"edited_rows": {0: {"Status": "Fertig", "Unbekannt": 1}}}, [(None, None), (None, None), (None, None)]),
        # a row deleted, one added (status Plan by default)
        ({"deleted_rows": [0], "added_rows": [{"Maßnahme": "Eigene Idee", "Verantwortlich": "Team"}]},
         [(None, None), (None, None), ("Team", "Plan", None)]),
    ],
)
def test_table_edits_go_into_the_plan(edits, expected):
    base = add_measures(empty_plan(), list(catalogue()[:3]))
    out = apply_edits(base, edits)
    assert len(out) == len(expected)
    for (_, row), exp in zip(out.iterrows(), expected, strict=True):
        if exp == (None, None):
            continue
        owner, status, *due = exp
        assert (row["Verantwortlich"], row["Status"]) == (owner, status)
        assert (pd.isna(row["Fällig bis"]) if not due or due[0] is None else
                row["Fällig bis"] == pd.Timestamp(due[0]))
    assert base.loc[1, "Verantwortlich"] == catalogue()[1].owner_name()  # the input plan is not changed


@pytest.mark.parametrize("lang", ["de", "en"])
def test_plan_workbook_in_the_ui_language_reads_back_in_either(lang):
    plan = _plan()
    data = plan_to_xlsx(plan, lang)
    ws = load_workbook(io.BytesIO(data)).active
    header = [c.value for c in ws[1]]
    assert header == (["ID", "Maßnahme", "Dimension", "Verantwortlich", "Fällig bis", "Status", "Notiz",
                       "Erfolgsindikator"] if lang == "de"
                      else ["ID", "Measure", "Dimension", "Owner", "Due", "Status", "Note", "Success indicator"])
    names = {"de": {"Motivation", "Führung", "Kompetenz", "Lernerfolg"},
             "en": {"Motivation", "Leadership", "Competence", "Learning outcomes", "Learning success"}}[lang]
    assert {ws.cell(r, 3).value for r in range(2, ws.max_row + 1)} <= names  # names, not "fuehrung"
    back = read_plan(data, "plan.xlsx")
    assert list(back["Dimension"]) == list(plan["Dimension"])
    assert list(back["Verantwortlich"]) == list(plan["Verantwortlich"])
    assert list(back["Erfolgsindikator"]) == list(plan["Erfolgsindikator"])


BY_ID = {r.id: r for r in catalogue()}


@pytest.mark.parametrize(
    ("lang", "owner", "indicator_start", "items"),
    [
        ("de", "Führungskraft des Teams", "Anteil der Ideenkarten, die innerhalb von zwei Wochen",
         "Nächste Befragung: Die Aussagen M7, F1, L2 (Fragebogen 2.0) sollten höhere Werte zeigen."),
        ("en", "Team manager", "Share of idea cards answered within two weeks",
         "Next survey wave: statements M7, F1, L2 (questionnaire 2.0) should score higher."),
    ],
)
def test_an_added_measure_brings_its_owner_role_and_success_indicator(lang, owner, indicator_start, items):
    plan = add_measures(empty_plan(), [BY_ID["MOT-01"]], lang)
    row = plan.iloc[0]
    assert row["Verantwortlich"] == owner
    assert row["Erfolgsindikator"].startswith(indicator_start) and row["Erfolgsindikator"].endswith(items)


def test_adding_again_fills_only_what_is_empty():
    plan = add_measures(empty_plan(), [BY_ID["MOT-01"], BY_ID["MOT-02"]])
    plan.loc[0, "Verantwortlich"] = ""  # cleared in the editor
    plan.loc[0, "Erfolgsindikator"] = "Eigener Indikator"
    plan.loc[1, "Verantwortlich"] = "Frau Schmidt"
    again = add_measures(plan, [BY_ID["MOT-01"], BY_ID["MOT-02"]])
    assert list(again["ID"]) == ["MOT-01", "MOT-02"]
    assert list(again["Verantwortlich"]) == ["Führungskraft des Teams", "Frau Schmidt"]
    assert again.loc[0, "Erfolgsindikator"] == "Eigener Indikator"
    assert plan.loc[0, "Verantwortlich"] == ""  # the input plan is not changed


def test_a_plan_in_session_from_before_the_indicator_column_takes_new_measures():
    old = empty_plan().drop(columns=["Erfolgsindikator"])
    old = pd.concat([old, pd.DataFrame([{"ID": "MOT-01", "Maßnahme": "Ideen", "Dimension": "motivation",
                                         "Verantwortlich": "", "Status": "Plan", "Notiz": ""}])], ignore_index=True)
    plan = add_measures(old, [BY_ID["MOT-01"], BY_ID["MOT-02"]])
    assert list(plan["Verantwortlich"]) == ["Führungskraft des Teams", "Team"]
    assert plan["Erfolgsindikator"].str.contains("Nächste Befragung").all()


OLD_CSV = ("ID;Maßnahme;Dimension;Verantwortlich;Fällig bis;Status;Notiz\n"
           "MOT-01;Ideenkarten;Motivation;Frau Kaya;31.12.2026;Do;läuft\n").encode("utf-8-sig")


def _old_workbook(lang: str) -> bytes:
    from openpyxl import Workbook

    from learn_core.spreadsheet import workbook_bytes

    wb = Workbook()
    wb.active.append(["ID", "Maßnahme", "Dimension", "Verantwortlich", "Fällig bis", "Status", "Notiz"] if lang == "de"
                     else ["ID", "Measure", "Dimension", "Owner", "Due", "Status", "Note"])
    wb.active.append(["MOT-01", "Ideenkarten", "Motivation", "Frau Kaya", dt.datetime(2026, 12, 31), "Do", "läuft"])
    return workbook_bytes(wb)


@pytest.mark.parametrize(("data", "name"), [(OLD_CSV, "plan.csv"), (_old_workbook("de"), "plan.xlsx"),
                                            (_old_workbook("en"), "plan.xlsx")], ids=["csv", "xlsx de", "xlsx en"])
def test_a_plan_saved_before_the_indicator_column_still_reads(data, name):
    back = read_plan(data, name)
    assert list(back.columns)[-1] == "Erfolgsindikator"
    row = back.iloc[0]
    assert (row["ID"], row["Verantwortlich"], row["Status"], row["Notiz"]) == ("MOT-01", "Frau Kaya", "Do", "läuft")
    assert row["Fällig bis"] == pd.Timestamp(2026, 12, 31) and row["Dimension"] == "motivation"
    assert row["Erfolgsindikator"] == ""


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_the_indicator_round_trips(kind):
    plan = add_measures(empty_plan(), [BY_ID["MOT-01"]])
    plan.loc[0, "Erfolgsindikator"] = "=Zahl der Karten"  # typed text that looks like a formula
    data = plan_to_xlsx(plan, "en") if kind == "xlsx" else plan_to_csv(plan)
    assert read_plan(data, f"plan.{kind}").loc[0, "Erfolgsindikator"] == "=Zahl der Karten"


@pytest.mark.parametrize(
    ("content", "de", "en"),
    [
        (b"foo;bar\n1;2\n", "Im Maßnahmenplan fehlen die Spalten ID, Maßnahme, Status.",
         "The action plan lacks the columns ID, Maßnahme, Status."),
        ("ID;Maßnahme;Status\nX;Y;Fertig\n".encode("utf-8-sig"),
         "Unbekannter Status „Fertig“ im Maßnahmenplan (erlaubt: Plan, Do, Check, Act).",
         "Unknown status “Fertig” in the action plan (allowed: Plan, Do, Check, Act)."),
        ("ID;Maßnahme;Status;Fällig bis\nX;Y;Do;morgen\n".encode("utf-8-sig"),
         "Das Datum „morgen“ im Maßnahmenplan ist nicht lesbar (erwartet: TT.MM.JJJJ).",
         "The date “morgen” in the action plan cannot be read (expected: DD.MM.YYYY)."),
        ("ID;Maßnahme;Status;Dimension\nX;Y;Do;Glück\n".encode("utf-8-sig"),
         "Unbekannte Dimension „Glück“ im Maßnahmenplan.", "Unknown dimension “Glück” in the action plan."),
    ],
)
def test_plan_errors_in_both_languages(content, de, en):
    with pytest.raises(ActionPlanError) as info:
        read_plan(content, "plan.csv")
    assert info.value.message("de") == de
    assert info.value.message("en") == en


def test_too_long_a_plan_says_its_limit_in_the_language():
    from learn_core.actionplan import MAX_PLAN_ROWS, plan_from_rows

    rows = [["ID", "Maßnahme", "Status"]] + [[f"M{i}", "x", "Plan"] for i in range(MAX_PLAN_ROWS + 1)]
    with pytest.raises(ActionPlanError) as info:
        plan_from_rows(rows)
    assert info.value.message("de") == f"Der Maßnahmenplan hat mehr als {MAX_PLAN_ROWS:,} Zeilen.".replace(",", ".")
    assert info.value.message("en") == f"The action plan has more than {MAX_PLAN_ROWS:,} rows."
