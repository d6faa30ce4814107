"""Issue 16 in the reports: participation (and the further analyses) in the PDF and the workbook."""

from __future__ import annotations

import datetime as dt

import pytest

from learn_core.analysis import analyse
from learn_core.analysis.participation import with_participation
from learn_core.reports import report_pdf, report_xlsx
from tests.conftest import full_row, survey_of
from tests.reports.test_reports import pdf_text, workbook

TODAY = dt.date(2026, 12, 1)


@pytest.fixture(scope="module")
def counted():
    rows = [full_row(4, "Bauhof")] * 6 + [full_row(3, "Zentrale")] * 8 + [full_row(2, "Stadtarchiv")] * 2 \
        + [full_row(3, "Kasse")] * 5
    a = analyse(survey_of(rows, "Abteilung"), 5)
    assert sorted(a.groups) == ["Bauhof", "Zentrale"]  # Stadtarchiv (2) and Kasse (5, complementary) hidden
    return with_participation(a, {"Bauhof": 8, "Zentrale": 20, "Stadtarchiv": 4, "Kasse": 9})


def test_pdf_participation_rates_and_nothing_of_hidden_groups(counted):
    _, text = pdf_text(report_pdf(counted, today=TODAY))
    # 21 of 41 = 51 %, Bauhof 6 of 8 = 75 %, Zentrale 8 of 20 = 40 % (below 50 %)
    assert "51\u202f% haben teilgenommen (21 von 41 Beschäftigten)." in text.replace("\n", " ")
    assert "75\u202f%" in text and "40\u202f%" in text
    lines = text.splitlines()
    # the table rows: Kasse's headcount 9 may stand, its respondents (5) and rate may not; Stadtarchiv's 4 (< k)
    # not at all (the note wraps onto the next line)
    assert "Kasse 9 – –" in lines and "Stadtarchiv – – –" in lines


def test_xlsx_participation_sheet(counted):
    ws = workbook(report_xlsx(counted, today=TODAY))["Beteiligung"]
    rows = {r[0]: r[1:] for r in ws.iter_rows(min_row=4, values_only=True) if r[0]}
    assert rows["Bauhof"][:3] == (8, 6, 75.0)
    assert rows["Zentrale"][:3] == (20, 8, 40.0) and "womöglich nicht repräsentativ" in rows["Zentrale"][3]
    assert rows["Kasse"][:3] == (9, None, None)
    assert rows["Stadtarchiv"][:3] == (None, None, None)


def test_no_participation_sheet_without_headcounts():
    a = analyse(survey_of([full_row(4, "Bauhof")] * 6, "Abteilung"), 5)
    assert "Beteiligung" not in workbook(report_xlsx(a, today=TODAY)).sheetnames


def test_reports_carry_drivers_and_item_priorities():
    from learn_core.instrument import instrument_version
    from learn_core.reading import read_survey
    from learn_core.samples import SAMPLE_XLSX

    a = analyse(read_survey(SAMPLE_XLSX, instrument=instrument_version("1.0")), 5)
    _, text = pdf_text(report_pdf(a, today=TODAY))
    flat = text.replace("\n", " ")
    assert "Ansatzpunkte" in text and "177 Personen mit allen vier Werten" in flat
    assert "0,38 0,25 … 0,50" in flat  # Führung's β and its interval (statsmodels-checked in test_drivers)
    ws = workbook(report_xlsx(a, today=TODAY))["Ansatzpunkte"]
    rows = [r for r in ws.iter_rows(values_only=True) if r[0]]
    fuehrung = next(r for r in rows if r[0] == "Führung" and r[1] == 177)
    d = next(x for x in a.result.drivers.dimensions if x.dimension == "fuehrung")
    assert fuehrung[4] == round(d.beta, 2) and fuehrung[8] == "hier zuerst ansetzen"
    ids = ("M5", "M2", "F4", "F6 ↺", "K4", "K6 ↺")  # ↺: worded negatively
    assert [r[1] for r in rows if r[1] in ids] == list(ids)
