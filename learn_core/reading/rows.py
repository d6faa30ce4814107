"""Rows that are no respondents: statistics under or above the data
(``Mittelwert``, ``Median``, ``Anzahl``, ``Gesamt``, ``Summe``, ``Mean``,
``Total``, ``Count``, ``Std. Abw.`` …) and notes below a blank separator row.

A row is a summary row when the first filled cell of the row stands in a
column that is no item and reads like the name of a statistic. ``Min``,
``Max``, ``N``, ``SD`` and ``Modus`` alone could be a name or a code; they
count only next to another summary row (statistics stand in a block). A row without any item cell
below a blank row that follows the data is a note. Both are left out of the
survey (no respondent, no group) and listed in the validation report.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

__all__ = ["LEFT_OUT_REASONS", "classify_rows", "summary_kind"]

#: Why a row with content is not scored.
LEFT_OUT_REASONS = {
    "summary": "Zusammenfassungszeile",
    "note": "Hinweiszeile unter den Daten",
    "no_answer": "keine gültige Antwort",
}

_WORDS = frozenset({
    "mittelwert", "mittelwerte", "durchschnitt", "median", "anzahl", "gesamt", "gesamtergebnis", "gesamtsumme",
    "summe", "summen", "mean", "average", "avg", "total", "totals", "count", "sum", "std", "stdabw",
    "standardabweichung", "stdev", "varianz", "variance", "ergebnis", "ø", "arithmetisches",
})
_AMBIGUOUS = frozenset({"min", "max", "minimum", "maximum", "n", "sd", "modus", "mode", "spannweite"})
_FIRST = re.compile(r"[^\W\d_]+|ø")
#: Longest text taken for the name of a statistic.
_LONGEST = 40


def summary_kind(value: object) -> int:
    """2 for a cell naming a statistic (``Mittelwert``, ``Total:``), 1 for a
    name that is one only beside other statistics (``Min``, ``N``), else 0."""
    if not isinstance(value, str):
        return 0
    text = " ".join(value.casefold().split()).strip(" :.=")
    if not text or len(text) > _LONGEST:
        return 0
    if text in _AMBIGUOUS:
        return 1
    first = _FIRST.match(text)
    if first is None or first.group(0) not in _WORDS:
        return 0
    return 2 if len(text.split()) <= 4 else 0


def _first_cells(columns: list[np.ndarray], item_columns: set[int], rows: int) -> tuple[np.ndarray, np.ndarray]:
    """Per row the summary kind of its first filled cell (0 when that cell is
    an answer cell) and the column it stands in (−1: none)."""
    kind = np.zeros(rows, dtype=np.int8)
    where = np.full(rows, -1, dtype=np.int64)
    open_rows = np.arange(rows)
    for j, values in enumerate(columns):
        if open_rows.size == 0:
            break
        values = np.asarray(values)[open_rows]
        if values.dtype.kind == "f":
            filled = ~np.isnan(values)
            kinds = np.zeros(values.shape, dtype=np.int8)
        elif values.dtype.kind != "O":
            filled = np.ones(values.shape, dtype=bool)
            kinds = np.zeros(values.shape, dtype=np.int8)
        else:
            codes, uniques = pd.factorize(values, use_na_sentinel=True)
            empty = np.array([isinstance(u, str) and not u.strip() for u in uniques] + [True], dtype=bool)
            names = np.array([0 if j in item_columns else summary_kind(u) for u in uniques] + [0], dtype=np.int8)
            filled = ~empty[codes]
            kinds = names[codes]
        kind[open_rows[filled]] = kinds[filled]
        where[open_rows[filled]] = j
        open_rows = open_rows[~filled]
    return kind, where


def classify_rows(columns: list[np.ndarray], item_columns: set[int], blank: np.ndarray, has_answer: np.ndarray,
                  no_item_cell: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Which rows are summary rows and which are notes.

    Parameters
    ----------
    columns
        every column's cells (file order).
    item_columns
        positions of the item columns.
    blank
        rows without any content.
    has_answer
        rows with at least one valid answer.
    no_item_cell
        rows whose item cells are all empty (or "no answer"): only these can be notes.

    Returns
    -------
    (summary, note, label_column)
        boolean masks over the rows and, per row, the column of its first filled cell.
    """
    kind, where = _first_cells(columns, item_columns, len(blank))
    candidate = kind > 0
    run = np.cumsum(~candidate)  # consecutive candidate rows share a number
    certain = np.bincount(run[kind == 2], minlength=run.max(initial=0) + 1) > 0
    summary = candidate & certain[run]
    data = np.flatnonzero(has_answer & ~summary)
    note = np.zeros(len(blank), dtype=bool)
    if data.size:
        separators = np.flatnonzero(blank[data[0]:]) + data[0]
        if separators.size:
            s0 = separators[0]
            note[s0:] = no_item_cell[s0:] & ~blank[s0:] & ~summary[s0:]
    return summary, note, where
