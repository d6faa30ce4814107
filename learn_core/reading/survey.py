"""The typed record every analysis works on: decoded answers, groups and the
validation report. Built by :mod:`learn_core.reading` (uploads) or
:mod:`learn_core.workshop` (live answers); the analysis never sees raw cells.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from learn_core.errors import Wording, shown
from learn_core.instrument import DIMENSION_KEYS, Instrument
from learn_core.reading.attributes import attribute_columns, is_attribute, pseudonym_codes
from learn_core.reading.columns import ColumnMatch, match_columns
from learn_core.reading.comments import (
    comment_texts,
    has_text,
    is_comment_column,
    is_comment_header,
)
from learn_core.reading.labels import check_labels, column_texts
from learn_core.reading.rows import classify_rows
from learn_core.reading.validation import (
    INVALID,
    MISSING,
    InvalidCell,
    LeftOutRow,
    Problem,
    ValidationReport,
    answer_lookup,
    decode_classes,
    decode_matrix_classes,
)

__all__ = ["NO_GROUP", "RawTable", "Survey", "build_survey", "group_label", "group_labels"]


@dataclass
class RawTable:
    """A table of raw cells below its header row, as a reader found it:
    one header and one 1-D array of cells per column, the spreadsheet row
    number of each cell row, and the report begun by the reader."""

    headers: list[str]
    columns: list[np.ndarray]
    row_numbers: np.ndarray
    report: ValidationReport = field(default_factory=ValidationReport)
    #: 0-based sheet position of the first column (for column letters in messages)
    first_column: int = 0
    #: the cells as one rows × columns object array when the reader has one
    #: (``columns`` are then views of it); decoded in row order, which is faster
    block: np.ndarray | None = None
    #: per column, the texts of every header row when the header spans several rows
    parts: list[tuple[str, ...]] | None = None
    #: without ``block``: decode item columns holding texts together in row
    #: order anyway (a workbook read column by column through Arrow), so that
    #: the label texts are found in the order a row-wise reader finds them
    row_order: bool = False


#: How many invalid cells the report keeps one by one (all are counted).
MAX_INVALID_KEPT = 10_000

#: The group of respondents whose group cell is empty.
NO_GROUP = "ohne Angabe"


@dataclass
class Survey:
    """Decoded survey answers.

    Attributes
    ----------
    answers
        float64 frame, one row per data row read, one column per item of the
        instrument (in instrument order). Values are the raw answers 1–5 as
        given (not yet reversed); NaN where the cell was empty, "no answer",
        invalid, or the item's column is missing from the file.
    groups
        the group (department) of each row as text, or ``None`` when the file
        has no group column.
    rows
        the spreadsheet row number of each row (as a spreadsheet program shows it).
    report
        what was read and what was left out.
    attributes
        every column that could group the rows (the group column among them),
        header → group labels, in priority order
        (:func:`~learn_core.reading.attributes.attribute_columns`): the
        privacy rules take all of them into account.
    """

    instrument: Instrument
    answers: pd.DataFrame
    groups: pd.Series | None
    rows: np.ndarray
    report: ValidationReport
    attributes: dict[str, pd.Series] = field(default_factory=dict)
    #: pseudonymous respondent codes (header, codes; None where empty) for
    #: pairing survey waves – never displayed (:func:`~learn_core.reading.attributes.pseudonym_codes`)
    codes: tuple[str, pd.Series] | None = None
    #: free-text comment columns, header → text per row (None where empty),
    #: in file order (:mod:`~learn_core.reading.comments`); untrusted text,
    #: shown only as :mod:`learn_core.analysis.comments` allows
    comments: dict[str, pd.Series] = field(default_factory=dict)

    @property
    def n_rows(self) -> int:
        return len(self.answers)


def group_label(value: object) -> str:
    """The text of a group cell as a spreadsheet shows it: ``10`` not ``10.0``,
    trimmed; an empty cell gives :data:`NO_GROUP`."""
    if value is None:
        return NO_GROUP
    if isinstance(value, bool):
        return "WAHR" if value else "FALSCH"
    if isinstance(value, float):
        if math.isnan(value):
            return NO_GROUP
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, pd.Timestamp):
        return value.strftime("%d.%m.%Y") if value == value.normalize() else value.strftime("%d.%m.%Y %H:%M")
    text = " ".join(str(value).split())
    return text if text else NO_GROUP


def group_labels(values: pd.Series) -> pd.Series:
    """:func:`group_label` for a whole column, computed once per distinct value."""
    if values.dtype == object and pd.api.types.infer_dtype(values, skipna=False).startswith("mixed"):
        # hashing takes True for 1 and False for 0: a TRUE cell beside the number 1 became group "1"
        values = values.map(lambda v: group_label(v) if isinstance(v, bool) else v)
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    if pd.api.types.infer_dtype(uniques, skipna=False) == "string":  # only texts: group_label's last case, inlined
        labels = np.array([" ".join(u.split()) or NO_GROUP for u in uniques] + [NO_GROUP], dtype=object)
    else:
        labels = np.array([group_label(u) for u in uniques] + [NO_GROUP], dtype=object)
    return pd.Series(labels[codes], index=values.index, dtype=object)


def merge_spellings(labels: pd.Series) -> tuple[pd.Series, dict[str, tuple[str, ...]]]:
    """Group labels that differ only in upper and lower case („Ja“, „ja“;
    „Bauamt“, „BAUAMT“) as one group, written as most of its rows write it
    (a tie: the first in sort order). Returns the labels and, per merged
    group, the other spellings it took in (sorted)."""
    values = labels.to_numpy()
    _, uniques = pd.factorize(values)
    if len(uniques) < 2 or len({str(u).casefold() for u in uniques}) == len(uniques):
        return labels, {}  # nothing to merge: no sort of the values needed (an ID column has one per row)
    codes, uniques = pd.factorize(values, sort=True)
    names = [str(u) for u in uniques]
    folded = [n.casefold() for n in names]
    counts = np.bincount(codes[codes >= 0], minlength=len(names))
    best: dict[str, int] = {}
    for i, key in enumerate(folded):  # sorted order: a later spelling wins only with more rows
        if key not in best or counts[i] > counts[best[key]]:
            best[key] = i
    target = np.array([best[key] for key in folded], dtype=np.int64)
    merged = {names[best[key]]: tuple(n for n, f in zip(names, folded, strict=True) if f == key and n != names[best[key]])
              for key in set(folded) if folded.count(key) > 1}
    out = np.asarray(names, dtype=object)[target][codes]
    return pd.Series(out, index=labels.index, dtype=object), dict(sorted(merged.items()))


def _is_empty(values: np.ndarray) -> np.ndarray:
    """True where a cell is empty: None, NaN, or text of only spaces."""
    if values.dtype.kind in "fc":
        return np.isnan(values)
    if values.dtype.kind != "O":
        return np.zeros(values.shape, dtype=bool)
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    empty = np.array(
        [isinstance(u, str) and not u.strip() for u in uniques] + [True], dtype=bool
    )
    return empty[codes]


def _cell_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = " ".join(str(value).split())
    return text if len(text) <= 40 else text[:39] + "…"


def build_survey(
    table: RawTable,
    instrument: Instrument,
    *,
    group_column: str | None = None,
    column_map: dict[str, str] | None = None,
    answer_map: dict[str, int] | None = None,
) -> Survey:
    """Decode a table of raw cells into a :class:`Survey`.

    Parameters
    ----------
    table
        the headers (they may repeat) and cells of every column in file
        order, their row numbers, and the report, which is filled in place
        (columns, counts, invalid cells) and attached to the survey.
    group_column, column_map
        as for :func:`learn_core.reading.columns.match_columns`.
    answer_map
        the user's answer label → code 1–5 assignments (see :mod:`.labels`).

    Returns
    -------
    Survey
        one row per row with any content that is no summary or note row
        (:mod:`.rows`; those are listed in ``report.left_out_rows``); rows
        with no content at all are dropped and not counted.

    Raises
    ------
    ReadError
        no item column, an item matched by two columns, an unknown group column;
        :class:`~learn_core.reading.labels.UnknownAnswersError` when an item
        column holds answer texts that cannot be decoded (several times).
    """
    headers, columns, report = table.headers, table.columns, table.report
    match = match_columns(headers, instrument, group_column=group_column, column_map=column_map,
                          first_column=table.first_column, parts=table.parts)
    _report_columns(report, match, headers, instrument)
    lookup = answer_lookup(instrument, answer_map)
    codes, texts = _decode_items(table, match, instrument, lookup)
    blank = _blank_rows(codes, columns)
    has_answer = (codes > MISSING).any(axis=1)
    summary, note, label_column = classify_rows(columns, set(match.items.values()), blank, has_answer,
                                                (codes == MISSING).all(axis=1))
    keep = ~blank & ~summary & ~note
    unknown, decoded = texts(keep)
    check_labels([headers[match.items[it.id]] for it in instrument.items if it.id in match.items],
                 unknown, decoded, lookup)
    all_numbers = np.asarray(table.row_numbers, dtype=np.int64)
    _report_left_out(report, all_numbers, summary, note, label_column, table)
    codes = codes[keep]
    row_numbers = all_numbers[keep]
    _report_invalid(report, codes, row_numbers, np.flatnonzero(keep), table, match, instrument)
    valid = codes > MISSING
    has_answer = valid.any(axis=1)
    report.rows_read = int(len(codes))
    report.respondents = int(has_answer.sum())
    report.empty_rows_skipped = int((~has_answer).sum())
    report.left_out_rows += [LeftOutRow(int(r), "no_answer", "") for r in row_numbers[~has_answer][:MAX_INVALID_KEPT]]
    report.left_out_rows.sort(key=lambda x: x.row)

    answers = pd.DataFrame(np.where(valid, codes, np.nan).astype(np.float64), columns=list(instrument.item_ids))
    groups = None
    if match.group is not None:
        groups = _merged(_labels_of(columns[match.group], keep), headers[match.group], report)
    candidates = {}
    for j in sorted({*match.unmatched, *([match.group] if match.group is not None else [])}):
        if headers[j] and headers[j] not in candidates:
            candidates[headers[j]] = groups if j == match.group else _labels_of(columns[j], keep)
    codes_found = pseudonym_codes(candidates)
    left_out = {h for h, v in (column_map or {}).items() if not (v or "").strip()}  # the mapping leaves them out
    comments = _comment_columns(table, match, keep, candidates, {codes_found[0] if codes_found else None, *left_out})
    merged = {h: (s, {}) if s is groups else merge_spellings(s) for h, s in candidates.items() if h not in comments}
    attributes = attribute_columns({h: m[0] for h, m in merged.items()})
    for header in attributes:
        _say_merged(report, header, merged[header][1])
    return Survey(instrument=instrument, answers=answers, groups=groups, rows=row_numbers, report=report,
                  attributes=attributes, codes=codes_found, comments=comments)


def _comment_columns(table: RawTable, match: ColumnMatch, keep: np.ndarray, labels: dict[str, pd.Series],
                     excluded: set) -> dict[str, pd.Series]:
    """The free-text columns among the unmatched ones (not the group column,
    not ``excluded``: the pseudonym codes, columns the mapping leaves out),
    header → text of each kept row."""
    found: dict[str, pd.Series] = {}
    for j in match.unmatched:
        header = table.headers[j]
        if not header or header in found or header in excluded or header not in labels:
            continue
        values = np.asarray(table.columns[j])[keep]
        if not is_comment_header(header) and not has_text(values):  # numbers, dates: no sentences
            continue
        texts = comment_texts(values)
        if is_comment_column(header, texts, is_attribute(labels[header])):
            found[header] = texts
    return found


def _merged(labels: pd.Series, header: str, report: ValidationReport) -> pd.Series:
    """:func:`merge_spellings` for one column, each merge said in the report."""
    merged, spellings = merge_spellings(labels)
    _say_merged(report, header, spellings)
    return merged


def _say_merged(report: ValidationReport, header: str, spellings: dict[str, tuple[str, ...]]) -> None:
    for name, others in spellings.items():
        report.notes.append(Problem.of(None, header, "info", "spellings", header=shown(header, 40),
                                       others=[shown(o, 40) for o in others], name=shown(name, 40)))


def _labels_of(column: np.ndarray, keep: np.ndarray) -> pd.Series:
    values = np.asarray(column)[keep]
    return group_labels(pd.Series(values, dtype=object if values.dtype.kind == "O" else None))


def _report_columns(report: ValidationReport, match: ColumnMatch, headers: list[str], instrument: Instrument) -> None:
    report.group_column = headers[match.group] if match.group is not None else None
    report.matched_columns = {i: headers[c] for i, c in match.items.items()}
    report.unmatched_columns = [headers[c] for c in match.unmatched]
    report.missing_items = [i for i in instrument.item_ids if i not in match.items]
    report.dimension_names = {d.key: Wording(d.name_de, d.name_en) for d in instrument.dimensions}
    report.unscorable_dimensions = [
        key
        for key in DIMENSION_KEYS
        if sum(1 for it in instrument.items_of(key) if it.id in match.items) < instrument.min_valid(key)
    ]


def _decode_items(table: RawTable, match: ColumnMatch, instrument: Instrument, lookup: dict[str, int]):
    """int8 codes, rows × instrument items (MISSING for an item without
    column), and a function of the rows to keep that gives the unknown and
    the decoded label texts per present item column (for the label check)."""
    codes = np.zeros((len(table.row_numbers), len(instrument.items)), dtype=np.int8)
    present = [j for j, item in enumerate(instrument.items) if item.id in match.items]
    positions = [match.items[instrument.items[j].id] for j in present]
    parts = []
    block = table.block[:, positions] if table.block is not None else None
    if block is None and table.row_order and any(table.columns[c].dtype.kind == "O" for c in positions):
        block = np.empty((len(table.row_numbers), len(positions)), dtype=object)
        for k, c in enumerate(positions):
            block[:, k] = table.columns[c]
    if block is not None:
        codes[:, present], classes, kinds, uniques = decode_matrix_classes(block, lookup)
        if classes is not None:
            parts.append((list(range(len(present))), classes, kinds, uniques))
    else:
        for k, (j, c) in enumerate(zip(present, positions, strict=True)):
            codes[:, j], classes, kinds, uniques = decode_classes(table.columns[c], lookup)
            if classes is not None:
                parts.append(([k], classes, kinds, uniques))

    def texts(keep: np.ndarray):
        unknown: list[dict[str, int]] = [{} for _ in present]
        decoded: list[dict[str, int]] = [{} for _ in present]
        for cols, classes, kinds, uniques in parts:
            u, d = column_texts(classes[keep], kinds, uniques, len(cols))
            for k, a, b in zip(cols, u, d, strict=True):
                unknown[k], decoded[k] = a, b
        return unknown, decoded

    return codes, texts


def _blank_rows(codes: np.ndarray, columns: list[np.ndarray]) -> np.ndarray:
    """True for rows without any content (only rows without answers are checked)."""
    blank = (codes == MISSING).all(axis=1)
    candidates = np.flatnonzero(blank)
    for values in columns:
        if candidates.size == 0:
            break
        still = _is_empty(np.asarray(values)[candidates])
        blank[candidates[~still]] = False
        candidates = candidates[still]
    return blank


def _report_left_out(report: ValidationReport, numbers: np.ndarray, summary: np.ndarray, note: np.ndarray,
                     label_column: np.ndarray, table: RawTable) -> None:
    """List the summary and note rows (with the text of their first cell)."""
    report.left_out_rows = []
    report.summary_rows_skipped = int(summary.sum())
    report.note_rows_skipped = int(note.sum())
    for reason, mask in (("summary", summary), ("note", note)):
        for r in np.flatnonzero(mask)[:MAX_INVALID_KEPT]:
            c = int(label_column[r])
            text = _cell_text(np.asarray(table.columns[c])[r]) if c >= 0 else ""
            report.left_out_rows.append(LeftOutRow(int(numbers[r]), reason, text))


def _report_invalid(
    report: ValidationReport,
    codes: np.ndarray,
    row_numbers: np.ndarray,
    source_rows: np.ndarray,
    table: RawTable,
    match: ColumnMatch,
    instrument: Instrument,
) -> None:
    """Count the invalid cells per column and keep the first ones with their text."""
    invalid = codes == INVALID
    report.invalid_count = int(invalid.sum())
    report.invalid_by_column = {}
    report.invalid_cells = []
    if not report.invalid_count:
        return
    rr, cc = np.nonzero(invalid)  # row by row, left to right
    for j in np.unique(cc):
        report.invalid_by_column[report.matched_columns[instrument.items[j].id]] = int((cc == j).sum())
    for r, c in zip(rr[:MAX_INVALID_KEPT], cc[:MAX_INVALID_KEPT], strict=True):
        col = match.items[instrument.items[c].id]
        value = np.asarray(table.columns[col])[source_rows[r]]
        report.invalid_cells.append(InvalidCell(int(row_numbers[r]), table.headers[col], _cell_text(value)))
