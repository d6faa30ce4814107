"""The blank templates: the Excel workbook is read back by the survey reader
with hand-computed scores, stays formula-safe, and the paper questionnaire
holds every statement with its scale."""

from __future__ import annotations

import dataclasses
import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from learn_core.analysis import analyse
from learn_core.instrument import DIMENSION_KEYS, default_instrument, instrument_version
from learn_core.reading import list_columns, read_survey
from learn_core.reports.templates import TEMPLATE_ROWS, template_pdf, template_xlsx

#: the templates' default: version 2.0 (new surveys are made with it)
INSTRUMENT = default_instrument()
IDS = list(INSTRUMENT.item_ids)
V1 = instrument_version("1.0")
SHEETS = {"de": ("Antworten", "Fragebogen"), "en": ("Answers", "Questionnaire")}
GROUP_HEADER = {"de": "Abteilung", "en": "Department"}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _book(data: bytes):
    return load_workbook(io.BytesIO(data))


def _squash(text: str) -> str:
    """Text without any whitespace: compares across PDF line breaks."""
    return "".join(text.split())


# --------------------------------------------------------------------------- xlsx layout


@pytest.mark.parametrize("lang", ["de", "en"])
def test_xlsx_sheets_and_single_header_row(lang):
    wb = _book(template_xlsx(lang))
    assert wb.sheetnames == list(SHEETS[lang])
    ws = wb.worksheets[0]
    header = [c.value for c in ws[1]]
    assert header == [GROUP_HEADER[lang], *IDS]
    assert len(header) == 25
    assert ws.max_row == 1  # no second header row, no pre-filled data rows
    assert ws.freeze_panes == "B2"
    assert all(c.font.bold for c in ws[1])
    assert ws.column_dimensions["A"].width >= 16


@pytest.mark.parametrize(
    ("lang", "error_words"),
    [("de", "ganze Zahl von 1 bis 5"), ("en", "whole number from 1 to 5")],
)
def test_xlsx_answer_columns_accept_whole_numbers_1_to_5(lang, error_words):
    ws = _book(template_xlsx(lang)).worksheets[0]
    checks = ws.data_validations.dataValidation
    assert len(checks) == 1  # no group list without groups
    dv = checks[0]
    assert (dv.type, dv.operator, dv.formula1, dv.formula2) == ("whole", "between", "1", "5")
    assert dv.allow_blank and dv.showErrorMessage and dv.errorStyle == "stop"
    assert error_words in dv.error
    assert str(dv.sqref) == f"B2:Y{TEMPLATE_ROWS + 1}"  # columns B … Y = M1 … L6
    assert TEMPLATE_ROWS + 1 == 1001
    for cell in ("B2", "Y2", "M500", "B1001"):
        assert cell in dv.sqref
    for cell in ("A2", "B1", "Z2", "B1002"):
        assert cell not in dv.sqref
    assert "3 = " + INSTRUMENT.scale.labels(lang)[2] in dv.prompt
    assert len(dv.prompt) <= 255 and len(dv.promptTitle) <= 32


HOSTILE = [
    '=HYPERLINK("http://x","klick")',
    "+1+2",
    "-3",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
]


@pytest.mark.parametrize("hostile", HOSTILE)
def test_xlsx_group_list_stores_hostile_names_as_text(hostile):
    data = template_xlsx(groups=["Bauamt", hostile, "Bauamt", "  ", "Ordnungsamt"])
    wb = _book(data)
    assert wb.sheetnames == ["Antworten", "Fragebogen", "Listen"]
    lists = wb["Listen"]
    assert lists.sheet_state == "hidden"
    cells = [c for c in lists["A"] if c.value is not None]
    assert len(cells) == 3  # duplicate and blank name dropped
    assert cells[0].value == "Bauamt" and cells[2].value == "Ordnungsamt"
    for cell in cells:
        assert cell.data_type == "s"
        assert not cell.value.startswith(FORMULA_START)
    assert cells[1].value.lstrip("'").strip() == hostile.strip()

    ws = wb.worksheets[0]
    lists_dv = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert len(lists_dv) == 1
    assert lists_dv[0].formula1 == "'Listen'!$A$1:$A$3"
    assert str(lists_dv[0].sqref) == "A2:A1001"
    assert "Liste" in lists_dv[0].error
    # nothing anywhere in the workbook became a formula
    for sheet in wb.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate)


