"""Reading survey exports (Excel, OpenDocument, CSV) into a
:class:`~learn_core.reading.survey.Survey`.

Public entry points:

* :func:`read_survey` – a file (path, bytes or binary stream) → Survey
* :func:`survey_from_frame` – a table of raw cells with headers → Survey
* :func:`list_columns` – the headers of the table a file holds
* :func:`sheet_names` – the sheets of a workbook

The format is told by the content (a misnamed upload is read as what it
is): zip archives are .xlsx/.xlsm or .ods, OLE containers .xls, text is CSV
with ``;``, ``,``, tab or ``|`` in UTF-8 (with or without BOM), UTF-16 with
BOM or cp1252. The table is the sheet whose item columns hold the most
answer cells (a legend or summary sheet is passed over); its header is the
row among the first ten that names the most items, with the rows around it
that belong to it (:mod:`.headers`). Every problem a user
can cause with a file raises :class:`ReadError`, whose message is one
sentence meant for the user, in German or English (``message(lang)``).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from learn_core.errors import shown
from learn_core.instrument import Instrument, default_instrument, instrument_versions
from learn_core.reading import arrow_sheet, gate, limits
from learn_core.reading.columns import (
    GROUP_COLUMN_NAMES,
    HEADER_ROWS,
    columns_text,
    find_header_row,
    header_text,
    match_item,
)
from learn_core.reading.delimited import read_delimited
from learn_core.reading.headers import HeaderBlock, header_block
from learn_core.reading.source import CheckedFile, ReadError, Source
from learn_core.reading.survey import RawTable, Survey, build_survey
from learn_core.reading.validation import ValidationReport

__all__ = [
    "GROUP_COLUMN_NAMES",
    "ReadError",
    "list_columns",
    "read_survey",
    "sheet_names",
    "survey_from_frame",
]

# --------------------------------------------------------------------------- workbooks


def _workbook(data: bytes):
    from python_calamine import CalamineWorkbook

    return _calamine(CalamineWorkbook.from_filelike, io.BytesIO(data))


def _calamine_error(exc: BaseException) -> ReadError:
    if type(exc).__name__ == "PasswordError" or "password" in str(exc).lower():
        return ReadError(code=limits.PASSWORD)
    return ReadError(code=limits.BROKEN_WORKBOOK)


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
    if sheet.start is None:
        return None
    limits.check_shape(sheet.height, sheet.width)
    return sheet


def _cell_block(rows: list, start: int, width: int) -> np.ndarray:
    """The rows from ``start`` on as one rows × width object array."""
    body = rows[start:]
    cells = np.empty((len(body), width), dtype=object)
    if body and len({len(r) for r in body}) == 1 and len(body[0]) == width:
        cells[:] = body  # one C-level copy; the columns are views of it
    else:  # rows shorter or longer than the header
        for r, row in enumerate(body):
            cells[r, : min(len(row), width)] = row[:width]
    return cells


def _answer_cells(cells: np.ndarray, block: HeaderBlock, instrument: Instrument,
                  column_map: dict[str, str] | None) -> int:
    """How many filled cells the item columns of a sheet hold below its
    header: the measure by which the sheet with the respondent table is chosen."""
    mapped = set(column_map or {})
    items = [j for j, h in enumerate(block.headers) if h in mapped or match_item(h, instrument)]
    chosen = cells[:, items]
    return int(((chosen != "") & (chosen != None)).sum())  # noqa: E711 (element-wise)


def _no_items_refusal(names: list[str], headers: list[str]) -> ReadError:
    return ReadError(code="errors.read.no_items_on_sheets",
                     params={"sheets": [shown(n, 40) for n in names], "columns": columns_text(headers)})


def _sheet_table(holder: list, h: int, instrument: Instrument, column_map: dict[str, str] | None):
    """(sheet start, header block, cell block) of the parsed sheet in
    ``holder`` (taken out of it, so that it is freed before the cells are copied)."""
    loaded = holder.pop()
    start = loaded.start
    rows = _calamine(loaded.to_python)
    del loaded  # frees the parsed sheet before the cells are copied
    block = header_block(rows, h, instrument, column_map)
    cells = _cell_block(rows, block.first_data, len(block.headers))
    return start, block, cells


def _workbook_table(
    data: bytes, kind: str, sheet: str | None, instrument: Instrument, column_map: dict[str, str] | None,
    refuse: bool = True,
) -> RawTable:
    """The respondent table of a workbook: an .xlsx through Arrow
    (:mod:`.arrow_sheet`) when every column converts without loss, else (and
    for .ods and .xls) through python-calamine's cells."""
    if kind == "xlsx":
        try:
            return _arrow_workbook_table(data, kind, sheet, instrument, column_map, refuse)
        except arrow_sheet.Unsupported:
            pass  # a column Arrow cannot carry with every check kept: the cells as before
    return _cells_workbook_table(data, kind, sheet, instrument, column_map, refuse)


