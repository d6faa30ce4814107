"""Validation of answers: which cell is a valid answer, which is missing,
which is invalid, and the report of what was read and what was left out.

Answers are decoded per *distinct* value (``pandas.factorize``), so the cost
is one vectorised pass over the cells plus a tiny Python loop over the few
different spellings a column holds.
"""

from __future__ import annotations

import math
import operator
from dataclasses import dataclass, field
from itertools import repeat

import numpy as np
import pandas as pd

from learn_core.errors import (
    ReadError,  # re-exported: the reader's one error type
    Wording,
    render_text,
)
from learn_core.reading.labels import (  # re-exported: the label rules live in labels.py
    MISSING_TOKENS,
    UnknownAnswersError,
    answer_lookup,
    decode_text,
    normalise_label,
)

__all__ = [
    "INVALID",
    "MISSING",
    "MISSING_TOKENS",
    "InvalidCell",
    "LeftOutRow",
    "Problem",
    "ReadError",
    "UnknownAnswersError",
    "ValidationReport",
    "answer_lookup",
    "decode_answers",
    "decode_classes",
    "decode_matrix",
    "decode_matrix_classes",
    "normalise_label",
]

#: Codes used by :func:`decode_answers` besides 1–5.
MISSING = 0
INVALID = -1


def _decode_one(value: object, lookup: dict[str, int]) -> int:
    """Code of one distinct cell value: 1–5, MISSING or INVALID."""
    if value is None:
        return MISSING
    if isinstance(value, bool | np.bool_):
        return INVALID
    if isinstance(value, int | np.integer):
        return int(value) if 1 <= value <= 5 else INVALID
    if isinstance(value, float | np.floating):
        if math.isnan(value):
            return MISSING
        return int(value) if value in (1.0, 2.0, 3.0, 4.0, 5.0) else INVALID
    if isinstance(value, str):
        return decode_text(value, lookup)
    return INVALID


def decode_answers(values: pd.Series | np.ndarray, lookup: dict[str, int]) -> np.ndarray:
    """Decode a column of raw cells into int8 codes.

    Parameters
    ----------
    values
        one column of cells as read (numbers, texts, None/NaN, dates, booleans).
    lookup
        accepted answer labels, from :func:`answer_lookup`.

    Returns
    -------
    numpy.ndarray
        int8, the column's length: 1–5 for a valid answer, :data:`MISSING` (0)
        for an empty or "no answer" cell and :data:`INVALID` (−1) for anything
        else (0, 6, 3.5, "abc", a date, TRUE …). Valid answers are never
        coerced: 3.5 is invalid, not 3 or 4.

    Notes
    -----
    Numeric columns are decoded with array operations; other columns once
    per distinct value (``pandas.factorize``). Python hashes ``True`` like
    ``1``, so factorize puts both in one class; the cells of that class are
    told apart by identity with ``True``.
    """
    return decode_classes(values, lookup)[0]


def decode_classes(values: pd.Series | np.ndarray, lookup: dict[str, int]
                   ) -> tuple[np.ndarray, np.ndarray | None, np.ndarray | None, list]:
    """:func:`decode_answers` and what the label check needs.

    Returns
    -------
    (codes, classes, kinds, uniques)
        the int8 codes; for cells held as objects the index of each cell's
        distinct value (−1: empty), per distinct value its kind (1 a text that
        is no answer, 2 a text decoded as an answer, 0 else) and the values;
        ``None, None, []`` for a numeric column.
    """
    arr = values.to_numpy() if isinstance(values, pd.Series) else np.asarray(values)
    if arr.size == 0:
        return np.zeros(0, dtype=np.int8), None, None, []
    if arr.dtype.kind in "fiu":
        floats = arr.astype(np.float64, copy=False)
        out = np.full(floats.shape, INVALID, dtype=np.int8)
        out[np.isnan(floats)] = MISSING
        ok = (floats >= 1) & (floats <= 5) & (floats == np.floor(floats))
        out[ok] = floats[ok].astype(np.int8)
        return out, None, None, []
    if arr.dtype.kind == "b":
        return np.full(arr.shape, INVALID, dtype=np.int8), None, None, []
    codes, uniques = pd.factorize(arr, use_na_sentinel=True)
    table = np.fromiter((_decode_one(u, lookup) for u in uniques), dtype=np.int8, count=len(uniques))
    kinds = np.array([(1 if c == INVALID else 2 if c > MISSING else 0) if isinstance(u, str) else 0
                      for u, c in zip(uniques, table, strict=True)], dtype=np.int8)
    table = np.append(table, np.int8(MISSING))  # index -1 (NA) → MISSING
    out = table[codes]
    for k, u in enumerate(uniques):
        # only the class of 1 can hold booleans and valid answers at once
        if not isinstance(u, str) and u is not None and u == 1:
            where = np.flatnonzero(codes == k)
            is_true = np.fromiter(
                map(operator.is_, arr[where], repeat(True)), dtype=bool, count=where.size
            )
            out[where] = np.where(is_true, INVALID, 1)
            break
    return out, codes, kinds, list(uniques)


