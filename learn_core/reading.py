"""Reading survey exports (Excel, OpenDocument, CSV) into a
:class:`~learn_core.survey.Survey`.

Public entry points:

* :func:`read_survey` – a file (path, bytes or binary stream) → Survey
* :func:`survey_from_frame` – a table of raw cells with headers → Survey
* :func:`list_columns` – the headers of the table a file holds
* :func:`sheet_names` – the sheets of a workbook

The format is told by the content (a misnamed upload is read as what it
is): zip archives are .xlsx/.xlsm or .ods, OLE containers .xls, text is CSV
with ``;``, ``,``, tab or ``|`` in UTF-8 (with or without BOM), UTF-16 with
BOM or cp1252. The table is the first sheet with item columns; its header is
the row among the first ten that names the most items. Every problem a user
can cause with a file raises :class:`ReadError`, whose message is one German
sentence meant for the user.
"""

from __future__ import annotations

import codecs
import csv
import io
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pandas as pd

from learn_core import limits
from learn_core.columns import GROUP_COLUMN_NAMES, header_text, item_count
from learn_core.instrument import Instrument, default_instrument
from learn_core.survey import Survey, build_survey
from learn_core.validation import ReadError, ValidationReport

__all__ = [
    "GROUP_COLUMN_NAMES",
    "ReadError",
    "list_columns",
    "read_survey",
    "sheet_names",
    "survey_from_frame",
]

Source = str | Path | bytes | BinaryIO

#: Rows searched for the header row.
HEADER_ROWS = 10
_DELIMITERS = (";", ",", "\t", "|")
_BROKEN = "Die Datei ist beschädigt oder unvollständig und kann nicht gelesen werden."
_BROKEN_BOOK = "Die Arbeitsmappe (Excel oder OpenDocument) ist beschädigt oder unvollständig und kann nicht gelesen werden."
_NOT_A_TABLE = "Die Datei ist keine Tabelle (erwartet wird Excel, OpenDocument oder CSV)."
_OTHER_MAGIC = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b", b"7z\xbc\xaf", b"Rar!", b"BM")


@dataclass
class _Table:
    """A table of raw cells below its header row."""

    headers: list[str]
    columns: list[np.ndarray]
    row_numbers: np.ndarray
    report: ValidationReport = field(default_factory=ValidationReport)
    first_column: int = 0


# --------------------------------------------------------------------------- bytes and format


def _source_bytes(source: Source) -> bytes:
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
    elif isinstance(source, str | Path):
        path = Path(source)
        try:
            limits.check_file_size(path.stat().st_size)
            data = path.read_bytes()
        except FileNotFoundError:
            raise ReadError(f"Die Datei „{path.name}“ wurde nicht gefunden.") from None
        except IsADirectoryError:
            raise ReadError(f"„{path.name}“ ist ein Ordner, keine Datei.") from None
        except OSError:
            raise ReadError(f"Die Datei „{path.name}“ kann nicht gelesen werden.") from None
    else:
        try:
            data = source.read(limits.MAX_FILE_BYTES + 1)
        except (OSError, ValueError):
            raise ReadError("Die hochgeladene Datei kann nicht gelesen werden.") from None
        if not isinstance(data, bytes):
            raise ReadError("Die hochgeladene Datei kann nicht gelesen werden.")
    limits.check_file_size(len(data))
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise ReadError("Die Datei ist leer.")
    return data


def _sniff(data: bytes) -> str:
    """The kind of file by its content: "zip", "ole" or "text"."""
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return "zip"
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if data.startswith(_OTHER_MAGIC):
        raise ReadError(_NOT_A_TABLE)
    return "text"


