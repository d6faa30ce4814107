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
    assert base.loc[1, "Verantwortlich"] == ""  # the input plan is not changed


@pytest.mark.parametrize("lang", ["de", "en"])
def test_plan_workbook_in_the_ui_language_reads_back_in_either(lang):
    plan = _plan()
    data = plan_to_xlsx(plan, lang)
    ws = load_workbook(io.BytesIO(data)).active
    header = [c.value for c in ws[1]]
    assert header == (["ID", "Maßnahme", "Dimension", "Verantwortlich", "Fällig bis", "Status", "Notiz"] if lang == "de"
                      else ["ID", "Measure", "Dimension", "Owner", "Due", "Status", "Note"])
    names = {"de": {"Motivation", "Führung", "Kompetenz", "Lernerfolg"},
             "en": {"Motivation", "Leadership", "Competence", "Learning outcomes", "Learning success"}}[lang]
    assert {ws.cell(r, 3).value for r in range(2, ws.max_row + 1)} <= names  # names, not "fuehrung"
    back = read_plan(data, "plan.xlsx")
    assert list(back["Dimension"]) == list(plan["Dimension"])
    assert list(back["Verantwortlich"]) == list(plan["Verantwortlich"])