def _sheet_scan(wb, sheet: str | None, instrument: Instrument, column_map: dict[str, str] | None, refuse: bool):
    """(worksheets, candidates, first) of a workbook's sheet scan: per sheet
    whose first rows name items (name, header row, [parsed sheet])."""
    from python_calamine import SheetTypeEnum

    names = list(wb.sheet_names)
    if sheet is not None and sheet not in names:
        raise ReadError(code="errors.read.no_sheet",
                        params={"sheet": shown(sheet, 40), "names": [shown(n, 40) for n in names]})
    worksheets = [m.name for m in wb.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet] or names
    candidates, first = [], None
    for name in [sheet] if sheet is not None else worksheets:
        loaded = _load_sheet(wb, name)
        if loaded is None:
            continue
        head = _calamine(loaded.to_python, True, HEADER_ROWS)
        h, score = find_header_row(head, instrument, column_map)
        if first is None:
            first = (name, h, head, [loaded])
        if score:
            candidates.append((name, h, first[3] if first[0] == name else [loaded]))  # parsed once, kept
        del loaded
    if first is None:
        raise ReadError(code="errors.read.empty_workbook")
    if not candidates:
        if refuse and sheet is None and len(worksheets) > 1:
            raise _no_items_refusal(worksheets, [header_text(v) for v in first[2][first[1]]] if first[2] else [])
        candidates = [(first[0], first[1], first[3])]
    return worksheets, candidates


def _most_answers(candidates: list, sheet_table, answer_cells) -> tuple:
    """(name, *table) of the candidate sheet with the most answer cells:
    ``sheet_table(name, holder, h)`` gives a sheet's table, ``answer_cells(table)``
    how many answer cells it holds (not counted when there is only one). Each table is freed
    before the next one is read, unless it is the best so far."""
    chosen, best = None, -1
    while candidates:
        name, h, holder = candidates.pop(0)
        table = sheet_table(name, holder, h)
        cells = answer_cells(table) if candidates or chosen else 0
        if cells > best:
            chosen, best = (name, *table), cells
        del table
    return chosen


def _arrow_workbook_table(
    data: bytes, kind: str, sheet: str | None, instrument: Instrument, column_map: dict[str, str] | None,
    refuse: bool,
) -> RawTable:
    """:func:`_cells_workbook_table` with the header rows read from a copy
    of the workbook cut to its first rows and the columns below them parsed
    once into Arrow.

    Raises
    ------
    arrow_sheet.Unsupported
        when a column cannot be carried without loss (the caller reads the cells).
    """
    import fastexcel
    from python_calamine import CalamineWorkbook

    try:
        head = arrow_sheet.head_workbook(data)
    except arrow_sheet.Unsupported:
        raise
    except Exception:  # a damaged archive: the cell reader gives the message
        raise arrow_sheet.Unsupported("head copy") from None
    wb = _calamine(CalamineWorkbook.from_filelike, io.BytesIO(head))
    worksheets, candidates = _sheet_scan(wb, sheet, instrument, column_map, refuse)
    try:
        reader = fastexcel.read_excel(data)
    except Exception:
        raise arrow_sheet.Unsupported("workbook") from None
    chosen = _most_answers(candidates,
                           lambda name, holder, h: _arrow_sheet_table(reader, name, holder.pop(), h, instrument,
                                                                      column_map),
                           lambda table: _column_answer_cells(table[2], table[1], instrument, column_map))
    name, (row0, col0), block, columns = chosen
    del chosen
    n = len(columns[0])
    report = ValidationReport(sheet=name, header_row=row0 + block.main + 1, file_format=kind,
                              header_rows=list(range(row0 + block.top + 1, row0 + block.first_data + 1)),
                              other_sheets=[w for w in worksheets if w != name])
    numbers = np.arange(row0 + block.first_data + 1, row0 + block.first_data + 1 + n, dtype=np.int64)
    return RawTable(block.headers, columns, numbers, report, first_column=col0, parts=block.parts, row_order=True)


