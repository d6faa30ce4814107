"""Exports as the survey tools write them (built in code): each is scored
exactly like the clean file or refused with one sentence; summary and note
rows never count; no column is scored from half-decoded answers.

Formats as the tools document them: Qualtrics' CSV has three header rows
(export tags, question texts "Frage - Aussage", ``{"ImportId": "QID1_1"}``);
SurveyMonkey's two (the question over a grid, then the statements; "Response"
under a single question); LimeSurvey's headers are "CODE[SUBCODE]" or
"CODE[SUBCODE]. text" and its answer codes A1 … without a label export;
Google Forms grids are "Frage [Zeile]".
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from learn_core.reading import ReadError, read_survey, survey_from_frame
from learn_core.reading.labels import UnknownAnswersError
from tests.reading.fixtures_reading import (
    INSTRUMENT,
    ITEMS,
    answers,
    csv_text,
    ods_bytes,
    xlsx_bytes,
)

VALUES, GROUPS = answers(40)
TEXT_DE = {it.id: it.text_de for it in INSTRUMENT.items}
QUALTRICS = ["Strongly disagree", "Somewhat disagree", "Neither agree nor disagree", "Somewhat agree",
             "Strongly agree"]
SURVEYMONKEY = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"]
MS_FORMS_DE = ["Stimme überhaupt nicht zu", "Stimme nicht zu", "Neutral", "Stimme zu", "Stimme voll und ganz zu"]
GOOGLE_DE = ["1 (trifft gar nicht zu)", "2", "3", "4", "5 (trifft voll zu)"]
SCALE_DE = ["trifft gar nicht zu", "trifft eher nicht zu", "teils/teils", "trifft eher zu", "trifft voll zu"]


def answer(v: float, labels=None):
    if np.isnan(v):
        return None
    return labels[int(v) - 1] if labels else int(v)


def body(labels=None, lead=()):
    """One row per respondent: the ``lead`` cells (functions of the row), the group, the 24 answers."""
    return [[*(f(i) for f in lead), g, *(answer(v, labels) for v in vals)]
            for i, (g, vals) in enumerate(zip(GROUPS, VALUES, strict=True))]


def read(data: bytes, name: str, **kw):
    return read_survey(data, file_name=name, instrument=INSTRUMENT, **kw)


def assert_clean(survey):
    pd.testing.assert_frame_equal(survey.answers, pd.DataFrame(VALUES, columns=list(ITEMS)))
    assert list(survey.groups) == GROUPS


# --------------------------------------------------------------------------- the tools' shapes


def qualtrics():
    tags = ["StartDate", "ResponseId", "Q2", *[f"Q1_{k + 1}" for k in range(24)]]
    texts = ["Start Date", "Response ID", "In welcher Abteilung arbeiten Sie?",
             *[f"Wie sehr stimmen Sie den folgenden Aussagen zu? - {TEXT_DE[i]}" for i in ITEMS]]
    ids = ['{"ImportId":"startDate","timeZone":"Europe/Berlin"}', '{"ImportId":"_recordId"}',
           '{"ImportId":"QID2"}', *[f'{{"ImportId":"QID1_{k + 1}"}}' for k in range(24)]]
    lead = (lambda i: "2026-11-03 09:00:00", lambda i: f"R_{i:05d}")
    rows = [tags, texts, ids, *body(QUALTRICS, lead)]
    return csv_text(rows, ",").encode("utf-8-sig"), "qualtrics.csv", "In welcher Abteilung arbeiten Sie?"


def surveymonkey():
    first = ["Respondent ID", "Collector ID", "Start Date", "In welcher Abteilung arbeiten Sie?",
             "Wie sehr stimmen Sie den folgenden Aussagen zu?", *[""] * 23]
    second = ["", "", "", "Response", *[TEXT_DE[i] for i in ITEMS]]
    lead = (lambda i: 114000000 + i, lambda i: 4300000, lambda i: "11/03/2026 09:00:00 AM")
    return xlsx_bytes([first, second, *body(SURVEYMONKEY, lead)]), "surveymonkey.xlsx", \
        "In welcher Abteilung arbeiten Sie?"


def merged_header():
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Abteilung", "Bitte bewerten Sie die Aussagen"])
    ws.append([None, *ITEMS])
    for row in body():
        ws.append(row)
    ws.merge_cells("A1:A2")
    ws.merge_cells("B1:Y1")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue(), "zusammengefasst.xlsx", "Abteilung"


def google_numbers_with_labels():
    headers = ["Zeitstempel", "Abteilung", *[f"Wie sehr trifft das zu? [{TEXT_DE[i]}]" for i in ITEMS]]
    return xlsx_bytes([headers, *body(GOOGLE_DE, (lambda i: "03.11.2026 09:00:00",))]), "google.xlsx", "Abteilung"


def labels_in_every_arrangement():
    forms = [lambda c, t: f"{t} ({c})", lambda c, t: f"{c} - {t}", lambda c, t: f"{c} = {t}",
             lambda c, t: f"({c}) {t}", lambda c, t: f"{c}: {t}"]
    rows = [["Abteilung", *ITEMS]]
    for r, (g, vals) in enumerate(zip(GROUPS, VALUES, strict=True)):
        form = forms[r % len(forms)]
        rows.append([g, *(None if np.isnan(v) else form(int(v), SCALE_DE[int(v) - 1]) for v in vals)])
    return csv_text(rows, ";").encode("utf-8"), "beschriftet.csv", "Abteilung"


def ms_forms_german_default():
    headers = ["ID", "Abteilung", *[f"Bitte bewerten Sie.{TEXT_DE[i]}" for i in ITEMS]]
    return xlsx_bytes([headers, *body(MS_FORMS_DE, (lambda i: i + 1,))]), "forms.xlsx", "Abteilung"


def ids_as_tokens():
    styles = [lambda i: f"LEARN[{i}]. Eigene Formulierung der Aussage", lambda i: f"LEARN_{i}",
              lambda i: f"{i} Aussage zur Lernkultur", lambda i: i, lambda i: f"{i}\n{TEXT_DE[i]}",
              lambda i: f"Bitte bewerten Sie: {TEXT_DE[i]} (Pflichtfrage)"]
    headers = ["Abteilung", *[styles[k % len(styles)](i) for k, i in enumerate(ITEMS)]]
    return xlsx_bytes([headers, *body()]), "codes.xlsx", "Abteilung"


def summary_rows_below():
    rows = [["Abteilung", *ITEMS], *body()]
    rows += [["Mittelwert", *[3.2] * 24], ["Median", *[3] * 24], ["Anzahl", *[40] * 24], ["Gesamt", *[3] * 24],
             ["Std. Abw.", *[1.4] * 24], [], ["Quelle: Personalbefragung 2026"], ["Erstellt mit LimeSurvey"]]
    return xlsx_bytes(rows), "mit-statistik.xlsx", "Abteilung"


def summary_row_above_in_ods():
    rows = [["Abteilung", *ITEMS], ["Anzahl", *[40] * 24], *body(), ["Summe", *[120] * 24]]
    return ods_bytes(rows), "libreoffice.ods", "Abteilung"


def legend_and_summary_sheets_first():
    from openpyxl import Workbook

    wb = Workbook()
    legend = wb.active
    legend.title = "Legende"
    legend.append(["Item", "Aussage"])
    for i in ITEMS:
        legend.append([i, TEXT_DE[i]])
    summary = wb.create_sheet("Auswertung")
    summary.append(["Kennzahl", *ITEMS])
    summary.append(["Mittelwert", *[3.1] * 24])
    data = wb.create_sheet("Daten")
    data.append(["Abteilung", *ITEMS])
    for row in body():
        data.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue(), "mappe.xlsx", "Abteilung"


SHAPES = {f.__name__: f for f in [qualtrics, surveymonkey, merged_header, google_numbers_with_labels,
                                   labels_in_every_arrangement, ms_forms_german_default, ids_as_tokens,
                                   summary_rows_below, summary_row_above_in_ods, legend_and_summary_sheets_first]}


@pytest.mark.parametrize("shape", list(SHAPES))
def test_every_tool_export_reads_exactly_like_the_clean_file(shape):
    data, name, group = SHAPES[shape]()
    survey = read(data, name)
    assert_clean(survey)
    assert survey.report.invalid_count == 0
    assert survey.report.group_column == group
    assert survey.report.respondents == 40


def test_qualtrics_header_rows_are_one_header_and_give_no_warnings():
    data, name, _ = qualtrics()
    report = read(data, name).report
    assert report.header_rows == [1, 2, 3] and report.rows_read == 40
    assert [p for p in report.problems() if p.severity == "warning"] == []


@pytest.mark.parametrize(("shape", "column"), [(qualtrics, "Q2"), (surveymonkey, "In welcher Abteilung arbeiten Sie?"),
                                              (merged_header, "Abteilung")])
def test_group_column_option_finds_the_department_in_a_header_over_rows(shape, column):
    data, name, _ = shape()
    survey = read(data, name, group_column=column)
    assert list(survey.groups) == GROUPS


def test_the_sheet_with_the_respondent_table_is_read_and_the_others_named():
    data, name, _ = legend_and_summary_sheets_first()
    report = read(data, name).report
    assert report.sheet == "Daten" and report.other_sheets == ["Legende", "Auswertung"]
    assert any("Ausgewertet wurde das Tabellenblatt „Daten“" in p.message and "„Legende“" in p.message
               for p in report.problems())
    chosen = read(data, name, sheet="Auswertung").report  # read as asked: its one row is a statistic
    assert (chosen.sheet, chosen.respondents, chosen.summary_rows_skipped) == ("Auswertung", 0, 1)


def test_summary_and_note_rows_are_listed_with_their_reason():
    data, name, _ = summary_rows_below()
    report = read(data, name).report
    left = [(r.row, r.reason, r.text) for r in report.left_out_rows]
    assert left == [(42, "summary", "Mittelwert"), (43, "summary", "Median"), (44, "summary", "Anzahl"),
                    (45, "summary", "Gesamt"), (46, "summary", "Std. Abw."),
                    (48, "note", "Quelle: Personalbefragung 2026"), (49, "note", "Erstellt mit LimeSurvey")]
    assert (report.rows_read, report.summary_rows_skipped, report.note_rows_skipped) == (40, 5, 2)


def test_a_summary_row_changes_no_figure_hand_computed():
    """Five respondents answer 4 to M1–M5 and 2 to the reversed M6 (→ 4): Motivation
    (4 − 1) × 25 = 75 with n = 5. A "Median" row of 1s in department "Gesamt" would
    make it (5 × 75 + 0) / 6 = 62.5 with n = 6 and add a group of one."""
    from learn_core.analysis import analyse

    person = [4, 4, 4, 4, 4, 2] + [3] * 18
    rows = [["Abteilung", *ITEMS], *[["Bauamt", *person] for _ in range(5)], ["Gesamt", *[1] * 24],
            ["Median", *[1] * 24]]
    result = analyse(read(csv_text(rows, ";").encode(), "x.csv"), 5).result.to_json()
    motivation = result["organisation"]["dimensions"]["motivation"]
    assert (motivation["n"], motivation["score"]) == (5, 75.0)
    assert list(result["groups"]) == ["Bauamt"] and result["hidden_groups"] == []
    assert [r["reason"] for r in result["left_out_rows"]] == ["summary", "summary"]


def test_a_respondent_called_max_is_no_summary_row_without_statistics_beside_it():
    rows = [["Name", "M1"], ["Max", 4], ["Anna", 5]]
    assert read(csv_text(rows, ";").encode(), "x.csv").report.respondents == 2
    rows += [["Mittelwert", 4.5], ["Max", 5]]
    report = read(csv_text(rows, ";").encode(), "x.csv").report
    assert report.respondents == 2 and [r.row for r in report.left_out_rows] == [4, 5]


# --------------------------------------------------------------------------- answers that are not decoded by themselves


def _limesurvey_codes() -> bytes:
    rows = [["id", "Abteilung", *[f"LEARN[{i}]" for i in ITEMS]]]
    rows += body([f"A{k}" for k in range(1, 6)], (lambda i: i + 1,))
    return csv_text(rows, ",").encode()


def test_limesurvey_answer_codes_are_refused_naming_column_and_codes():
    with pytest.raises(UnknownAnswersError) as caught:
        read(_limesurvey_codes(), "results.csv")
    message = str(caught.value)
    assert message.startswith("Die Spalte „LEARN[M1]“ und 23 weitere Spalten enthalten Antworten")
    assert "„A" in message and "LimeSurvey" in message and "--answer-map" in message
    assert sorted(caught.value.labels["LEARN[M1]"]) == ["A1", "A2", "A3", "A4", "A5"]


def test_limesurvey_answer_codes_with_a_map_read_like_the_clean_file():
    survey = read(_limesurvey_codes(), "results.csv", answer_map={f"A{k}": k for k in range(1, 6)})
    assert_clean(survey)


def test_an_unknown_scale_is_refused_and_read_with_its_map():
    scale = ["gar nicht", "wenig", "mittelmäßig", "ziemlich", "völlig"]
    data = csv_text([["Abteilung", *ITEMS], *body(scale)], ";").encode()
    with pytest.raises(UnknownAnswersError, match="„gar nicht“"):
        read(data, "x.csv")
    assert_clean(read(data, "x.csv", answer_map={t: k for k, t in enumerate(scale, start=1)}))


def test_a_partly_known_scale_is_never_scored_partly():
    # "Somewhat agree" is known, "Slightly agree" is not: the column must not be scored from the rest
    rows = [["M1"], *[["Somewhat agree"]] * 5, *[["Slightly agree"]] * 3]
    with pytest.raises(UnknownAnswersError, match="„Slightly agree“"):
        read(csv_text(rows, ";").encode(), "x.csv")


def test_two_labels_for_one_point_in_a_column_are_refused():
    # "Stimme zu" is 4 on the MS Forms scale, but beside "Stimme eher zu" it is the top of another scale
    rows = [["M1"], ["Stimme eher zu"], ["Stimme zu"], ["Stimme eher zu"], ["Stimme zu"]]
    with pytest.raises(UnknownAnswersError, match="„Stimme eher zu“"):
        read(csv_text(rows, ";").encode(), "x.csv")


def test_a_number_with_the_label_of_another_point_is_not_taken():
    rows = [["M1"], *[["1 (trifft voll zu)"]] * 3, ["5 (trifft gar nicht zu)"], ["5 (trifft gar nicht zu)"]]
    with pytest.raises(UnknownAnswersError):
        read(csv_text(rows, ";").encode(), "x.csv")


def test_one_respondent_with_answer_codes_is_refused_too():
    # each code once per column, but the same codes in several columns: never exit 0 without figures
    rows = [["M1", "M2", "M3"], ["A1", "A1", "A4"]]
    with pytest.raises(UnknownAnswersError, match="„A1“"):
        read(csv_text(rows, ";").encode(), "x.csv")


def test_a_lone_typo_stays_an_invalid_cell():
    rows = [["M1"], ["trifft eher zu"], ["trift eher zu"], ["trifft voll zu"]]
    report = read(csv_text(rows, ";").encode(), "x.csv").report
    assert (report.respondents, report.invalid_count) == (2, 1)
    assert report.invalid_cells[0].value == "trift eher zu"


# --------------------------------------------------------------------------- refusals name what is there


def test_no_item_column_names_the_columns_that_exist():
    rows = [["ID", "Frage 1", "Frage 2"], [1, 3, 4]]
    with pytest.raises(ReadError, match="vorhanden sind die Spalten „ID“, „Frage 1“, „Frage 2“"):
        read(csv_text(rows, ";").encode(), "x.csv")


def test_no_sheet_with_items_names_the_sheets_and_the_option():
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "Deckblatt"
    wb.active.append(["Titel", "Datum"])
    wb.create_sheet("Rohdaten").append(["ID", "Q1"])
    buf = io.BytesIO()
    wb.save(buf)
    with pytest.raises(ReadError, match=r"Blätter: „Deckblatt“, „Rohdaten“.*„Titel“, „Datum“.*--sheet NAME"):
        read(buf.getvalue(), "x.xlsx")


def test_an_unknown_group_column_names_the_columns():
    with pytest.raises(ReadError, match="„Amt“ gibt es in der Tabelle nicht; vorhanden sind die Spalten „Abteilung“"):
        read(csv_text([["Abteilung", "M1"], ["A", 3]], ";").encode(), "x.csv", group_column="Amt")


# --------------------------------------------------------------------------- the rule for any file

KINDS = st.sampled_from(["respondent", "summary", "blank", "no_answer", "note_text"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(KINDS, st.integers(1, 5), st.sampled_from(["A", "B", "Gesamt"])), min_size=1,
                max_size=30))
def test_every_row_is_scored_or_listed_with_its_reason(spec):
    labels = {"summary": ["Mittelwert", "Summe", "Total", "Median", "Anzahl"]}
    cells = []
    for k, (kind, value, group) in enumerate(spec):
        if kind == "respondent":
            cells.append([f"ID{k}", group, value, value])
        elif kind == "summary":
            cells.append([labels["summary"][k % 5], None, value, float(value) + 0.5])
        elif kind == "blank":
            cells.append([None, None, None, None])
        elif kind == "no_answer":
            cells.append([f"ID{k}", group, None, None])
        else:
            cells.append([f"Hinweis {k}", None, None, None])
    frame = pd.DataFrame(cells, columns=["ID", "Abteilung", "M1", "M2"], dtype=object)
    survey = survey_from_frame(frame, INSTRUMENT, row_numbers=np.arange(2, 2 + len(cells)))
    report = survey.report
    numbers = np.arange(2, 2 + len(cells))
    with_content = {int(n) for n, (kind, _, _) in zip(numbers, spec, strict=True) if kind != "blank"}
    scored = {int(r) for r in survey.rows[survey.answers.notna().any(axis=1).to_numpy()]}
    left = [r.row for r in report.left_out_rows]
    assert len(left) == len(set(left)) and not scored & set(left)
    assert scored | set(left) == with_content
    summary_rows = {int(n) for n, (kind, _, _) in zip(numbers, spec, strict=True) if kind == "summary"}
    assert {r.row for r in report.left_out_rows if r.reason == "summary"} == summary_rows
    assert not summary_rows & {int(r) for r in survey.rows}  # never a respondent or a group member
    assert {r.reason for r in report.left_out_rows} <= {"summary", "note", "no_answer"}
    assert report.respondents == len(scored) == sum(1 for kind, _, _ in spec if kind == "respondent")


@pytest.mark.parametrize(("header", "expected"), [
    ("LEARN[M1]. Eigene Formulierung", "M1"), ("LEARN_F2", "F2"), ("learn.k3", "K3"), ("L4 Aussage zum Lernen", "L4"),
    ("M1\nIch lerne gern Neues für meine Arbeit.", "M1"), ("Frage 7 - Ich lerne gern Neues für meine Arbeit. *", "M1"),
    ("M10", None), ("HM1", None), ("m1@amt.de", None), ("Anmerkungen zu M1", None), ("Kommentar", None),
    # two statements in one header name no single item
    ("Bitte: Ich lerne gern Neues für meine Arbeit. und Ich bringe eigene Ideen ein. (beides)", None),
])
def test_item_ids_and_statements_are_found_as_tokens(header, expected):
    from learn_core.reading.columns import header_text, match_item

    assert match_item(header_text(header), INSTRUMENT) == expected