def decode_matrix(cells: np.ndarray, lookup: dict[str, int]) -> np.ndarray:
    """:func:`decode_answers` for a 2-D block of cells (rows × items).

    Returns
    -------
    numpy.ndarray
        int8 codes of the block's shape.

    Notes
    -----
    The cells are decoded in one pass in row order, the order in which a
    spreadsheet reader created them; for cells held as Python objects that
    is several times faster than column by column (memory locality).
    """
    cells = np.ascontiguousarray(cells)
    return decode_answers(cells.ravel(), lookup).reshape(cells.shape)


def decode_matrix_classes(cells: np.ndarray, lookup: dict[str, int]):
    """:func:`decode_classes` for a 2-D block (codes and classes in its shape)."""
    cells = np.ascontiguousarray(cells)
    codes, classes, kinds, uniques = decode_classes(cells.ravel(), lookup)
    return (codes.reshape(cells.shape), None if classes is None else classes.reshape(cells.shape), kinds, uniques)


# --------------------------------------------------------------------------- report


@dataclass(frozen=True)
class Problem:
    """One finding about the input; ``row`` is the row number a spreadsheet
    program shows, ``column`` the header as written in the file; ``code`` the
    key of its sentence in ``data/texts.toml`` (``problem.*``) and ``params``
    the values the sentence names (rendered as in an error sentence:
    :func:`learn_core.errors.render_param`)."""

    row: int | None
    column: str | None
    severity: str  # "error" | "warning" | "info"
    code: str
    params: tuple[tuple[str, object], ...] = ()

    @classmethod
    def of(cls, row: int | None, column: str | None, severity: str, code: str, **params: object) -> Problem:
        """A problem whose sentence is ``problem.<code>`` with ``params`` (lists kept as tuples)."""
        return cls(row, column, severity, f"problem.{code}",
                   tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in params.items()))

    def text(self, lang: str = "de") -> str:
        """The sentence in ``lang`` ("de" or "en")."""
        return render_text(self.code, lang, dict(self.params))

    @property
    def message(self) -> str:
        """The German sentence."""
        return self.text("de")

    def to_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "severity": self.severity, "message": self.text("de"),
                "message_en": self.text("en")}


@dataclass(frozen=True)
class InvalidCell:
    """A cell that is neither a valid answer nor empty."""

    row: int
    column: str
    value: str


@dataclass(frozen=True)
class LeftOutRow:
    """A row with content that is not scored, and why: ``summary`` (a row of
    statistics such as Mittelwert or Gesamt), ``note`` (below a blank row
    under the data) or ``no_answer`` (no valid answer)."""

    row: int
    reason: str
    #: the text of the row's first filled cell (summary and note rows)
    text: str = ""

    def to_dict(self) -> dict:
        return {"row": self.row, "reason": self.reason, "text": self.text}


#: How many summary rows are named one by one before they are counted.
MAX_LISTED_ROWS = 20

#: How many invalid cells are listed one by one before they are grouped per column.
MAX_LISTED_CELLS = 50