def _arrow_sheet_table(reader, name: str, loaded, h: int, instrument: Instrument,
                       column_map: dict[str, str] | None):
    """(sheet start, header block, columns) of sheet ``name``: its header
    from the head copy's parsed sheet ``loaded``, its columns through Arrow."""
    row0, head_col = loaded.start
    rows = _calamine(loaded.to_python)
    first_data = header_block(rows, h, instrument, column_map).first_data
    arrow_sheet.check_head(rows[first_data:])  # a column the first rows already show mixed: no parse in vain
    col0, columns = arrow_sheet.body_columns(reader, name, row0 + first_data)
    width, pad = len(columns), head_col - col0
    if pad < 0 or any(pad + len(r) > width for r in rows):
        raise arrow_sheet.Unsupported("the head copy and the sheet disagree")
    rows = [[""] * pad + list(r) + [""] * (width - pad - len(r)) for r in rows]
    if len(rows) < min(HEADER_ROWS + 3, first_data + len(columns[0])):
        raise arrow_sheet.Unsupported("head copy too short")
    limits.check_shape(first_data + len(columns[0]), width)
    block = header_block(rows, h, instrument, column_map)
    if block.first_data != first_data:
        raise arrow_sheet.Unsupported("header block moved")
    return (row0, col0), block, columns


def _column_answer_cells(columns: list[np.ndarray], block: HeaderBlock, instrument: Instrument,
                         column_map: dict[str, str] | None) -> int:
    """:func:`_answer_cells` for columns read through Arrow."""
    mapped = set(column_map or {})
    total = 0
    for j, h in enumerate(block.headers):
        if h in mapped or match_item(h, instrument):
            c = columns[j]
            total += int((~np.isnan(c)).sum() if c.dtype.kind == "f" else (c != "").sum())
    return total


def _cells_workbook_table(
    data: bytes, kind: str, sheet: str | None, instrument: Instrument, column_map: dict[str, str] | None,
    refuse: bool = True,
) -> RawTable:
    wb = _workbook(data)
    worksheets, candidates = _sheet_scan(wb, sheet, instrument, column_map, refuse)
    chosen = _most_answers(candidates, lambda name, holder, h: _sheet_table(holder, h, instrument, column_map),
                           lambda table: _answer_cells(table[2], table[1], instrument, column_map))
    name, (row0, col0), block, cells = chosen
    del chosen
    columns = list(cells.T)
    n = len(cells)
    report = ValidationReport(sheet=name, header_row=row0 + block.main + 1, file_format=kind,
                              header_rows=list(range(row0 + block.top + 1, row0 + block.first_data + 1)),
                              other_sheets=[w for w in worksheets if w != name])
    numbers = np.arange(row0 + block.first_data + 1, row0 + block.first_data + 1 + n, dtype=np.int64)
    return RawTable(block.headers, columns, numbers, report, first_column=col0, block=cells, parts=block.parts)


# --------------------------------------------------------------------------- public
#
# Each public function runs the checks before parsing here (gate.admit) and
# the parse itself in a limited child process (gate.parse); the functions
# starting with _parse are what the child runs.


def _table(
    checked: CheckedFile,
    file_name: str | None,
    sheet: str | None,
    instrument: Instrument,
    column_map: dict[str, str] | None,
    refuse: bool = True,
) -> RawTable:
    if checked.kind == "text":
        table = read_delimited(checked.data, instrument, column_map)
    else:
        table = _workbook_table(checked.data, checked.kind, sheet, instrument, column_map, refuse)
    table.report.file_name = Path(file_name).name if file_name else checked.name
    return table


def _parse_survey(checked: CheckedFile, file_name, sheet, instrument, group_column, column_map,
                  answer_map=None) -> Survey:
    """In the child: checked bytes → Survey (without its instrument, which
    the caller has and puts back: less to send)."""
    table = _table(checked, file_name, sheet, instrument, column_map)
    survey = build_survey(table, instrument, group_column=group_column, column_map=column_map,
                          answer_map=answer_map)
    survey.instrument = None
    return survey


def _parse_columns(checked: CheckedFile, file_name, sheet, instrument) -> list[str]:
    return _table(checked, file_name, sheet, instrument, None, refuse=False).headers


def _parse_sheet_names(checked: CheckedFile) -> list[str]:
    return list(_workbook(checked.data).sheet_names)


def _admit(source: Source | CheckedFile, file_name: str | None) -> CheckedFile:
    return source if isinstance(source, CheckedFile) else gate.admit(source, file_name)


