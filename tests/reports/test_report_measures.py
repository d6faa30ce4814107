"""The reports say how to act on a measure: owner, costs, first result,
success indicator and the Personalrat / data-protection checks (as words),
and the action plan carries its success indicator."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from learn_core.actionplan import add_measures, empty_plan
from learn_core.analysis import analyse
from learn_core.instrument import instrument_version
from learn_core.reading import read_survey
from learn_core.recommendations import catalogue
from learn_core.reports import report_pdf, report_xlsx

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "beispielstadt.xlsx"
BY_ID = {r.id: r for r in catalogue()}
PERSONALRAT = {
    "de": "Personalrat beteiligen: Die Maßnahme berührt die Mitbestimmung; beziehen Sie den Personalrat ein, "
          "bevor Sie beginnen.",
    "en": "Involve the staff council: the measure touches co-determination; involve the staff council before you begin.",
}
DATENSCHUTZ_DE = ("Datenschutz prüfen: Es werden personenbezogene Daten verarbeitet; stimmen Sie das Vorgehen vorher "
                  "mit der oder dem Datenschutzbeauftragten ab.")


@pytest.fixture(scope="module")
def sample():
    # the organisation's matched measures include FUE-04 (codetermination),
    # KOM-02 (codetermination and data protection) and KOM-11 (data protection)
    return analyse(read_survey(SAMPLE, instrument=instrument_version("1.0")), 5)


def _plan(lang: str = "de") -> pd.DataFrame:
    return add_measures(empty_plan(), [BY_ID["FUE-04"], BY_ID["KOM-02"]], lang)


def _flat(data: bytes) -> str:
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return re.sub(r"\s+", " ", text)


def _plan_section(text: str) -> str:
    """From the plan's intro to the next section (the four dimensions)."""
    start = text.index("Die ausgewählten Maßnahmen mit")
    return text[start:text.index("Die vier Dimensionen", start)]


@pytest.fixture(scope="module")
def pdf_de(sample):
    return _flat(report_pdf(sample, lang="de", plan=_plan("de")))


@pytest.mark.parametrize("lang", ["de", "en"])
def test_pdf_says_the_personalrat_sentence_for_a_codetermination_measure(sample, pdf_de, lang):
    text = pdf_de if lang == "de" else _flat(report_pdf(sample, lang="en", plan=_plan("en")))
    assert BY_ID["FUE-04"].codetermination
    assert PERSONALRAT[lang] in text
    labels = {"de": ("Verantwortlich", "Kosten", "Erstes Ergebnis", "Erfolgsindikator", "Vor dem Start"),
              "en": ("Owner", "Costs", "First result", "Success indicator", "Before you start")}[lang]
    for label in labels:
        assert label in text, label


def test_pdf_measures_table_and_indicators(pdf_de):
    measures = pdf_de[pdf_de.index("Passende Kaizen-Maßnahmen"):]
    assert "(Personalrat beteiligen)" in measures and "(Datenschutz prüfen)" in measures  # flags by the title
    kom11 = BY_ID["KOM-11"]  # listed, not detailed: its indicator is there all the same
    assert f"KOM-11 {kom11.indicator_de}" in measures
    assert "Personalentwicklung" in measures and "mittel, im Fortbildungs- oder Sachbudget einplanen" in measures
    assert DATENSCHUTZ_DE in measures  # KOM-02 is in the plan, so described in detail


def test_pdf_plan_carries_the_indicator(pdf_de):
    plan = _plan_section(pdf_de)
    assert "Führungskraft des Teams" in plan  # the owner role pre-filled
    assert f"FUE-04 {BY_ID['FUE-04'].indicator_de}" in plan


@pytest.fixture(scope="module")
def workbook(sample):
    return load_workbook(io.BytesIO(report_xlsx(sample, lang="de", plan=_plan("de"))))


def _rows_by_id(ws, id_column: str = "ID") -> tuple[list[str], dict[str, dict]]:
    header = [c.value for c in ws[1]]
    rows = {}
    for row in ws.iter_rows(min_row=2, values_only=True):
        rec = dict(zip(header, row, strict=False))
        rows[rec[id_column]] = rec
    return header, rows


def test_excel_measures_carry_owner_costs_first_result_indicator_and_checks(workbook):
    header, rows = _rows_by_id(workbook["Maßnahmen"])
    assert header[-6:] == ["Verantwortlich", "Kosten", "Erstes Ergebnis", "Erfolgsindikator", "Personalrat",
                           "Datenschutz"]
    fue04, kom02, fue02 = rows["FUE-04"], rows["KOM-02"], rows["FUE-02"]
    assert fue04["Personalrat"] == PERSONALRAT["de"] and fue04["Datenschutz"] == "nein"
    assert kom02["Personalrat"] == PERSONALRAT["de"] and kom02["Datenschutz"] == DATENSCHUTZ_DE
    assert (fue02["Personalrat"], fue02["Datenschutz"]) == ("nein", "nein")
    assert fue04["Verantwortlich"] == "Führungskraft des Teams"
    assert fue04["Kosten"] == "gering, aus laufenden Mitteln" and fue04["Erstes Ergebnis"] == "nach wenigen Wochen"
    assert fue04["Erfolgsindikator"].startswith(BY_ID["FUE-04"].indicator_de)
    assert "F1, L2, L7" in fue04["Erfolgsindikator"]


def test_excel_plan_has_the_indicator_column(workbook):
    header, rows = _rows_by_id(workbook["Maßnahmenplan"])
    assert header[-1] == "Erfolgsindikator"
    assert rows["FUE-04"]["Erfolgsindikator"].startswith(BY_ID["FUE-04"].indicator_de)


def test_english_excel_headers(sample):
    wb = load_workbook(io.BytesIO(report_xlsx(sample, lang="en", plan=_plan("en"))))
    header, rows = _rows_by_id(wb["Measures"])
    assert header[-6:] == ["Owner", "Costs", "First result", "Success indicator", "Staff council", "Data protection"]
    assert rows["FUE-04"]["Staff council"] == PERSONALRAT["en"] and rows["FUE-04"]["Data protection"] == "no"
    assert [c.value for c in wb["Action plan"][1]][-1] == "Success indicator"


def test_a_plan_from_before_the_indicator_makes_both_reports(sample):
    old = _plan().drop(columns=["Erfolgsindikator"])
    text = _flat(report_pdf(sample, plan=old))
    assert "FUE-04" in _plan_section(text) and "Erfolgsindikator FUE-04" not in _plan_section(text)
    wb = load_workbook(io.BytesIO(report_xlsx(sample, plan=old)))
    _, rows = _rows_by_id(wb["Maßnahmenplan"])
    assert rows["FUE-04"]["Erfolgsindikator"] is None  # an empty cell