@dataclass
class ValidationReport:
    """What the reader found: the dashboard shows it, the CLI prints its problems."""

    file_name: str = ""
    sheet: str | None = None
    header_row: int = 1
    #: what the file was read as: "xlsx", "xls", "ods" or "csv" (empty when built from a table)
    file_format: str = ""
    #: text files only: the encoding and the delimiter that were detected
    encoding: str | None = None
    delimiter: str | None = None
    rows_read: int = 0
    respondents: int = 0
    empty_rows_skipped: int = 0
    group_column: str | None = None
    matched_columns: dict[str, str] = field(default_factory=dict)  # item id → header
    unmatched_columns: list[str] = field(default_factory=list)
    missing_items: list[str] = field(default_factory=list)
    unscorable_dimensions: list[str] = field(default_factory=list)
    invalid_cells: list[InvalidCell] = field(default_factory=list)
    invalid_count: int = 0
    invalid_by_column: dict[str, int] = field(default_factory=dict)
    notes: list[Problem] = field(default_factory=list)
    #: names of the dimensions in both languages (for the messages), key → name
    dimension_names: dict[str, Wording] = field(default_factory=dict)
    #: rows with content that are not scored, with the reason (summary, note, no_answer), by row
    left_out_rows: list[LeftOutRow] = field(default_factory=list)
    summary_rows_skipped: int = 0
    note_rows_skipped: int = 0
    #: spreadsheet numbers of every row the header spans (one unless merged or multi-row)
    header_rows: list[int] = field(default_factory=list)
    #: the workbook's other sheets (not read)
    other_sheets: list[str] = field(default_factory=list)

    def problems(self) -> list[Problem]:
        """The findings as a flat list: invalid cells one by one while there
        are few, grouped per column when there are many."""
        out: list[Problem] = list(self.notes)
        if self.other_sheets:
            out.append(Problem.of(None, None, "info", "other_sheets", sheet=self.sheet, others=self.other_sheets))
        if len(self.header_rows) > 1:
            out.append(Problem.of(None, None, "info", "header_rows", first=str(self.header_rows[0]),
                                  last=str(self.header_rows[-1])))
        summary = [r for r in self.left_out_rows if r.reason == "summary"]
        if self.summary_rows_skipped <= MAX_LISTED_ROWS:
            out += [Problem.of(r.row, None, "info", "summary_row", text=r.text) for r in summary]
        else:
            out.append(Problem.of(summary[0].row if summary else None, None, "info", "summary_rows",
                                  count=self.summary_rows_skipped))
        notes = [r for r in self.left_out_rows if r.reason == "note"]
        if self.note_rows_skipped:
            out.append(Problem.of(notes[0].row if notes else None, None, "info",
                                  "note_rows" if self.note_rows_skipped != 1 else "note_row",
                                  count=self.note_rows_skipped))
        if self.missing_items:
            out.append(Problem.of(None, None, "warning", "missing_items", items=", ".join(self.missing_items)))
        for key in self.unscorable_dimensions:
            out.append(Problem.of(None, None, "warning", "unscorable_dimension",
                                  dimension=self.dimension_names.get(key, key)))
        if self.unmatched_columns:
            out.append(Problem.of(None, None, "info", "unmatched_columns", columns=self.unmatched_columns))
        if self.invalid_count <= MAX_LISTED_CELLS:
            for cell in self.invalid_cells:
                out.append(Problem.of(cell.row, cell.column, "warning", "invalid_answer", value=cell.value))
        else:
            first: dict[str, InvalidCell] = {}
            for cell in self.invalid_cells:
                first.setdefault(cell.column, cell)
            for column, count in self.invalid_by_column.items():
                earliest = first.get(column)
                out.append(Problem.of(earliest.row if earliest else None, column, "warning", "invalid_answers",
                                      count=count, first_row="?" if earliest is None else str(earliest.row),
                                      value=earliest.value if earliest else ""))
        if self.empty_rows_skipped:
            out.append(Problem.of(None, None, "info",
                                  "empty_rows" if self.empty_rows_skipped != 1 else "empty_row",
                                  count=self.empty_rows_skipped))
        return out
