"""An .xlsx sheet read straight into Arrow columns (``fastexcel``, calamine
underneath) instead of one Python object per cell.

The reader needs two things of a sheet: its first rows as cells (to find
the header, :mod:`.columns` and :mod:`.headers`) and every column below the
header. :func:`head_workbook` makes a copy of the workbook whose sheets hold
only their first rows, so python-calamine reads the header rows as it always
did, in a few milliseconds; :func:`body_columns` then parses the whole sheet
once with fastexcel from the first data row on, one typed column each.

The columns must be the cells python-calamine gives, or a check would
change. So a column is taken only when all its cells are of one kind that
converts without loss: numbers (float64, NaN where empty), texts (objects,
``""`` where empty, as calamine gives them), truth values, or dates with
or without time (a date at midnight, as python-calamine gives it). A sheet
with a column that mixes kinds, or holds durations or times of day, raises
:class:`Unsupported`, and the reader parses that sheet as before.
"""

from __future__ import annotations

import datetime
import io
import logging
import re
import zipfile

import numpy as np

from learn_core.reading.limits import _sheet_parts

__all__ = ["HEAD_ROWS", "Unsupported", "body_columns", "check_head", "head_workbook"]

#: Rows kept per sheet in the head copy, counted from the first row with a
#: value: the header search looks at 10, the header block at up to 3 more.
HEAD_ROWS = 16

_PIECE = 256 * 1024
_ROW = re.compile(rb"<(\w+:)?row\b([^>]*)>")
_ROW_NUMBER = re.compile(rb'\sr="(\d+)"')
_SHEET_DATA = re.compile(rb"<(\w+:)?sheetData\b[^>]*?(/?)>")
_VALUE = re.compile(rb"<(?:\w+:)?(?:v|is)\b")


class Unsupported(Exception):
    """The sheet cannot be read through Arrow with every check kept."""


def _head_xml(member, rows: int) -> bytes:
    """A worksheet part cut after its first ``rows`` rows (from the first row
    with a value), closed so that it is still a complete document."""
    buf = b""
    while True:
        piece = member.read(_PIECE)
        buf += piece
        cut = _cut(buf, rows)
        if cut is not None:
            return cut
        if not piece:
            return buf  # the whole part is short
        if len(buf) > 64 * _PIECE:
            raise Unsupported("head rows not found in 16 MB")


def _cut(buf: bytes, rows: int) -> bytes | None:
    """``buf`` cut before the first row ``rows`` rows below the first row with
    a value; None while that row is not in ``buf`` yet."""
    data = _SHEET_DATA.search(buf)
    if data is None or data.group(2):  # not yet there, or <sheetData/>: read it all
        return None
    prefix = data.group(1) or b""
    first = None
    for m in _ROW.finditer(buf, data.end()):
        number = _ROW_NUMBER.search(m.group(2))
        if number is None:
            raise Unsupported("row without number")
        r = int(number.group(1))
        if first is None:
            if m.group(2).endswith(b"/"):
                continue  # <row r="…"/>: no cells
            end = buf.find(b"</" + prefix + b"row>", m.end())
            if end < 0:
                return None
            if _VALUE.search(buf, m.end(), end):
                first = r
        elif r >= first + rows:
            return buf[: m.start()] + b"</" + prefix + b"sheetData></" + prefix + b"worksheet>"
    return None


def head_workbook(data: bytes, rows: int = HEAD_ROWS) -> bytes:
    """The workbook ``data`` (.xlsx) with every sheet cut to its first ``rows``
    rows from the first row with a value (members stored, not compressed).

    Raises
    ------
    Unsupported
        when a sheet's rows carry no row numbers (then the cut could shift them).
    """
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as dst:
        sheets = _sheet_parts(src)
        for info in src.infolist():
            if info.is_dir():
                continue
            with src.open(info) as member:
                content = _head_xml(member, rows) if info.filename in sheets else member.read()
            dst.writestr(info.filename, content)
    return out.getvalue()


def _kind(value: object) -> str:
    if value == "" or value is None:
        return ""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, float | int):
        return "number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, datetime.datetime | datetime.date) and not isinstance(value, datetime.time):
        return "moment"
    return "other"  # a time of day or a duration: never carried


def check_head(rows: list[list]) -> None:
    """Raise :class:`Unsupported` when the first data rows (as python-calamine
    gives them) already show a column Arrow cannot carry: cells of two kinds,
    or a time of day or duration. Parsing the whole sheet with fastexcel
    first would only find the same and cost the time of one more parse."""
    kinds: dict[int, str] = {}
    for row in rows:
        for j, value in enumerate(row):
            kind = _kind(value)
            if not kind:
                continue
            if kind == "other" or kinds.setdefault(j, kind) != kind:
                raise Unsupported("the first rows mix kinds of cells")


def _column(values, n: int) -> np.ndarray:
    """One Arrow column as the reader's cells: float64 (NaN where empty) or
    objects (``""`` where empty)."""
    import pyarrow as pa

    kind = values.type
    if pa.types.is_floating(kind) or pa.types.is_integer(kind):
        return values.cast(pa.float64()).to_numpy(zero_copy_only=False)
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        return values.fill_null("").to_numpy(zero_copy_only=False).astype(object, copy=False)
    if pa.types.is_null(kind):
        return np.full(n, "", dtype=object)
    if pa.types.is_boolean(kind):
        return _objects([("" if v is None else v) for v in values.to_pylist()])
    if pa.types.is_timestamp(kind) and kind.tz is None:
        return _objects([_moment(v) for v in values.to_pylist()])
    raise Unsupported(f"column of {kind}")


def _objects(values: list) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


#: python-calamine gives a time of day (a serial below 1) as a time, which
#: Arrow gives as that time on the epoch's first day; before this day (and
#: on the 1904 system's first day) the cell is left to python-calamine.
_FIRST_DAY = datetime.datetime(1900, 3, 1)
_FIRST_DAY_1904 = datetime.date(1904, 1, 1)


def _moment(value: datetime.datetime | None) -> object:
    """A date-and-time cell as python-calamine gives it: a date at midnight,
    else the date and time (both to the millisecond); "" where empty."""
    if value is None:
        return ""
    if value < _FIRST_DAY or value.date() == _FIRST_DAY_1904:
        raise Unsupported("time of day or a date before March 1900")
    if value.hour == value.minute == value.second == value.microsecond == 0:
        return value.date()
    return value


def body_columns(reader, name: str, skip: int) -> tuple[int, list[np.ndarray]]:
    """The sheet ``name`` from sheet row ``skip`` (0-based) on: the sheet
    position of its first column and one array per column.

    Raises
    ------
    Unsupported
        when a column mixes kinds of cells or holds cells that are no number
        or text (dates, durations, truth values), or there is no row.
    """
    # an empty column is read as text (which is right); fastexcel says so as a warning on stderr
    logging.getLogger("fastexcel").setLevel(logging.ERROR)
    try:
        sheet = reader.load_sheet(name, header_row=None, skip_rows=skip, schema_sample_rows=None,
                                  dtype_coercion="strict")
        columns = sheet.available_columns()
        batch = sheet.to_arrow()
    except BaseException as exc:  # also pyo3's PanicException, which is no Exception
        if isinstance(exc, KeyboardInterrupt | SystemExit | MemoryError):
            raise
        raise Unsupported(str(exc)[:200]) from None
    n = batch.num_rows
    if n == 0 or not columns:
        raise Unsupported("no rows")
    first = columns[0].absolute_index
    return first, [_column(batch.column(j), n) for j in range(batch.num_columns)]