def test_xlsx_group_column_width_follows_long_names():
    ws = _book(template_xlsx(groups=["Amt für Stadtentwicklung und Wohnen"])).worksheets[0]
    assert ws.column_dimensions["A"].width == len("Amt für Stadtentwicklung und Wohnen") + 3


@pytest.mark.parametrize("lang", ["de", "en"])
def test_questionnaire_sheet_lists_every_statement(lang):
    ws = _book(template_xlsx(lang))[SHEETS[lang][1]]
    rows = [r for r in ws.iter_rows(values_only=True)]
    by_id = {r[0]: r for r in rows if r[0] in IDS}
    assert list(by_id) == IDS
    for item in INSTRUMENT.items:
        _, dimension, text, note = by_id[item.id]
        assert dimension == INSTRUMENT.dimension(item.dimension).name(lang)
        assert text == item.text(lang)
        assert (note is not None) == item.reverse
    reverse = [i for i, r in by_id.items() if r[3]]
    assert reverse == ["M8", "F6", "K6", "L6"]  # version 2.0: one per dimension, in changing places
    instructions = " ".join(str(v) for r in rows for v in r if isinstance(v, str))
    for number, label in enumerate(INSTRUMENT.scale.labels(lang), start=1):
        assert f"{number} = {label}" in instructions
    assert "5" in instructions and ("Abteilungen mit weniger als 5" in instructions
                                    or "fewer than 5" in instructions)
    if lang == "de":
        assert "„Antworten“" in instructions and "Kopfzeile" in instructions


def test_xlsx_follows_an_own_instrument():
    items = tuple(i for i in INSTRUMENT.items if not i.id.endswith(("5", "6")))
    own = dataclasses.replace(INSTRUMENT, items=items)
    ws = _book(template_xlsx(instrument=own)).worksheets[0]
    assert [c.value for c in ws[1]] == ["Abteilung", *[i.id for i in items]]
    assert str(ws.data_validations.dataValidation[0].sqref) == "B2:T1001"  # 19 items (M5, F6 … L6 left out)


# --------------------------------------------------------------------------- round trip

# Answers as written into a template of version 1.0: per dimension the six
# items (the sixth reverse-keyed), None = cell left empty.
RESPONDENTS = [
    # Bauamt
    ("Bauamt", {"M": [4, 4, 4, 4, 4, 2], "F": [5, 5, 5, 5, 5, 1],
                "K": [3, 3, 3, 3, 3, 3], "L": [2, 2, 2, 2, 2, 4]}),
    ("Bauamt", {"M": [5, 4, 3, 4, 5, 1], "F": [3, 3, None, None, 3, 3],
                "K": [1, 2, None, None, None, 5], "L": [4, 4, 4, 4, 4, 2]}),
    ("Bauamt", {"M": [3, 3, 3, 3, 3, 5], "F": [4, 4, 4, 4, 4, 4],
                "K": [5, 5, 5, 5, 5, 1], "L": [3, 3, 3, 3, 3, 3]}),
    # Bürgerbüro & Standesamt
    ("Bürgerbüro & Standesamt", {p: [3] * 6 for p in "MFKL"}),
    ("Bürgerbüro & Standesamt", {"M": [1, 1, 1, 1, 1, 5], "F": [2, 2, 2, 2, 2, 4],
                                 "K": [4, 4, 4, 4, 4, 2], "L": [5, 5, 5, 5, 5, 1]}),
    ("Bürgerbüro & Standesamt", {"M": [2, 3, None, 4, None, 3], "F": [5, 4, 5, 4, 5, 2],
                                 "K": [None] * 6, "L": [1, 2, 3, 4, 5, 3]}),
]