def _open_zip(data: bytes) -> str:
    """Check a zip-based workbook before it is parsed; its kind, "xlsx" or "ods"."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return _zip_kind(zf)
    except ReadError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, OSError, EOFError, ValueError,
            NotImplementedError, RuntimeError, struct.error):
        raise ReadError(_BROKEN_BOOK) from None


def _zip_kind(zf: zipfile.ZipFile) -> str:
    names = set(zf.namelist())
    limits.check_zip(zf)
    if "xl/workbook.bin" in names:
        raise ReadError("Binäre Excel-Arbeitsmappen (.xlsb) werden nicht unterstützt; bitte als .xlsx speichern.")
    if "xl/workbook.xml" in names:
        limits.check_xlsx(zf)
        return "xlsx"
    if "content.xml" in names:
        mimetype = zf.read("mimetype")[:100] if "mimetype" in names else b""
        if not mimetype or b"spreadsheet" in mimetype:
            limits.check_ods(zf)
            return "ods"
    raise ReadError("Die Datei ist ein ZIP-Archiv, aber keine Tabelle (erwartet wird .xlsx oder .ods).")


# --------------------------------------------------------------------------- header row


def _header_row(rows: list[list], instrument: Instrument, column_map: dict[str, str] | None) -> tuple[int, int]:
    """Index of the header row among ``rows`` and how many items it names
    (the row with most; the first non-empty row when none names any)."""
    best, best_score, first = -1, 0, -1
    mapped = set(column_map or {})
    for i, row in enumerate(rows[:HEADER_ROWS]):
        texts = [header_text(v) for v in row]
        if first < 0 and any(texts):
            first = i
        score = item_count(texts, instrument) + sum(1 for t in texts if t in mapped)
        if score > best_score:
            best, best_score = i, score
    return (best, best_score) if best >= 0 else (max(first, 0), 0)


# --------------------------------------------------------------------------- workbooks


def _workbook(data: bytes):
    from python_calamine import CalamineWorkbook

    try:
        return CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as exc:  # the library raises several kinds for a damaged file
        raise _calamine_error(exc) from None


def _calamine_error(exc: BaseException) -> ReadError:
    if type(exc).__name__ == "PasswordError" or "password" in str(exc).lower():
        return ReadError("Die Datei ist mit einem Kennwort geschützt; bitte ohne Kennwort speichern.")
    return ReadError(_BROKEN_BOOK)


def _calamine(call, *args):
    """Run a python-calamine call; its errors (also pyo3's PanicException,
    which is no Exception) become a ReadError."""
    try:
        return call(*args)
    except ReadError:
        raise
    except BaseException as exc:
        if isinstance(exc, KeyboardInterrupt | SystemExit | MemoryError):
            raise
        raise _calamine_error(exc) from None


def _load_sheet(wb, name: str):
    """The sheet ``name`` (parsed once), or None when it is empty."""
    sheet = _calamine(wb.get_sheet_by_name, name)
    if _calamine(lambda: sheet.start) is None:
        return None
    limits.check_shape(sheet.height, sheet.width)
    return sheet


def _workbook_table(
    data: bytes, kind: str, sheet: str | None, instrument: Instrument, column_map: dict[str, str] | None
) -> _Table:
    wb = _workbook(data)
    names = list(wb.sheet_names)
    if sheet is not None and sheet not in names:
        raise ReadError(f"Das Tabellenblatt „{sheet}“ gibt es in der Datei nicht.")
    chosen = None
    for name in [sheet] if sheet is not None else names:
        loaded = _load_sheet(wb, name)
        if loaded is None:
            continue
        h, score = _header_row(_calamine(loaded.to_python, True, HEADER_ROWS), instrument, column_map)
        if score or chosen is None:
            chosen = (name, loaded, h)
        if score:
            break
    if chosen is None:
        raise ReadError("Die Arbeitsmappe enthält keine Daten.")
    name, loaded, h = chosen
    row0, col0 = loaded.start
    rows = _calamine(loaded.to_python)
    del loaded
    headers = [header_text(v) for v in rows[h]]
    n = len(rows) - h - 1
    block = np.empty((n, len(headers)), dtype=object)
    if n:
        block[:] = rows[h + 1 :]  # one C-level copy; the columns are views of it
    del rows
    columns = list(block.T)
    report = ValidationReport(sheet=name, header_row=row0 + h + 1, file_format=kind)
    numbers = np.arange(row0 + h + 2, row0 + h + 2 + n, dtype=np.int64)
    return _Table(headers, columns, numbers, report, first_column=col0)


# --------------------------------------------------------------------------- text


def _decode(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and the encoding it was read in."""
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError:
                raise ReadError(_BROKEN) from None
    if b"\x00" in data[:4096]:
        raise ReadError(_NOT_A_TABLE)
    try:
        text, enc = data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        text, enc = data.decode("cp1252", errors="replace"), "cp1252"
    sample = text[:65536]
    control = sum(1 for ch in sample if ch < " " and ch not in "\t\r\n")
    if control > len(sample) // 100:
        raise ReadError(_NOT_A_TABLE)
    return text, enc