def read_survey(
    source: Source | CheckedFile,
    *,
    file_name: str | None = None,
    instrument: Instrument | None = None,
    sheet: str | None = None,
    group_column: str | None = None,
    column_map: dict[str, str] | None = None,
    answer_map: dict[str, int] | None = None,
) -> Survey:
    """Read a survey export into a :class:`Survey`.

    The checks before parsing run here; the parse, decoding and validation
    run in a limited child process (:mod:`learn_core.reading.isolation`).

    Parameters
    ----------
    source
        a path, the file's bytes, a binary stream, or a file that already
        passed :func:`learn_core.reading.gate.admit`.
    file_name
        the file's name (shown in the report); the format is told by the content.
    instrument
        the questionnaire; default: the built-in version that recognises the
        most columns (version 1.0 unless the file is one of version 2.0).
    sheet
        the sheet to read; default the sheet with the most answer cells.
    group_column
        the header of the group column; default the first column named
        Abteilung, Fachbereich, Amt, … (none: no groups).
    column_map
        extra header → item ID assignments (the mapping step of the dashboard).
    answer_map
        answer label → code 1–5 assignments (the answer mapping step, ``--answer-map``).

    Returns
    -------
    Survey
        the decoded answers with the validation report.

    Raises
    ------
    ReadError
        when the file cannot be used: empty, too large, damaged, protected by
        a password, not a table, no item columns, an item in two columns, an
        unknown sheet or group column, or its parse had to be stopped
        (one sentence for the user, in either language); its subclass
        :class:`~learn_core.reading.labels.UnknownAnswersError` (with the
        unknown labels per column) when an item column holds answer texts
        used by several respondents that cannot be decoded.
    """
    checked = _admit(source, file_name)
    args = (file_name, sheet, group_column, column_map, answer_map)
    if instrument is not None:
        survey = gate.parse(_parse_survey, checked, args[0], sheet, instrument, *args[2:])
        survey.instrument = instrument
        return survey
    return _read_any_version(checked, args)


def _read_any_version(checked: CheckedFile, args: tuple) -> Survey:
    """Read a file with the built-in version that recognises most of its columns."""
    file_name, sheet, *rest = args
    return _any_version(lambda inst: gate.parse(_parse_survey, checked, file_name, sheet, inst, *rest))


def _any_version(read_with: Callable[[Instrument], Survey]) -> Survey:
    """``read_with`` the default instrument; when statements are missing, also
    with the other built-in versions, and keep the version that recognises
    the most columns (ties: the default). A file made with version 1 lacks
    the statements version 2 added, and the reverse (stable item IDs: the
    common statements match in both); ``survey.instrument`` is the one kept.

    Raises
    ------
    ReadError
        the default's, when no version can read the table.
    """
    first = default_instrument()
    try:
        best = read_with(first)
        best.instrument, failure = first, None
    except ReadError as exc:
        best, failure = None, exc
    if best is not None and not best.report.missing_items:
        return best
    for other in instrument_versions():
        if other.version == first.version:
            continue
        try:
            candidate = read_with(other)
        except ReadError:
            continue
        if best is None or len(candidate.report.matched_columns) > len(best.report.matched_columns):
            candidate.instrument, best = other, candidate
    if best is None:
        raise failure
    return best


def list_columns(
    source: Source | CheckedFile,
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
    checked = _admit(source, file_name)
    return gate.parse(_parse_columns, checked, file_name, sheet, instrument or default_instrument())


def sheet_names(source: Source | CheckedFile, *, file_name: str | None = None) -> list[str]:
    """The sheet names of a workbook, in order; ``[]`` for a CSV file.

    Raises
    ------
    ReadError
        when the file is empty, too large, damaged or not a table.
    """
    checked = _admit(source, file_name)
    if checked.kind == "text":
        return []
    return gate.parse(_parse_sheet_names, checked)


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
    answer_map: dict[str, int] | None = None,
) -> Survey:
    """Build a :class:`Survey` from a table of raw cells.

    Parameters
    ----------
    frame
        one column per file column, headers as column names (they may
        repeat), cells as read (numbers, texts, None/NaN).
    instrument
        the questionnaire; ``None``: the built-in version that recognises
        most columns, as :func:`read_survey` does.
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
    if row_numbers is None:
        row_numbers = np.arange(header_row + 1, header_row + 1 + len(frame))
    headers = [header_text(c) for c in frame.columns]
    columns = [frame.iloc[:, j].to_numpy() for j in range(frame.shape[1])]

    def read_with(inst: Instrument) -> Survey:
        report = ValidationReport(file_name=file_name, sheet=sheet, header_row=header_row)
        table = RawTable(headers, columns, np.asarray(row_numbers), report)
        return build_survey(table, inst, group_column=group_column, column_map=column_map, answer_map=answer_map)

    return read_with(instrument) if instrument is not None else _any_version(read_with)
