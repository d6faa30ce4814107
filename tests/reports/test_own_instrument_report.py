"""An own questionnaire's names in the reports and the action plan: its
title on the cover, in the running head and atop the workbook, its dimension
names in the sections and in the plan; a plan saved with those names reads
back. And a built-in 1.0 survey's plan names its dimensions as 1.0 does."""

from __future__ import annotations

import io
import tomllib

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from learn_core.actionplan import add_measures, dimension_names, empty_plan, plan_to_xlsx
from learn_core.analysis import analyse
from learn_core.instrument import DATA_DIR, parse_instrument
from learn_core.reading import read_survey
from learn_core.reading.plans import read_plan
from learn_core.recommendations import catalogue
from learn_core.reports import report_pdf, report_xlsx
from learn_core.reports.common import plan_rows
from tests.conftest import full_row, survey_of


@pytest.fixture(scope="module")
def own():
    raw = tomllib.loads((DATA_DIR / "instrument_v2.toml").read_text("utf-8"))
    raw.update(name_de="Eigener Check", name_en="Own check")
    (motivation,) = [d for d in raw["dimensions"] if d["key"] == "motivation"]
    motivation.update(name_de="Antrieb", name_en="Drive")
    return parse_instrument(raw, "eigen.toml")


@pytest.fixture(scope="module")
def analysis(own):
    ids = list(own.item_ids)
    lines = ["Abteilung;" + ";".join(ids)]
    lines += [f"{dep};" + ";".join([str(v)] * len(ids)) for dep, v in [("Amt A", 4)] * 6 + [("Amt B", 2)] * 6]
    survey = read_survey(("\n".join(lines) + "\n").encode(), file_name="eigen.csv", instrument=own, group_column="Abteilung")
    return analyse(survey, 5)


@pytest.fixture(scope="module")
def plan():
    (measure,) = [r for r in catalogue() if r.dimension == "motivation"][:1]
    return add_measures(empty_plan(), [measure], "en")


def test_the_own_names_are_in_the_english_pdf(analysis, plan):
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(report_pdf(analysis, "en", plan))).pages]
    text = " ".join(" ".join(pages).split())
    assert pages[0].lstrip().startswith("Kaizen für Kommunen") and "Own check results report" in " ".join(
        pages[0].replace("–", " ").split())
    assert all("Own check – results report" in " ".join(p.split()) for p in pages[1:])  # the running head
    assert "Drive: 50.0" in text and "Motivation:" not in text and "Antrieb" not in text  # the dimension's section
    assert "Departments compared Drive Leadership Competence Learning outcomes" in text  # the heatmap's head
    assert f"{plan.loc[0, 'ID']} {plan.loc[0, 'Maßnahme']} Drive" in text  # the action plan's row
    assert "in four dimensions – Drive, Leadership, Competence and Learning outcomes" in text  # the method
    assert 'The questionnaire "Own check" (version 2.0) asks 24 statements' in text


def test_the_own_names_are_in_the_workbook_and_its_plan(analysis, plan):
    wb = load_workbook(io.BytesIO(report_xlsx(analysis, "de", plan)))
    first = wb.worksheets[0]
    assert first.cell(1, 1).value == "Eigener Check – Ergebnisbericht – eigen"
    cells = [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert "Antrieb" in cells and "Motivation" not in cells


def test_a_plan_saved_with_the_own_names_reads_back(own, plan):
    saved = plan_to_xlsx(plan, "en", own)
    ws = load_workbook(io.BytesIO(saved)).active
    assert ws.cell(2, 3).value == "Drive"
    back = read_plan(saved, "plan.xlsx", own)
    assert back.loc[0, "Dimension"] == "motivation"
    assert plan_rows(back, "de", own)[0]["dimension"] == "Antrieb"


def test_the_plan_of_a_1_0_survey_names_its_dimensions_as_1_0():
    v1 = analyse(survey_of([full_row(4, "Amt A")] * 6, "Abteilung"), 5)
    assert v1.survey.instrument.version == "1.0"
    names = dimension_names("en", v1.survey.instrument)
    assert names["lernerfolg"] == "Learning success" and dimension_names("en")["lernerfolg"] == "Learning outcomes"
    (measure,) = [r for r in catalogue() if r.dimension == "lernerfolg"][:1]
    assert plan_rows(add_measures(empty_plan(), [measure]), "en", v1.survey.instrument)[0]["dimension"] == (
        "Learning success")
