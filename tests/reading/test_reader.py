"""The reader: every export shape scores like a clean file, bad files give
one German sentence, and nothing but ReadError ever comes out."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from learn_core.reading import (
    ReadError,
    limits,
    list_columns,
    read_survey,
    sheet_names,
    survey_from_frame,
)
from learn_core.reading.survey import NO_GROUP
from tests.reading.fixtures_reading import (
    INSTRUMENT,
    ITEMS,
    LABELS_EN,
    answers,
    csv_text,
    instrument_dict,
    ods_bytes,
    ole_bytes,
    xls_bytes,
    xlsx_bytes,
    xlsx_raw,
)

ROOT = Path(__file__).resolve().parents[2]
VALUES, GROUPS = answers(40)
TEXT_DE = {it.id: it.text_de for it in INSTRUMENT.items}
TEXT_EN = {it.id: it.text_en for it in INSTRUMENT.items}
MS_LABELS = ["Stimme überhaupt nicht zu", "Stimme eher nicht zu", "Teils/teils", "Stimme eher zu",
             "Stimme voll und ganz zu"]


def cell(v: float, labels: list[str] | None = None, as_text: bool = False):
    if np.isnan(v):
        return None
    if labels:
        return labels[int(v) - 1]
    return str(int(v)) if as_text else int(v)


def table(headers: list[str], *, labels=None, as_text=False, extra=None, group_header="Abteilung") -> list[list]:
    """Header row plus one row per respondent; ``extra`` adds leading columns."""
    extra = extra or {}
    rows = [[*extra, group_header, *headers]]
    for i, (g, vals) in enumerate(zip(GROUPS, VALUES, strict=True)):
        rows.append([*(f(i) for f in extra.values()), g, *(cell(v, labels, as_text) for v in vals)])
    return rows


def read(data: bytes, name: str, **kw):
    return read_survey(data, file_name=name, instrument=INSTRUMENT, **kw)


def assert_same_as_clean(survey) -> None:
    expected = pd.DataFrame(VALUES, columns=list(ITEMS))
    pd.testing.assert_frame_equal(survey.answers, expected)
    assert list(survey.groups) == GROUPS


# --------------------------------------------------------------------------- export shapes

MS_FORMS = {
    "ID": lambda i: i + 1,
    "Startzeit": lambda i: "11/3/26 9:01:00",
    "Fertigstellungszeit": lambda i: "11/3/26 9:07:00",
    "E-Mail": lambda i: "anonymous",
    "Name": lambda i: "",
}


def shape_ms_forms():
    headers = [f"Wie sehr stimmen Sie den folgenden Aussagen zu?.{TEXT_DE[i]}" for i in ITEMS]
    return xlsx_bytes(table(headers, labels=MS_LABELS, extra=MS_FORMS), title="Form1"), "Antworten.xlsx"


def shape_google_forms():
    headers = [f"How much do you agree? [{TEXT_EN[i]}]" for i in ITEMS]
    extra = {"Zeitstempel": lambda i: "2026/11/03 9:01:00 AM OEZ"}
    return xlsx_bytes(table(headers, labels=[lab.title() for lab in LABELS_EN], extra=extra)), "google.xlsx"


def shape_limesurvey():
    extra = {"id": lambda i: i + 1, "submitdate": lambda i: "2026-11-03 09:00:00", "lastpage": lambda i: 3}
    rows = table([f"LEARN[{i}]" for i in ITEMS], extra=extra)
    out = io.StringIO()
    csv.writer(out, quoting=csv.QUOTE_ALL).writerows(
        [["" if v is None else v for v in row] for row in rows]
    )
    return out.getvalue().encode("utf-8"), "results-survey123.csv"


def shape_german_excel_csv():
    rows = table(list(ITEMS))
    rows = [rows[0]] + [[r[0], *(None if v is None else float(v) for v in r[1:])] for r in rows[1:]]
    return csv_text(rows, ";", decimal_comma=True).encode("cp1252"), "umfrage.csv"


def shape_unicode_text():
    return csv_text(table(list(ITEMS), as_text=True), "\t").encode("utf-16"), "umfrage.txt"


def shape_title_rows():
    rows = [["LEARN-Selbstcheck Beispielstadt 2026"], [], *table(list(ITEMS))]
    return xlsx_bytes(rows), "titel.xlsx"


def shape_leading_empty():
    return xlsx_bytes(table(list(ITEMS)), start_row=4, start_col=3, sheets_before=1), "versetzt.xlsx"


def shape_codes_and_numbering():
    styles = [lambda i: f" {i.lower()} ", lambda i: f"{i} - {TEXT_DE[i]}", lambda i: f"{i}: {TEXT_DE[i]}",
              lambda i: f"{TEXT_DE[i]} ({i})", lambda i: f"{ITEMS.index(i) + 1}. „{TEXT_DE[i].upper()}“"]
    headers = [styles[k % len(styles)](i) for k, i in enumerate(ITEMS)]
    return csv_text(table(headers), ",").encode("utf-8"), "codes.csv"


def shape_ods():
    return ods_bytes(table(list(ITEMS))), "umfrage.ods"


def shape_xls():
    return xls_bytes(table(list(ITEMS))), "umfrage.xls"


def shape_pipe_bom():
    return csv_text(table(list(ITEMS), as_text=True), "|").encode("utf-8-sig"), "pipe.csv"


def shape_misnamed_csv():
    data, _ = shape_german_excel_csv()
    return data, "eigentlich-csv.xlsx"


def shape_misnamed_xlsx():
    return xlsx_bytes(table(list(ITEMS))), "eigentlich-excel.csv"


SHAPES = {f.__name__[6:]: f for f in [
    shape_ms_forms, shape_google_forms, shape_limesurvey, shape_german_excel_csv, shape_unicode_text,
    shape_title_rows, shape_leading_empty, shape_codes_and_numbering, shape_ods, shape_xls, shape_pipe_bom,
    shape_misnamed_csv, shape_misnamed_xlsx,
]}


@pytest.mark.parametrize("shape", list(SHAPES))
def test_every_export_shape_reads_like_the_clean_file(shape):
    data, name = SHAPES[shape]()
    survey = read(data, name)
    assert_same_as_clean(survey)
    assert survey.report.invalid_count == 0
    assert survey.report.missing_items == []
    assert survey.report.group_column == "Abteilung"


@pytest.mark.skipif(
    not (ROOT / "learn_core" / "data" / "recommendations.toml").exists(), reason="catalogue not there yet"
)
@pytest.mark.parametrize("shape", list(SHAPES))
def test_every_export_shape_scores_exactly_like_the_clean_file(shape):
    from learn_core.analysis import analyse

    clean = analyse(survey_from_frame(pd.DataFrame(table(list(ITEMS))[1:], columns=table(list(ITEMS))[0]),
                                      INSTRUMENT))
    data, name = SHAPES[shape]()
    result = analyse(read(data, name)).result.to_json()
    assert result["organisation"] == clean.result.to_json()["organisation"]
    assert result["groups"] == clean.result.to_json()["groups"]


def test_report_of_a_ms_forms_export():
    survey = read(*shape_ms_forms())
    report = survey.report
    assert report.file_format == "xlsx" and report.sheet == "Form1" and report.header_row == 1
    assert report.unmatched_columns == list(MS_FORMS)
    assert report.rows_read == 40 and report.respondents == 40
    assert report.matched_columns["M1"].endswith(TEXT_DE["M1"])


def test_csv_report_names_encoding_and_delimiter():
    report = read(*shape_german_excel_csv()).report
    assert (report.file_format, report.encoding, report.delimiter) == ("csv", "cp1252", ";")
    assert read(*shape_unicode_text()).report.encoding == "utf-16"


def test_sheet_option_and_sheet_names():
    data, _ = shape_leading_empty()
    assert sheet_names(data) == ["Info1", "Antworten"]
    assert_same_as_clean(read(data, "x.xlsx", sheet="Antworten"))
    with pytest.raises(ReadError, match="Tabellenblatt „Fehlt“"):
        read(data, "x.xlsx", sheet="Fehlt")
    assert sheet_names(shape_limesurvey()[0]) == []


def test_list_columns_gives_the_detected_header():
    data, _ = shape_title_rows()
    assert list_columns(data, instrument=INSTRUMENT) == ["Abteilung", *ITEMS]


# --------------------------------------------------------------------------- rows and cells


def test_invalid_cells_keep_the_spreadsheet_row_number():
    rows = [["Umfrage 2026"], [], *table(list(ITEMS))]
    rows[2 + 3][1] = "abc"  # respondent 3, item M1
    rows[2 + 5][24] = 6  # respondent 5, item L6
    rows[2 + 7][2] = 3.5
    data = xlsx_bytes(rows, start_row=3, start_col=2)  # title in B3, header in B5
    survey = read(data, "x.xlsx")
    assert survey.report.header_row == 5
    cells = {(c.row, c.column, c.value) for c in survey.report.invalid_cells}
    assert cells == {(8, "M1", "abc"), (10, "L6", "6"), (12, "M2", "3.5")}
    assert np.isnan(survey.answers.loc[3 - 1, "M1"])
    assert list(survey.rows[:3]) == [6, 7, 8]
    messages = [p.message for p in survey.report.problems() if p.row == 8]
    assert messages == ["Ungültige Antwort „abc“ – als fehlend gewertet."]


def test_csv_rows_count_blank_lines_and_title_rows():
    text = "Befragung LEARN\r\nAbteilung;M1;M2\r\nBauamt;5;4\r\n\r\nAmt 2;x;3\r\n;;\r\n"
    survey = read(text.encode(), "x.csv")
    assert list(survey.rows) == [3, 5]
    assert [(c.row, c.column) for c in survey.report.invalid_cells] == [(5, "M1")]
    assert survey.report.rows_read == 2


def test_ragged_csv_rows_are_read_not_dropped():
    text = "Abteilung;M1;M2\nBauamt;5;4;Kommentar\nAmt;3\n"
    survey = read(text.encode(), "x.csv")
    assert survey.answers[["M1", "M2"]].to_numpy().tolist() == [[5, 4], [3, np.nan]] or np.array_equal(
        survey.answers[["M1", "M2"]].to_numpy(), [[5, 4], [3, np.nan]], equal_nan=True
    )
    assert list(survey.groups) == ["Bauamt", "Amt"]


def test_many_invalid_cells_are_grouped_per_column():
    text = "M1;M2\n" + "7;5\n" * 60  # out of range: invalid, not an unknown label
    problems = read(text.encode(), "x.csv").report.problems()
    grouped = [p for p in problems if p.column == "M1"]
    assert len(grouped) == 1 and grouped[0].message.startswith("60 ungültige Antworten")


def test_rows_without_any_content_are_not_counted_but_rows_without_answers_are():
    text = "Abteilung;Kommentar;M1\n;;\nBauamt;;5\n;nur Kommentar;\n;;k.A.\n"
    report = read(text.encode(), "x.csv").report
    assert (report.rows_read, report.respondents, report.empty_rows_skipped) == (3, 1, 2)
    assert [(r.row, r.reason) for r in report.left_out_rows] == [(4, "no_answer"), (5, "no_answer")]


# --------------------------------------------------------------------------- columns


def test_two_columns_for_one_item_make_the_file_unusable():
    data = xlsx_bytes([["M1", "Abteilung", "m1 "], [5, "A", 4]], start_col=2)
    with pytest.raises(ReadError, match=r"M1 steht in zwei Spalten, „M1“ \(Spalte B\) und „m1“ \(Spalte D\)"):
        read(data, "x.xlsx")


@pytest.mark.parametrize(
    "header",
    ["Team", "E-Mail", "m1@stadt.de", "M10", "HM1", "M1x", "Frage M1 zwei", "Startzeit", "Kommentar"],
)
def test_no_false_item_matches(header):
    survey = read(f"{header};M2\n5;5\n".encode(), "x.csv")
    assert "M1" in survey.report.missing_items


def test_group_column_detection_and_choice():
    text = "Nr;Fachbereich;Team;M1\n1;10;A;5\n2;;B;4\n3;10.0;A;3\n"
    survey = read(text.encode(), "x.csv")
    assert survey.report.group_column == "Fachbereich"
    assert list(survey.groups) == ["10", NO_GROUP, "10"]
    assert list(read(text.encode(), "x.csv", group_column="team").groups) == ["A", "B", "A"]
    with pytest.raises(ReadError, match="Gruppenspalte „Ort“"):
        read(text.encode(), "x.csv", group_column="Ort")
    assert read(b"M1;M2\n5;4\n", "x.csv").groups is None


def test_group_cells_are_data_not_markup():
    text = 'Abteilung;M1\n"=HYPERLINK(""x"")";5\n<b>Amt</b>;4\n'
    assert list(read(text.encode(), "x.csv").groups) == ['=HYPERLINK("x")', "<b>Amt</b>"]


def test_column_map_assigns_unknown_headers():
    text = "Frage eins;Frage zwei\n5;4\n"
    survey = read(text.encode(), "x.csv", column_map={"Frage eins": "m1", "Frage zwei": "F2"})
    assert survey.answers.loc[0, "M1"] == 5 and survey.answers.loc[0, "F2"] == 4


def test_missing_items_and_unscorable_dimensions_are_reported():
    report = read(b"M1;M2;M3;M4;F1\n5;4;3;2;1\n", "x.csv").report
    assert report.missing_items[:2] == ["M5", "M6"]
    assert report.unscorable_dimensions == ["fuehrung", "kompetenz", "lernerfolg"]
    assert any("Die Dimension Führung kann nicht ausgewertet werden" in p.message for p in report.problems())


# --------------------------------------------------------------------------- bad files


def _zip_of(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, payload in members.items():
            z.writestr(name, payload)
    return buf.getvalue()


def _lying_zip_bomb() -> bytes:
    """A sheet that unpacks to 30 MB while the archive declares 1,000 bytes."""
    import struct

    data = bytearray(_zip_of({"xl/workbook.xml": b"<w/>", "xl/worksheets/sheet1.xml": b" " * 30_000_000}))
    local = data.find(b"PK\x03\x04", data.find(b"PK\x03\x04") + 4)  # the sheet's local header
    central = data.find(b"PK\x01\x02", data.find(b"PK\x01\x02") + 4)  # its central directory entry
    data[local + 22 : local + 26] = struct.pack("<I", 1000)
    data[central + 24 : central + 28] = struct.pack("<I", 1000)
    return bytes(data)


def _ods_repeat_bomb() -> bytes:
    cell = ('<table:table-cell table:number-columns-repeated="1000" office:value-type="float" '
            'office:value="1"><text:p>1</text:p></table:table-cell>')
    return ods_bytes([], raw_table=f'<table:table-row table:number-rows-repeated="100000">{cell}</table:table-row>')


def _xls_far_cell() -> bytes:
    import struct

    data = xls_bytes([["M1"], [5.0]])
    record = struct.pack("<HHHHH", 0x0203, 14, 1, 0, 15)
    at = data.find(record)
    return data[:at] + struct.pack("<HHHHH", 0x0203, 14, 65535, 16383, 15) + data[at + 10 :]


BAD_FILES = {
    "empty": (b"", "Die Datei ist leer."),
    "blank": (b" \r\n \r\n", "Die Datei ist leer."),
    "pdf": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "keine Tabelle"),
    "binary": (bytes(range(256)) * 20, "keine Tabelle"),
    "truncated xlsx": (xlsx_bytes([["M1"], [5]])[:700], "beschädigt oder unvollständig"),
    "word document": (_zip_of({"word/document.xml": b"<w/>"}), "ZIP-Archiv, aber keine Tabelle"),
    "encrypted xlsx": (ole_bytes({"EncryptionInfo": b"\x04\x00", "EncryptedPackage": b"\x00" * 5000}),
                       "Kennwort"),
    "ole without workbook": (ole_bytes({"Text": b"x" * 5000}), "keine Excel-Arbeitsmappe"),
    "no item columns": (b"Name;Alter\nA;3\n", "keine Spalte mit Antworten"),
    "zip bomb": (_zip_of({"xl/workbook.xml": b"<w/>", "xl/worksheets/sheet1.xml": b" " * 30_000_000}),
                 "ungewöhnlich stark komprimiert"),
    "zip bomb with a lying size": (_lying_zip_bomb(), "ungewöhnlich stark komprimiert"),
    "far cell": (xlsx_raw('<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>M1</t></is></c>'
                          '<c r="ZZ900000"><v>1</v></c></row></sheetData>'), "zu groß"),
    "far cell in a sheet elsewhere": (xlsx_raw('<sheetData><row r="1"><c r="A1"><v>1</v></c><c r="ZZ900000">'
                                               '<v>1</v></c></row></sheetData>', "xl/daten/blatt.xml"), "zu groß"),
    "far cell lower case": (xlsx_raw('<sheetData><row r="1"><c r="A1"><v>1</v></c>'
                                     '<c r="xfd1048576"><v>1</v></c></row></sheetData>'), "mehr als"),
    "far row without cell refs": (xlsx_raw('<sheetData><row><c><v>1</v></c></row><row r="999999">'
                                           + "<c><v>1</v></c>" * 30 + "</row></sheetData>"), "zu groß"),
    "ods repeat bomb": (_ods_repeat_bomb(), "zu groß"),
    "xls far cell": (_xls_far_cell(), "mehr als 2.000 Spalten"),
    "xlsb": (_zip_of({"xl/workbook.bin": b"\0"}), ".xlsb"),
    "too many columns": ((";".join(["M1", *(f"x{i}" for i in range(2001))]) + "\n").encode(), "2.000 Spalten"),
    "too many rows": (b"M1\n" + b"5\n" * 1_000_001, "1.000.000 Zeilen"),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_files_raise_one_german_sentence(case):
    data, message = BAD_FILES[case]
    with pytest.raises(ReadError, match=message.replace(".", r"\.")) as exc:
        read(data, "upload.xlsx")
    text = str(exc.value)
    assert "\n" not in text and text.endswith((".", ")")) and "Traceback" not in text


def test_size_limit(monkeypatch, tmp_path):
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", 1000)
    path = tmp_path / "gross.csv"
    path.write_bytes(b"M1\n" + b"5\n" * 600)
    with pytest.raises(ReadError, match="Die Datei ist zu groß"):
        read_survey(path, instrument=INSTRUMENT)
    with pytest.raises(ReadError, match="Die Datei ist zu groß"):
        read_survey(io.BytesIO(path.read_bytes()), instrument=INSTRUMENT)


def test_missing_file_and_stream_source(tmp_path):
    with pytest.raises(ReadError, match="„nichts.csv“ wurde nicht gefunden"):
        read_survey(tmp_path / "nichts.csv", instrument=INSTRUMENT)
    data, _ = shape_ods()
    assert_same_as_clean(read_survey(io.BytesIO(data), instrument=INSTRUMENT))


def _toml_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(v, list):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k} = {_toml_value(x)}" for k, x in v.items()) + "}"
    return str(v)


@pytest.mark.parametrize("case", ["zip bomb", "encrypted xlsx", "truncated xlsx", "empty"])
def test_cli_turns_a_bad_file_into_exit_2_and_one_line(case, tmp_path):
    inst = tmp_path / "instrument.toml"
    inst.write_text("\n".join(f"{k} = {_toml_value(v)}" for k, v in instrument_dict().items()), "utf-8")
    path = tmp_path / "upload.xlsx"
    path.write_bytes(BAD_FILES[case][0])
    out = subprocess.run(
        [sys.executable, "-m", "learn_core", "score", str(path), "--instrument", str(inst)],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )
    assert out.returncode == 2
    assert out.stdout == ""
    assert out.stderr.count("\n") == 1 and out.stderr.startswith("Fehler: ") and "Traceback" not in out.stderr


# --------------------------------------------------------------------------- property-based

_CELLS = st.one_of(
    st.none(), st.integers(-3, 9), st.floats(allow_nan=True, allow_infinity=True), st.booleans(),
    st.text(max_size=12), st.sampled_from(["5,0", "k.A.", "weiß nicht", "Stimme eher zu", "M1", "  "]),
)
_HEADERS = st.one_of(st.sampled_from([*ITEMS, "Abteilung", "Team", "LEARN[M2]", "m1", ""]), st.text(max_size=10))
_SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _read_or_read_error(data: bytes, name: str) -> None:
    try:
        survey = read(data, name)
    except ReadError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    assert survey.answers.shape[1] == len(ITEMS)
    assert survey.answers.dtypes.eq(np.float64).all()
    assert set(np.unique(survey.answers.to_numpy()[~np.isnan(survey.answers.to_numpy())])) <= {1, 2, 3, 4, 5}
    assert len(survey.rows) == len(survey.answers)


@_SETTINGS
@given(st.binary(max_size=3000), st.sampled_from(["x.xlsx", "x.csv", "x.ods", "x.xls", "x"]))
def test_random_bytes_give_a_survey_or_read_error(data, name):
    _read_or_read_error(data, name)


@_SETTINGS
@given(st.binary(min_size=1, max_size=200), st.integers(0, 5000))
def test_damaged_workbooks_give_read_error(noise, at):
    data = bytearray(xlsx_bytes([["Abteilung", "M1"], ["A", 5]]) if at % 2 else ods_bytes([["M1"], [5]]))
    at = at % len(data)
    data[at : at + len(noise)] = noise
    _read_or_read_error(bytes(data), "x.xlsx")


@_SETTINGS
@given(st.lists(_HEADERS, min_size=1, max_size=6),
       st.lists(st.lists(_CELLS, min_size=0, max_size=7), max_size=8),
       st.sampled_from([";", ",", "\t", "|"]), st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]))
def test_random_csv_cells_and_headers(headers, rows, delimiter, encoding):
    text = csv_text([headers, *rows], delimiter)
    _read_or_read_error(text.encode(encoding, errors="replace"), "x.csv")


@_SETTINGS
@given(st.lists(_HEADERS, min_size=1, max_size=6), st.lists(st.lists(_CELLS, max_size=7), max_size=8))
def test_random_workbook_cells_and_headers(headers, rows):
    rows = [[v for v in r if not (isinstance(v, float) and (np.isnan(v) or np.isinf(v)))] for r in rows]
    clean = [[v if not isinstance(v, str) else "".join(ch for ch in v if ch.isprintable()) for v in r]
             for r in [headers, *rows]]
    _read_or_read_error(xlsx_bytes(clean), "x.xlsx")


@pytest.mark.parametrize("version", ["1.0", "2.0"])
def test_the_builtin_instrument_texts_are_recognised_in_form_exports(version):
    from learn_core.instrument import instrument_version

    inst = instrument_version(version)
    headers = ["Startzeit", "Abteilung"]
    headers += [f"Wie sehr stimmen Sie zu?.{it.text_de}" for it in inst.items[:12]]
    headers += [f"How much do you agree? [{it.text_en}]" for it in inst.items[12:]]
    data = xlsx_bytes([headers, ["x", "Amt", *([4] * 24)]])
    survey = read_survey(data, file_name="forms.xlsx")
    assert survey.instrument is inst
    assert survey.report.missing_items == [] and survey.report.unmatched_columns == ["Startzeit"]
    assert survey.answers.iloc[0].tolist() == [4.0] * 24


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_csv_line_endings(newline):
    text = newline.join(["Abteilung;M1", "A;5", "", "B;x", ""])
    survey = read(text.encode(), "x.csv")
    assert list(survey.rows) == [2, 4] and list(survey.groups) == ["A", "B"]
    assert [(c.row, c.value) for c in survey.report.invalid_cells] == [(4, "x")]


def test_a_file_of_instrument_version_2_is_read_with_version_2():
    """Issue 20.2: an export made with version 2 carries IDs version 1 does not
    know (M7, F8, …); the reader takes the version that recognises them all."""
    from learn_core.instrument import instrument_version

    v2 = instrument_version("2.0")
    rows = [["Abteilung", *v2.item_ids]] + [["Bauamt", *[1 + (i + j) % 5 for j in range(24)]] for i in range(6)]
    data = "\n".join(";".join(map(str, r)) for r in rows).encode("utf-8")
    survey = read_survey(data, file_name="v2.csv")
    assert survey.instrument.version == "2.0"
    assert survey.report.missing_items == [] and len(survey.report.matched_columns) == 24
    # the same answers read with version 1 leave the new statements out
    v1 = read_survey(data, file_name="v2.csv", instrument=instrument_version("1.0"))
    assert len(v1.report.matched_columns) == len(set(v1.instrument.item_ids) & set(v2.item_ids)) == 12


def test_a_version_1_file_stays_version_1():
    from learn_core.samples import SAMPLE_XLSX

    survey = read_survey(SAMPLE_XLSX)  # the default is 2.0; the sample is a 1.0 survey
    assert survey.instrument.version == "1.0" and survey.report.missing_items == []


@pytest.mark.parametrize("version", ["1.0", "2.0"])
def test_a_table_of_either_version_is_read_with_its_own_version(version):
    """survey_from_frame (workshop answers, the Daten page's tables) tells the
    version by the columns as read_survey does, when no instrument is given."""
    import pandas as pd

    from learn_core.instrument import instrument_version
    from learn_core.reading import survey_from_frame

    inst = instrument_version(version)
    frame = pd.DataFrame([[2 if it.reverse else 4 for it in inst.items]] * 3, columns=list(inst.item_ids), dtype=object)
    survey = survey_from_frame(frame)
    assert survey.instrument is inst and survey.report.missing_items == []
    assert len(survey.report.matched_columns) == 24 and survey.answers.notna().all().all()
    other = instrument_version("2.0" if version == "1.0" else "1.0")
    forced = survey_from_frame(frame, other)  # an instrument given is used as it is
    assert forced.instrument is other and len(forced.report.missing_items) == 12