# Respondent scores by hand: reverse item 6 − x, (mean of valid − 1) × 25 with ≥ 4 valid.
#   Bauamt      M: 75, 83.33 (26/6), 41.67 (16/6)   F: 100, 50 (4 valid), 66.67 (22/6)
#               K: 50, –  (3 valid), 100             L: 25, 75, 50
#   Bürgerbüro  M: 50, 0, 50 (12/4)                 F: 50, 25, 87.5 (27/6)
#               K: 50, 75, – (none)                  L: 50, 100, 50 (18/6)
GROUP_SCORES = {
    "Bauamt": {
        "motivation": (75 + 250 / 3 + 125 / 3) / 3,  # 66.67
        "fuehrung": (100 + 50 + 200 / 3) / 3,  # 72.22
        "kompetenz": None,  # two scores (75), fewer than k = 3: hidden
        "lernerfolg": (25 + 75 + 50) / 3,  # 50
    },
    "Bürgerbüro & Standesamt": {
        "motivation": (50 + 0 + 50) / 3,  # 33.33
        "fuehrung": (50 + 25 + 87.5) / 3,  # 54.17
        "kompetenz": None,  # two scores (62.5): hidden
        "lernerfolg": (50 + 100 + 50) / 3,  # 66.67
    },
}
ORG_SCORES = {
    "motivation": 300 / 6,  # 50
    "fuehrung": (312.5 + 200 / 3) / 6,  # 63.19
    "kompetenz": 275 / 4,  # 68.75
    "lernerfolg": 350 / 6,  # 58.33
}
DIM_N = {"motivation": 6, "fuehrung": 6, "kompetenz": 4, "lernerfolg": 6}


def _filled(lang: str, groups: list[str] | None = None) -> bytes:
    wb = _book(template_xlsx(lang, groups=groups, instrument=V1))
    ws = wb.worksheets[0]
    column = {c.value: c.column for c in ws[1]}
    for row, (group, answers) in enumerate(RESPONDENTS, start=2):
        ws.cell(row=row, column=column[GROUP_HEADER[lang]], value=group)
        for prefix, values in answers.items():
            for number, value in enumerate(values, start=1):
                if value is not None:
                    ws.cell(row=row, column=column[f"{prefix}{number}"], value=value)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("lang", "groups"),
    [("de", None), ("en", None), ("de", ["Bauamt", "Bürgerbüro & Standesamt", "Kämmerei"])],
)
def test_filled_template_round_trip_gives_hand_computed_scores(lang, groups):
    data = _filled(lang, groups)
    survey = read_survey(data, file_name="x.xlsx")  # the reader tells version 1.0 by the columns
    assert survey.instrument == V1
    report = survey.report
    assert report.file_format == "xlsx"
    assert report.sheet == SHEETS[lang][0]  # not the questionnaire or list sheet
    assert report.header_row == 1
    assert report.group_column == GROUP_HEADER[lang]
    assert report.rows_read == 6
    assert set(report.matched_columns) == set(V1.item_ids)
    assert report.missing_items == [] and report.unmatched_columns == []
    assert report.invalid_count == 0 and report.invalid_cells == []
    assert list(survey.rows) == [2, 3, 4, 5, 6, 7]

    analysis = analyse(survey, 3)
    assert analysis.result.to_json()["respondents"] == 6
    assert not [p for p in analysis.result.to_json()["problems"] if p["severity"] in ("error", "warning")]
    org = analysis.organisation
    for key in DIMENSION_KEYS:
        assert org.dimensions[key].score == pytest.approx(ORG_SCORES[key])
        assert org.dimensions[key].n == DIM_N[key]
    assert set(analysis.groups) == set(GROUP_SCORES)
    for group, expected in GROUP_SCORES.items():
        for key, score in expected.items():
            cell = analysis.groups[group].dimensions[key]
            assert cell.score == pytest.approx(score) if score is not None else cell.hidden == "min_size"
    assert analysis.groups["Bauamt"].dimensions["motivation"].score == pytest.approx(
        66.6667, abs=1e-4
    )
    assert org.dimensions["fuehrung"].score == pytest.approx(63.1944, abs=1e-4)