def _records(text: str, delimiter: str, limit: int | None = None) -> list[list[str]]:
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    out = []
    try:
        for row in reader:
            out.append(row)
            if limit is not None and len(out) >= limit:
                break
    except csv.Error:
        raise ReadError(_BROKEN) from None
    return out


def _choose_delimiter(text: str, instrument: Instrument, column_map: dict[str, str] | None) -> tuple[str, int]:
    """The delimiter under which the header names most items (then: gives most
    fields), and the header's record index."""
    sample = text[: 1 << 18]
    if len(text) > len(sample):
        sample = sample[: sample.rfind("\n") + 1] or sample
    best = None
    for delimiter in _DELIMITERS:
        rows = _records(sample, delimiter, HEADER_ROWS)
        h, score = _header_row(rows, instrument, column_map)
        width = len(rows[h]) if rows else 0
        key = (score, width)
        if best is None or key > best[0]:
            best = (key, delimiter, h)
    return best[1], best[2]


def _text_table(data: bytes, instrument: Instrument, column_map: dict[str, str] | None) -> _Table:
    text, encoding = _decode(data)
    delimiter, h = _choose_delimiter(text, instrument, column_map)
    head = _records(text, delimiter, h + 1)
    headers = [header_text(v) for v in head[h]] if len(head) > h else []
    limits.check_shape(text.count("\n") + 1, len(headers))
    raw = data[3:] if encoding == "utf-8-sig" else data if encoding == "utf-8" else text.encode("utf-8")
    try:
        frame = pd.read_csv(
            io.BytesIO(raw),
            sep=delimiter,
            header=None,
            index_col=False,
            skiprows=h + 1,
            skip_blank_lines=False,
            keep_default_na=False,
            na_values=[""],
            low_memory=False,
            encoding="utf-8",
            encoding_errors="replace",
            engine="c",
        )
        columns = [frame[c].to_numpy() for c in frame.columns]
        n = len(frame)
        columns += [np.full(n, None, dtype=object) for _ in range(len(headers) - len(columns))]
        headers += [""] * (len(columns) - len(headers))
    except (pd.errors.ParserError, ValueError, OverflowError):
        # ragged rows: read every field as text, wider rows get extra columns
        rows = _records(text, delimiter)[h + 1 :]
        width = max([len(headers), *map(len, rows)])
        limits.check_shape(len(rows), width)
        headers += [""] * (width - len(headers))
        padded = [r + [""] * (width - len(r)) for r in rows]
        columns = [np.array(c, dtype=object) for c in zip(*padded, strict=True)] if padded else []
        n = len(rows)
    if not columns:
        columns = [np.empty(0, dtype=object) for _ in headers]
    report = ValidationReport(
        header_row=h + 1, file_format="csv", encoding=encoding, delimiter=delimiter
    )
    return _Table(headers, columns, np.arange(h + 2, h + 2 + n, dtype=np.int64), report)


# --------------------------------------------------------------------------- public


def _table(
    source: Source,
    file_name: str | None,
    sheet: str | None,
    instrument: Instrument,
    column_map: dict[str, str] | None,
) -> _Table:
    data = _source_bytes(source)
    kind = _sniff(data)
    if kind == "zip":
        table = _workbook_table(data, _open_zip(data), sheet, instrument, column_map)
    elif kind == "ole":
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise ReadError("Die Datei ist mit einem Kennwort geschützt; bitte ohne Kennwort speichern.")
        limits.check_xls(data)
        table = _workbook_table(data, "xls", sheet, instrument, column_map)
    else:
        table = _text_table(data, instrument, column_map)
    name = file_name or (str(source) if isinstance(source, str | Path) else "")
    table.report.file_name = Path(name).name
    return table


