"""PDF and Excel reports: complete, equal to the analysis' numbers, nothing of a
hidden group, no formula from a cell.

The small survey below is computed by hand: with :func:`full_row` every
dimension of a respondent scores (value − 1) × 25.

* Bauhof: 6 people, values 4,4,4,4,5,5 → scores 75,75,75,75,100,100 → 83.33
* the hostile name: 6 people, value 3 → 50.0
* Zentrale: 5 people, values 2,2,2,3,3 → 25,25,25,50,50 → 35.0
* Stadtarchiv: 2 people, value 1 → 0.0

With k = 5 Stadtarchiv (2) is hidden; the hidden groups then hold 1..k−1
respondents, so the smallest reported group, Zentrale, is hidden too. The
organisation: (6·83.33 + 6·50 + 5·35 + 2·0) / 19 = 975 / 19 = 51.32.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from learn_core.actionplan import add_measures, empty_plan
from learn_core.analysis import analyse
from learn_core.display.images import chart_png, chart_svg
from learn_core.instrument import instrument_version
from learn_core.reading import read_survey
from learn_core.recommendations import catalogue
from learn_core.reports import ReportError, method_blocks, report_bytes, report_pdf, report_xlsx
from tests.conftest import full_row, survey_of

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data" / "beispielstadt.xlsx"
HOSTILE = '=HYPERLINK("http://example.invalid","klick")'
TODAY = dt.date(2026, 12, 1)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _rows():
    rows = [full_row(v, "Bauhof") for v in (4, 4, 4, 4, 5, 5)]
    rows += [full_row(3, HOSTILE) for _ in range(6)]
    rows += [full_row(v, "Zentrale") for v in (2, 2, 2, 3, 3)]
    rows += [full_row(1, "Stadtarchiv") for _ in range(2)]
    return rows


@pytest.fixture(scope="module")
def small():
    return analyse(survey_of(_rows(), "Abteilung"), 5)


@pytest.fixture(scope="module")
def sample():
    return analyse(read_survey(SAMPLE, instrument=instrument_version("1.0")), 5)


def pdf_text(data: bytes) -> tuple[list[str], str]:
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(data)).pages]
    return pages, "\n".join(pages)


def workbook(data: bytes):
    return load_workbook(io.BytesIO(data))


def all_cells(wb):
    for ws in wb:
        for row in ws.iter_rows():
            yield from row


# --------------------------------------------------------------------------- the hand-computed case


def test_hand_computed_case_is_as_the_docstring_says(small):
    org = small.organisation
    assert org.n == 19
    assert org.dimensions["motivation"].score == pytest.approx(975 / 19)
    assert small.groups["Bauhof"].dimensions["fuehrung"].score == pytest.approx(500 / 6)
    assert small.groups[HOSTILE].index == pytest.approx(50.0)
    assert small.suppressed_groups == ["Stadtarchiv", "Zentrale"]


def test_pdf_has_the_organisation_groups_and_hidden_names_but_no_hidden_figure(small):
    pages, text = pdf_text(report_pdf(small, today=TODAY))
    assert len(pages) >= 6
    assert "51,3" in text  # organisation index and dimension scores, decimal comma
    assert "83,3" in text and "50,0" in text  # the reported groups
    assert "Bauhof" in text and HOSTILE in text.replace("\n", "")
    # hidden groups: by name, with the reason, never with a figure
    assert "Stadtarchiv" in text and "Zentrale" in text
    assert "35,0" not in text  # Zentrale's score
    assert "ausgeblendet" in text
    for line in text.splitlines():
        if "Zentrale" in line or "Stadtarchiv" in line:
            rest = line.replace("Mindestgruppengröße 5", "").replace("weniger als 5 Antworten", "")
            assert not any(ch.isdigit() for ch in rest), line


def test_xlsx_hidden_groups_carry_no_figures(small):
    wb = workbook(report_xlsx(small, today=TODAY))
    ws = wb["Abteilungen"]
    header = [c.value for c in ws[1]]
    rows = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True) if r[0]}
    for name in ("Stadtarchiv", "Zentrale"):
        figures = [v for v in rows[name][1:] if isinstance(v, int | float)]
        assert figures == [], name
        assert "ausgeblendet" in rows[name][header.index("Hinweis")]
    numbers = [c.value for c in all_cells(wb) if isinstance(c.value, int | float)]
    assert not any(abs(v - 35.0) < 1e-9 for v in numbers)  # Zentrale's score is nowhere


def test_xlsx_numbers_equal_the_analysis(small):
    wb = workbook(report_xlsx(small, today=TODAY))
    ws = wb["Überblick"]
    header_row = next(r for r in ws.iter_rows() if r[0].value == "Dimension")
    top = header_row[0].row
    org = small.organisation
    for offset, dim in enumerate(instrument_version("1.0").dimensions, 1):
        cells = ws[top + offset]
        d = org.dimensions[dim.key]
        assert cells[0].value == dim.name_de
        assert cells[1].value == pytest.approx(d.score)
        assert cells[1].number_format == "0.0"
        assert [cells[2].value, cells[3].value] == pytest.approx(d.ci95)
        assert cells[4].value == pytest.approx(d.favourable)
        assert cells[5].value == d.level
        assert cells[7].value == d.n
    groups = {r[0]: r for r in wb["Abteilungen"].iter_rows(min_row=2, values_only=True) if r[0]}
    bauhof = groups["Bauhof"]
    assert bauhof[1] == 6 and bauhof[2] == pytest.approx(500 / 6)
    assert bauhof[3] == 5  # level of 83.3
    # Bauhof is 32 points above the organisation in every dimension, but with 6 people too
    # small to be judged (fewer than 10): no strength claimed, the small size said in the comparison
    assert bauhof[8] is None
    assert all(d.vs_rest.small_n and d.vs_rest.verdict is None for d in small.groups["Bauhof"].dimensions.values())


def test_xlsx_sheets_frozen_headers_and_formats(sample):
    wb = workbook(report_xlsx(sample, today=TODAY))
    assert wb.sheetnames == ["Überblick", "Abteilungen", "Ansatzpunkte", "Items", "Maßnahmen", "Methodik"]
    for ws in wb:
        assert ws.freeze_panes is not None, ws.title
        # printable: landscape, one page wide
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1, ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
    steps = wb["Maßnahmen"]["G2"]  # several first steps, wrapped: the row is made tall enough
    assert steps.alignment.wrap_text and wb["Maßnahmen"].row_dimensions[2].height >= 15 * 3
    items = wb["Items"]
    assert [c.value for c in items[1]][:3] == ["ID", "Dimension", "Aussage"]
    assert [items.cell(row=i, column=1).value for i in range(2, 26)] == list(instrument_version("1.0").item_ids)
    assert items.cell(row=2, column=11).number_format == "0.0"
    stand = wb["Überblick"]["B3"]
    assert stand.is_date and stand.number_format == "DD.MM.YYYY"
    measures = wb["Maßnahmen"]
    ids = [measures.cell(row=i, column=2).value for i in range(2, measures.max_row + 1)]
    assert ids == [r["id"] for r in sample.result.to_json()["recommendations"]]


def test_no_cell_is_a_formula_and_hostile_text_stays_text(small):
    plan = add_measures(empty_plan(), list(catalogue()[:2]))
    plan.loc[0, "Verantwortlich"] = "@SUMME(A1:A9)"
    plan.loc[0, "Notiz"] = "+49 30 1234"
    plan.loc[1, "Notiz"] = "-1+1"
    plan.loc[0, "Fällig bis"] = pd.Timestamp("2027-03-31")
    wb = workbook(report_xlsx(small, plan=plan, today=TODAY))
    assert "Maßnahmenplan" in wb.sheetnames
    strings = []
    for cell in all_cells(wb):
        assert cell.data_type != "f", cell.coordinate
        if isinstance(cell.value, str):
            strings.append(cell.value)
            assert not cell.value.startswith(FORMULA_START), (cell.parent.title, cell.coordinate, cell.value)
    assert "'" + HOSTILE in strings
    assert "'@SUMME(A1:A9)" in strings and "'+49 30 1234" in strings and "'-1+1" in strings
    due = wb["Maßnahmenplan"]["E2"]
    assert due.value.date() == dt.date(2027, 3, 31) and due.number_format == "DD.MM.YYYY"


def test_pdf_of_the_sample_is_complete(sample):
    pages, text = pdf_text(report_pdf(sample, today=TODAY))
    n = len(pages)
    assert all(f"Seite {i} von {n}" in p for i, p in enumerate(pages, 1))
    org = sample.organisation
    flat = text.replace("\n", " ")
    assert "01.12.2026" in text
    assert f"{org.index:.1f}".replace(".", ",") in text
    for dim in instrument_version("1.0").dimensions:
        assert f"{dim.name_de}: " + f"{org.dimensions[dim.key].score:.1f}".replace(".", ",") in text
    for name in sample.groups:
        assert name in text
    for name in sample.suppressed_groups:
        assert name in text
    for rec in sample.result.to_json()["recommendations"]:
        assert rec["id"] in text
    assert "Erste Schritte" in text and "Methode" in text
    assert "„" in flat and "“" in flat  # German quotation marks survive
    assert "Die vier Dimensionen der gesamten Verwaltung" in " ".join(flat.split())


def test_the_overview_table_header_does_not_break_inside_a_word(sample):
    """The interval's column is wide enough for "Vertrauensbereich" in bold:
    with 32 of 170 mm it came out of the PDF as "Vertrauensberei ch"."""
    pages, _ = pdf_text(report_pdf(sample, today=TODAY))
    header = next(line for page in pages for line in page.splitlines() if line.startswith("Dimension Wert (0–100)"))
    assert "Vertrauensbereich (95 %)" in header, header
    _, text = pdf_text(report_pdf(sample, lang="en", today=TODAY))
    assert "95 % confidence interval" in " ".join(text.split())


def test_pdf_in_english(sample):
    _, text = pdf_text(report_pdf(sample, lang="en", today=TODAY))
    assert "results report" in text and "Page 1 of" in text
    assert "First steps" in text and "Leadership" in text
    assert "Seite" not in text


def test_pdf_contains_the_action_plan(sample):
    plan = add_measures(empty_plan(), list(catalogue()[:1]))
    plan.loc[0, "Verantwortlich"] = "Frau Öztürk"
    plan.loc[0, "Fällig bis"] = pd.Timestamp("2027-02-15")
    _, text = pdf_text(report_pdf(sample, plan=plan, today=TODAY))
    assert "Maßnahmenplan" in text and "Frau Öztürk" in text and "15.02.2027" in text


def test_no_report_below_the_minimum_size():
    analysis = analyse(survey_of([full_row(3) for _ in range(4)]), 5)
    with pytest.raises(ReportError, match="weniger als 5 Antworten"):
        report_pdf(analysis)
    with pytest.raises(ReportError):
        report_xlsx(analysis)


def test_report_without_group_column():
    analysis = analyse(survey_of([full_row(v) for v in (2, 3, 4, 5, 5)]), 5)
    _, text = pdf_text(report_pdf(analysis, today=TODAY))
    assert "keine Abteilungsspalte" in text
    wb = workbook(report_xlsx(analysis, today=TODAY))
    assert wb["Überblick"]["B8"].value == pytest.approx(analysis.organisation.index)


@pytest.mark.parametrize(("name", "magic"), [("bericht.pdf", b"%PDF"), ("Bericht.XLSX", b"PK")])
def test_report_bytes_follows_the_ending(small, name, magic):
    assert report_bytes(small, name, today=TODAY).startswith(magic)


def test_report_bytes_refuses_other_endings(small):
    with pytest.raises(ReportError, match=r"\.pdf oder \.xlsx"):
        report_bytes(small, "bericht.docx")


def test_method_blocks_hold_the_level_table():
    blocks = method_blocks("de", 5)
    tables = [b for b in blocks if b[0] == "table"]
    assert tables and tables[0][1] == ["Wert", "Stufe"] and len(tables[0][2]) == 5
    assert not any("**" in str(b) for b in blocks)


@pytest.mark.parametrize(("lang", "page"), [("de", "Seite Überblick,"), ("en", "(page Overview,")])
def test_method_blocks_show_page_names_without_markdown_asterisks(lang, page):
    """The PDF and Excel method text printed "Seite *Überblick*": italics were left as asterisks."""
    text = " ".join(str(b) for b in method_blocks(lang, 5))
    assert page in text and not re.search(r"\*\w|\w\*", text)


@pytest.mark.parametrize(("markdown", "plain_text"), [
    ("Seite *Überblick*, dann", "Seite Überblick, dann"), ("**fett** und *kursiv*", "fett und kursiv"),
    ("5 * 3 = 15", "5 * 3 = 15"), (r"ein \*Stern\*", "ein *Stern*"), ("k*2 und n*3", "k*2 und n*3")])
def test_plain_removes_emphasis_and_keeps_other_asterisks(markdown, plain_text):
    from learn_core.reports.common import plain

    assert plain(markdown) == plain_text


def test_chart_images_are_rendered_offline_with_the_shipped_font(sample):
    from learn_core.display.charts import radar_chart
    from learn_core.display.views import radar_series

    chart = radar_chart(radar_series(sample, []), {d.key: d.name_de for d in instrument_version("1.0").dimensions})
    png = chart_png(chart)
    assert png.startswith(b"\x89PNG")
    svg = chart_svg(chart.to_dict()).decode("utf-8")
    assert svg.startswith("<svg") and "DejaVu Sans" in svg and "Führung" in svg


def test_chart_image_error_is_a_value_error():
    with pytest.raises(ValueError, match="Diagramm"):
        chart_png({"mark": "no-such-mark"})


# --------------------------------------------------------------------------- command line


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "learn_core", *args], capture_output=True, text=True, cwd=ROOT)


def test_cli_report_pdf_and_xlsx(tmp_path, sample):
    for name in ("bericht.pdf", "bericht.xlsx"):
        out = tmp_path / name
        proc = _cli("report", str(SAMPLE), "--output", str(out))
        assert proc.returncode == 0, proc.stderr
        info = json.loads(proc.stdout)
        assert info["output"] == str(out) and info["bytes"] == out.stat().st_size
        assert info["suppressed_groups"] == sample.suppressed_groups
    wb = load_workbook(tmp_path / "bericht.xlsx")
    assert wb["Überblick"]["B8"].value == pytest.approx(sample.organisation.index)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--output", "x.docx"], ".pdf oder .xlsx"),
        (["--output", "/no/such/folder/x.pdf"], "kann nicht geschrieben werden"),
        (["--output", "x.pdf", "--min-group-size", "500"], "weniger als 500 Antworten"),
    ],
)
def test_cli_report_errors_are_one_german_line(tmp_path, args, message):
    args = [a if a != "x.pdf" and a != "x.docx" else str(tmp_path / a) for a in args]
    proc = _cli("report", str(SAMPLE), *args)
    assert proc.returncode == 2
    assert message in proc.stderr and proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr


def test_cli_report_equals_cli_score_for_an_upload_with_hidden_and_hostile_groups(tmp_path):
    from tests.conftest import frame_of

    upload = tmp_path / "umfrage.csv"
    frame_of(_rows(), "Abteilung").to_csv(upload, sep=";", index=False)
    score = _cli("score", str(upload))
    assert score.returncode == 0, score.stderr
    result = json.loads(score.stdout)
    out = tmp_path / "bericht.xlsx"
    assert _cli("report", str(upload), "--output", str(out)).returncode == 0
    wb = load_workbook(out)
    rows = {r[0]: r for r in wb["Abteilungen"].iter_rows(min_row=2, values_only=True) if r[0]}
    keys = [d.key for d in instrument_version("1.0").dimensions]
    for name, group in result["groups"].items():
        row = rows["'" + name if name.startswith("=") else name]
        assert row[1] == group["n"] and row[2] == pytest.approx(group["index"])
        assert list(row[4:8]) == pytest.approx([group["dimensions"][k]["score"] for k in keys])
    note = [c.value for c in wb["Abteilungen"][1]].index("Hinweis")
    for name in result["suppressed_groups"]:
        assert [v for j, v in enumerate(rows[name][1:], 1) if v is not None and j != note] == []
    pdf = tmp_path / "bericht.pdf"
    assert _cli("report", str(upload), "--output", str(pdf)).returncode == 0
    _, text = pdf_text(pdf.read_bytes())
    assert f"{result['organisation']['index']:.1f}".replace(".", ",") in text
    assert "35,0" not in text


@pytest.mark.parametrize(("file", "shown"), [
    ("beispielstadt.xlsx", "beispielstadt"),
    ("Umfrage Herbst 2026.CSV", "Umfrage Herbst 2026"),
    ("Klausurtagung 12.11.", "Klausurtagung 12.11."),  # a workshop's title, not a file name
    ("", "Gesamte Verwaltung"),
])
def test_the_report_names_the_organisation_after_the_file(file, shown):
    from learn_core.reading import survey_from_frame
    from learn_core.reports.common import report_input
    from tests.conftest import frame_of

    analysis = analyse(survey_from_frame(frame_of([full_row(v) for v in (2, 3, 4, 5, 5)]), file_name=file), 5)
    assert report_input(analysis, "de", None, None, TODAY).organisation == shown
    assert report_input(analysis, "de", None, "  Stadt Musterhausen ", TODAY).organisation == "Stadt Musterhausen"
    assert report_input(analysis, "de", None, "x" * 300, TODAY).organisation == "x" * 199 + "…"


def test_title_page_prints_the_organisation():
    from learn_core.reading import survey_from_frame
    from tests.conftest import frame_of

    analysis = analyse(survey_from_frame(frame_of([full_row(v) for v in (2, 3, 4, 5, 5)]),
                                         file_name="Umfrage Herbst 2026.CSV"), 5)
    pages, _ = pdf_text(report_pdf(analysis, today=TODAY))
    assert "Ergebnisbericht – Umfrage Herbst 2026 Seite" in " ".join(pages[0].split())
    named, _ = pdf_text(report_pdf(analysis, organisation="Stadt Musterhausen", today=TODAY))
    assert "Stadt Musterhausen" in named[0] and "Stadt Musterhausen" not in pages[0]


def test_pdf_statements_show_agreement_with_the_statement_as_printed():
    from learn_core.reports.pdf import item_rows
    from tests.conftest import full_row, survey_of

    # L6 is worded negatively: 4 of 10 agree with it as printed (4 or 5), 6 disagree (1 or 2);
    # after reversal 6 of 10 are favourable – the PDF must print 40 % beside the statement
    rows = []
    for i in range(10):
        row = full_row(4)
        row["L6"] = 5 if i < 4 else 1
        rows.append(row)
    analysis = analyse(survey_of(rows), 5)
    table = {r[0]: r for r in item_rows(analysis, "de")}
    assert table["L6 ↺"][3] == "40\u202f%" and table["L6 ↺"][2] == "10"
    assert analysis.organisation.items["L6"].favourable == pytest.approx(60.0)
    assert table["L1"][3] == "100\u202f%"  # a positive statement: agreement is the favourable share
    assert [r[0] for r in item_rows(analysis, "en")].count("L6 ↺") == 1


@pytest.mark.parametrize(("lang", "heading", "claim"), [
    ("de", "Herkunft der Aussagen und Maßnahmen", "nicht der LEARN-Fragebogen der Studie"),
    ("en", "Where the statements and measures come from", "NEGZ/5STEP"),
])
def test_pdf_says_where_the_statements_come_from(sample, lang, heading, claim):
    """Issue 20.1: the reader of the PDF learns that the statements are this
    product's own instrument, not the study's questionnaire."""
    _, text = pdf_text(report_pdf(sample, lang=lang, today=TODAY))
    flat = " ".join(text.split())
    assert heading in flat and claim in flat


@pytest.mark.parametrize(("lang", "code", "first"), [("de", "de-DE", "Auf einen Blick"), ("en", "en-GB", "At a glance")])
def test_pdf_has_language_title_and_bookmarks(sample, lang, code, first):
    """Issue 19.6: a screen reader gets the document language and title, a
    viewer opens the bookmarks of every section, the charts carry a text."""
    reader = PdfReader(io.BytesIO(report_pdf(sample, lang=lang, today=TODAY)))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == code
    assert root["/PageMode"] == "/UseOutlines"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert reader.metadata.title
    titles = [entry.title for entry in reader.outline if not isinstance(entry, list)]
    assert titles[0] == first and len(titles) >= 6
    alts = [str(obj.get("/Alt")) for obj in _struct_elements(root) if obj.get("/Alt")]
    assert any("Motivation" in alt for alt in alts), alts


def _struct_elements(root):
    """Every element of the document's structure tree (fpdf2 writes one per
    image with an alternative text)."""
    todo = [root["/StructTreeRoot"].get_object()]
    out = []
    while todo:
        node = todo.pop()
        kids = node.get("/K")
        if kids is None:
            continue
        kids = kids if isinstance(kids, list) else [kids]
        for kid in kids:
            kid = kid.get_object() if hasattr(kid, "get_object") else kid
            if hasattr(kid, "get"):
                out.append(kid)
                todo.append(kid)
    return out
