"""Reading survey exports (Excel, CSV) into a :class:`~learn_core.survey.Survey`.

Public entry points:

* :func:`read_survey` – a file (path, bytes or binary stream) → Survey
* :func:`survey_from_frame` – a table of raw cells with headers → Survey

Every problem a user can cause with a file raises :class:`ReadError`, whose
message is one German sentence meant for the user.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pandas as pd

from learn_core.instrument import DIMENSION_KEYS, Instrument, default_instrument
from learn_core.survey import Survey, group_labels
from learn_core.validation import (
    INVALID,
    MISSING,
    InvalidCell,
    ValidationReport,
    answer_lookup,
    decode_answers,
)

__all__ = ["GROUP_COLUMN_NAMES", "ReadError", "read_survey", "survey_from_frame"]

#: Column names recognised as the group column (compared case-insensitively).
GROUP_COLUMN_NAMES = (
    "abteilung",
    "fachbereich",
    "amt",
    "bereich",
    "organisationseinheit",
    "dezernat",
    "referat",
    "team",
    "department",
    "unit",
)

MAX_INVALID_KEPT = 10_000


class ReadError(ValueError):
    """The file cannot be used; the message is one German sentence for the user."""


# --------------------------------------------------------------------------- columns


def _match_item(header: str, instrument: Instrument) -> str | None:
    text = header.strip().upper()
    if text in instrument.item_ids:
        return text
    return None


def _find_group_column(headers: list[str], wanted: str | None) -> str | None:
    if wanted is not None:
        for h in headers:
            if h == wanted:
                return h
        for h in headers:
            if h.strip().casefold() == wanted.strip().casefold():
                return h
        raise ReadError(f"Die Gruppenspalte „{wanted}“ gibt es in der Datei nicht.")
    for name in GROUP_COLUMN_NAMES:
        for h in headers:
            if h.strip().casefold() == name:
                return h
    return None


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
        one column per file column, headers as column names, cells as read
        (numbers, texts, None/NaN).
    group_column
        header of the group column; ``None`` looks for a usual name
        (Abteilung, Fachbereich, …) and uses no groups when there is none.
    row_numbers
        spreadsheet row number of each frame row; default ``header_row + 1 …``.
    column_map
        extra header → item id assignments (the mapping step of the dashboard).

    Raises
    ------
    ReadError
        no item column, an item matched by two columns, an unknown group column.
    """
    instrument = instrument or default_instrument()
    headers = [str(c) for c in frame.columns]
    frame = frame.set_axis(headers, axis=1)
    if row_numbers is None:
        row_numbers = np.arange(header_row + 1, header_row + 1 + len(frame))
    group_col = _find_group_column(headers, group_column)

    matched: dict[str, str] = {}
    unmatched: list[str] = []
    mapping = {k: v.strip().upper() for k, v in (column_map or {}).items() if v}
    for h in headers:
        if h == group_col:
            continue
        item_id = mapping.get(h) or _match_item(h, instrument)
        if item_id is None or item_id not in instrument.item_ids:
            if h.strip():
                unmatched.append(h)
            continue
        if item_id in matched:
            raise ReadError(
                f"Das Item {item_id} steht in zwei Spalten („{matched[item_id]}“ und „{h}“); "
                "bitte eine davon entfernen."
            )
        matched[item_id] = h
    if not matched:
        raise ReadError(
            "In der Datei wurde keine Spalte mit Antworten des LEARN-Fragebogens gefunden "
            "(erwartet werden z. B. Spalten M1 … L6)."
        )

    lookup = answer_lookup(instrument)
    n = len(frame)
    codes = np.zeros((n, len(instrument.items)), dtype=np.int8)
    for j, item in enumerate(instrument.items):
        if item.id in matched:
            codes[:, j] = decode_answers(frame[matched[item.id]], lookup)

    report = ValidationReport(
        file_name=file_name,
        sheet=sheet,
        header_row=header_row,
        group_column=group_col,
        matched_columns={i: matched[i] for i in instrument.item_ids if i in matched},
        unmatched_columns=unmatched,
        missing_items=[i for i in instrument.item_ids if i not in matched],
    )
    for key in DIMENSION_KEYS:
        present = sum(1 for it in instrument.items_of(key) if it.id in matched)
        if present < instrument.min_valid(key):
            report.unscorable_dimensions.append(key)

    # rows with no content at all are not data rows
    blank = frame.isna().all(axis=1).to_numpy() if n else np.zeros(0, bool)
    if n and blank.any():
        str_cols = frame.select_dtypes(include=["object", "string"])
        if not str_cols.empty:
            blank &= (str_cols.fillna("").astype(str).apply(lambda s: s.str.strip()) == "").all(axis=1).to_numpy()
    keep = ~blank
    codes = codes[keep]
    row_numbers = np.asarray(row_numbers)[keep]
    frame = frame.loc[keep]

    invalid = codes == INVALID
    report.invalid_count = int(invalid.sum())
    if report.invalid_count:
        rr, cc = np.nonzero(invalid)
        order = np.lexsort((rr, cc))  # column by column, top to bottom
        rr, cc = rr[order], cc[order]
        for j in np.unique(cc):
            report.invalid_by_column[matched[instrument.items[j].id]] = int((cc == j).sum())
        for r, c in zip(rr[:MAX_INVALID_KEPT], cc[:MAX_INVALID_KEPT], strict=True):
            header = matched[instrument.items[c].id]
            report.invalid_cells.append(
                InvalidCell(int(row_numbers[r]), header, _cell_text(frame[header].iloc[r]))
            )
        report.invalid_cells.sort(key=lambda cell: (cell.row, headers.index(cell.column)))
    valid = codes > MISSING
    has_answer = valid.any(axis=1)
    report.rows_read = int(len(codes))
    report.respondents = int(has_answer.sum())
    report.empty_rows_skipped = int((~has_answer).sum())

    answers = pd.DataFrame(
        np.where(valid, codes, np.nan).astype(np.float64), columns=list(instrument.item_ids)
    )
    groups = None
    if group_col is not None:
        groups = group_labels(frame[group_col].reset_index(drop=True))
    return Survey(
        instrument=instrument,
        answers=answers,
        groups=groups,
        rows=row_numbers.astype(np.int64),
        report=report,
    )