def read_survey(
    source: Source,
    *,
    file_name: str | None = None,
    instrument: Instrument | None = None,
    sheet: str | None = None,
    group_column: str | None = None,
    column_map: dict[str, str] | None = None,
) -> Survey:
    """Read a survey export into a :class:`Survey`.

    Parameters
    ----------
    source
        a path, the file's bytes or a binary stream.
    file_name
        the file's name (shown in the report); the format is told by the content.
    instrument
        the questionnaire; default the built-in LEARN instrument.
    sheet
        the sheet to read; default the first sheet with item columns.
    group_column
        the header of the group column; default the first column named
        Abteilung, Fachbereich, Amt, … (none: no groups).
    column_map
        extra header → item ID assignments (the mapping step of the dashboard).

    Returns
    -------
    Survey
        the decoded answers with the validation report.

    Raises
    ------
    ReadError
        when the file cannot be used: empty, too large, damaged, protected by
        a password, not a table, no item columns, an item in two columns, an
        unknown sheet or group column (one German sentence for the user).
    """
    instrument = instrument or default_instrument()
    table = _table(source, file_name, sheet, instrument, column_map)
    return build_survey(
        table.headers,
        table.columns,
        table.row_numbers,
        instrument,
        table.report,
        group_column=group_column,
        column_map=column_map,
        first_column=table.first_column,
    )


def list_columns(
    source: Source,
    *,
    file_name: str | None = None,
    sheet: str | None = None,
    instrument: Instrument | None = None,
) -> list[str]:
    """The headers of the table :func:`read_survey` would read, in file order
    (for choosing the group column or mapping columns to items).

    Returns
    -------
    list of str
        the header texts ("" for a column without header); when no row names
        an item, the first non-empty row of the first sheet.

    Raises
    ------
    ReadError
        when the file cannot be read as a table.
    """
    return _table(source, file_name, sheet, instrument or default_instrument(), None).headers


def sheet_names(source: Source, *, file_name: str | None = None) -> list[str]:
    """The sheet names of a workbook, in order; ``[]`` for a CSV file.

    Raises
    ------
    ReadError
        when the file is empty, too large, damaged or not a table.
    """
    data = _source_bytes(source)
    kind = _sniff(data)
    if kind == "text":
        return []
    if kind == "zip":
        _open_zip(data)
    elif kind == "ole":
        limits.check_xls(data)
    return list(_workbook(data).sheet_names)


def survey_from_frame(
    frame: pd.DataFrame,
    instrument: Instrument | None = None,
    *,
    group_column: str | None = None,
    row_numbers: np.ndarray | None = None,
    header_row: int = 1,
    file_name: str = "",
    sheet: str | None = None,
    column_map: dict[str, str] | None = None,
) -> Survey:
    """Build a :class:`Survey` from a table of raw cells.

    Parameters
    ----------
    frame
        one column per file column, headers as column names (they may
        repeat), cells as read (numbers, texts, None/NaN).
    group_column
        header of the group column; ``None`` looks for a usual name
        (Abteilung, Fachbereich, …) and uses no groups when there is none.
    row_numbers
        spreadsheet row number of each frame row; default ``header_row + 1 …``.
    column_map
        extra header → item id assignments (the mapping step of the dashboard).

    Returns
    -------
    Survey

    Raises
    ------
    ReadError
        no item column, an item matched by two columns, an unknown group column.
    """
    instrument = instrument or default_instrument()
    if row_numbers is None:
        row_numbers = np.arange(header_row + 1, header_row + 1 + len(frame))
    headers = [header_text(c) for c in frame.columns]
    columns = [frame.iloc[:, j].to_numpy() for j in range(frame.shape[1])]
    report = ValidationReport(file_name=file_name, sheet=sheet, header_row=header_row)
    return build_survey(
        headers,
        columns,
        np.asarray(row_numbers),
        instrument,
        report,
        group_column=group_column,
        column_map=column_map,
    )
