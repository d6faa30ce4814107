"""The action plan round-trips through Excel and CSV and stays injection-safe."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from openpyxl import load_workbook

from learn_core.actionplan import (
    ActionPlanError,
    add_measures,
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