def _cell_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value)
    return text if len(text) <= 40 else text[:39] + "…"


# --------------------------------------------------------------------------- files


def _read_bytes(source: str | Path | bytes | BinaryIO) -> bytes:
    if isinstance(source, bytes):
        return source
    if isinstance(source, str | Path):
        try:
            return Path(source).read_bytes()
        except FileNotFoundError:
            raise ReadError(f"Die Datei „{source}“ wurde nicht gefunden.") from None
        except OSError:
            raise ReadError(f"Die Datei „{source}“ kann nicht gelesen werden.") from None
    return source.read()


def _read_csv(data: bytes) -> pd.DataFrame:
    for enc in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    sample = text[:4096]
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=";,\t|").delimiter
    except csv.Error:
        delimiter = ";" if sample.count(";") > sample.count(",") else ","
    return pd.read_csv(io.StringIO(text), sep=delimiter, dtype=str, keep_default_na=False, header=None)


def _read_excel(data: bytes, sheet: str | None) -> tuple[pd.DataFrame, str]:
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
        name = sheet or wb.sheet_names[0]
        rows = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
    except Exception:
        raise ReadError("Die Datei ist keine lesbare Excel-Arbeitsmappe.") from None
    return pd.DataFrame(rows, dtype=object), name


def read_survey(
    source: str | Path | bytes | BinaryIO,
    *,
    file_name: str | None = None,
    instrument: Instrument | None = None,
    sheet: str | None = None,
    group_column: str | None = None,
    column_map: dict[str, str] | None = None,
) -> Survey:
    """Read a survey export into a :class:`Survey`.

    Raises
    ------
    ReadError
        when the file cannot be used (one German sentence for the user).
    """
    name = file_name or (str(source) if isinstance(source, str | Path) else "")
    data = _read_bytes(source)
    if not data.strip():
        raise ReadError("Die Datei ist leer.")
    ext = Path(name).suffix.lower()
    sheet_name = None
    if ext in (".xlsx", ".xlsm", ".xls", ".ods"):
        raw, sheet_name = _read_excel(data, sheet)
    else:
        raw = _read_csv(data)
    raw = raw.replace("", None) if not raw.empty else raw
    if raw.empty:
        raise ReadError("Die Datei enthält keine Tabelle.")
    headers = [_header_text(v) for v in raw.iloc[0].tolist()]
    body = raw.iloc[1:].reset_index(drop=True)
    body.columns = _unique_headers(headers)
    return survey_from_frame(
        body,
        instrument,
        group_column=group_column,
        header_row=1,
        file_name=Path(name).name,
        sheet=sheet_name,
        column_map=column_map,
    )


def _header_text(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return re.sub(r"\s+", " ", str(value)).strip()


def _unique_headers(headers: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for i, h in enumerate(headers):
        h = h or f"Spalte {i + 1}"
        if h in seen:
            seen[h] += 1
            h = f"{h} ({seen[h]})"
        else:
            seen[h] = 1
        out.append(h)
    return out