@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_default_template_is_read_back_as_version_2(lang):
    """Every statement answered 4, the reversed ones (M8, F6, K6, L6) 2: each
    dimension (4 − 1) × 25 = 75 only when version 2.0's keys are used."""
    wb = _book(template_xlsx(lang))
    ws = wb.worksheets[0]
    reverse = {"M8", "F6", "K6", "L6"}
    for row in (2, 3, 4):
        for col, item_id in enumerate(IDS, start=2):
            ws.cell(row=row, column=col, value=2 if item_id in reverse else 4)
    buffer = io.BytesIO()
    wb.save(buffer)
    survey = read_survey(buffer.getvalue(), file_name="x.xlsx")
    assert survey.instrument.version == "2.0" and survey.report.missing_items == []
    org = analyse(survey, 3).organisation
    assert {key: org.dimensions[key].score for key in DIMENSION_KEYS} == dict.fromkeys(DIMENSION_KEYS, 75.0)


@pytest.mark.parametrize("lang", ["de", "en"])
def test_blank_template_reads_as_header_without_rows(lang):
    data = template_xlsx(lang, groups=["Bauamt"])
    assert list_columns(data, file_name="x.xlsx") == [GROUP_HEADER[lang], *IDS]
    survey = read_survey(data, file_name="x.xlsx")
    assert survey.report.sheet == SHEETS[lang][0]
    assert survey.n_rows == 0 and survey.report.invalid_count == 0
    assert survey.report.missing_items == []


# --------------------------------------------------------------------------- PDF


@pytest.fixture(scope="module", params=["de", "en"])
def pdf(request):
    lang = request.param
    reader = PdfReader(io.BytesIO(template_pdf(lang)))
    return lang, [page.extract_text() for page in reader.pages]


def test_pdf_contains_every_statement_and_the_scale(pdf):
    lang, pages = pdf
    text = _squash("\n".join(pages))
    for item in INSTRUMENT.items:
        assert _squash(item.text(lang)) in text, item.id
    for label in INSTRUMENT.scale.labels(lang):
        assert _squash(label) in text
    for dim in INSTRUMENT.dimensions:
        assert _squash(dim.name(lang)) in text
    other = "en" if lang == "de" else "de"
    for item_id in ("M7", "F6", "L8"):  # no text of the other language
        assert _squash(INSTRUMENT.item(item_id).text(other)) not in text


def test_pdf_instructions_and_department_field(pdf):
    lang, pages = pdf
    first = _squash(pages[0])
    if lang == "de":
        words = ["LEARN-Selbstcheck", "anonym", "freiwillig", "genaueinKreuz",
                 "„trifftgarnichtzu“bis„trifftvollzu“", "mindestens5Antworten",
                 "MeineAbteilung:"]
    else:
        words = ["LEARNself-check", "anonymous", "voluntary", "exactlyonecross",
                 "“stronglydisagree”to“stronglyagree”", "atleast5responses", "Mydepartment:"]
    for word in words:
        assert word in first, word


def test_pdf_page_numbers(pdf):
    lang, pages = pdf
    n = len(pages)
    assert n == 3  # intro + motivation, leadership + competence, learning success
    for number, page in enumerate(pages, start=1):
        footer = f"Seite {number} von {n}" if lang == "de" else f"Page {number} of {n}"
        assert footer in page


def test_pdf_keeps_each_dimension_on_one_page(pdf):
    lang, pages = pdf
    for dim in INSTRUMENT.dimensions:
        holding = [
            i for i, page in enumerate(pages)
            if all(_squash(it.text(lang)) in _squash(page) for it in INSTRUMENT.items_of(dim.key))
        ]
        assert len(holding) == 1, dim.key
        assert _squash(dim.name(lang)) in _squash(pages[holding[0]])


def test_pdf_follows_an_own_instrument():
    keep = ("M1", "M7", "F1", "F8", "K2", "K4", "L7", "L6")
    items = tuple(i for i in INSTRUMENT.items if i.id in keep)
    own = dataclasses.replace(INSTRUMENT, items=items)
    reader = PdfReader(io.BytesIO(template_pdf(instrument=own)))
    text = _squash("".join(p.extract_text() for p in reader.pages))
    assert _squash(INSTRUMENT.item("K4").text()) in text
    assert _squash(INSTRUMENT.item("K5").text()) not in text
