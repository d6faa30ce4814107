"""Headers over several rows: merged header cells, SurveyMonkey's second row
(``Response`` under each single question, the statements under a grid) and
Qualtrics' three rows (export tags, question texts, ``{"ImportId": …}``).

:func:`header_block` takes the header row :func:`~learn_core.reading.columns.find_header_row`
found and reads the rows around it that belong to the header as one header:
per column one text (the header row's own, or the row above where the header
row is empty or only says ``Response``) and the texts of every header row
(a group column may be named by any of them).
"""

from __future__ import annotations

from dataclasses import dataclass

from learn_core.instrument import Instrument
from learn_core.reading.columns import header_text, match_item
from learn_core.reading.labels import is_answer_text

__all__ = ["SUB_LABELS", "HeaderBlock", "header_block"]

#: What tools write in a second header row under a single question (compared case-insensitively).
SUB_LABELS = frozenset({"response", "open-ended response", "antwort", "offene antwort", "answer"})

#: Rows below the header row that may still belong to it (Qualtrics: two).
_MAX_BELOW = 2


@dataclass(frozen=True)
class HeaderBlock:
    """The header of a table as one row."""

    headers: list[str]
    #: per column, the distinct texts of every header row (top to bottom)
    parts: list[tuple[str, ...]]
    #: 0-based index of the first header row, of the row that names the items and of the first data row
    top: int
    main: int
    first_data: int


def _texts(row: list, width: int) -> list[str]:
    texts = [header_text(v) for v in row]
    return texts + [""] * (width - len(texts))


def _is_import_id(text: str) -> bool:
    return text.startswith("{") and "importid" in text.casefold()


def _continues(texts: list[str], item_columns: dict[int, str], instrument: Instrument) -> bool:
    """Whether a row below the header row belongs to the header: Qualtrics'
    ImportId row, or a row whose item columns name the same items again
    (question texts) or hold ``Response``, and never an answer."""
    if not item_columns:
        return False
    if any(_is_import_id(t) for t in texts):
        return True
    hits = 0
    for j, item_id in item_columns.items():
        t = texts[j]
        if t and is_answer_text(t):
            return False
        if t and (t.casefold() in SUB_LABELS or match_item(t, instrument) == item_id):
            hits += 1
    return 2 * hits >= len(item_columns)


def header_block(rows: list[list], h: int, instrument: Instrument,
                 column_map: dict[str, str] | None = None) -> HeaderBlock:
    """The header around row ``h`` (0-based) of ``rows`` (the first rows of a
    sheet or file) as one row.

    The row above belongs to the header when it has at least two filled
    cells (a title row has one); it gives the text of the columns the header
    row leaves empty or labels only ``Response``. Up to two rows below belong
    to it when they repeat the header row's items or carry Qualtrics'
    ImportId cells.

    Returns
    -------
    HeaderBlock
    """
    width = max((len(r) for r in rows[max(h - 1, 0): h + 1 + _MAX_BELOW]), default=0)
    main = _texts(rows[h], width)
    mapped = set(column_map or {})
    item_columns = {j: match_item(t, instrument) or t for j, t in enumerate(main) if t in mapped
                    or match_item(t, instrument)}
    end = h
    while end + 1 < len(rows) and end - h < _MAX_BELOW and _continues(_texts(rows[end + 1], width), item_columns,
                                                                      instrument):
        end += 1
    top = h
    if h > 0 and sum(1 for v in _texts(rows[h - 1], width) if v) >= 2:
        top = h - 1
    block = [_texts(rows[r], width) for r in range(top, end + 1)]
    headers, parts = [], []
    for j in range(width):
        column = [b[j] for b in block if b[j] and not _is_import_id(b[j])]
        text = main[j]
        if (not text or text.casefold() in SUB_LABELS) and top < h and block[0][j]:
            text = block[0][j]
        if not text and column:
            text = column[0]
        headers.append(text)
        parts.append(tuple(dict.fromkeys(column)))
    return HeaderBlock(headers, parts, top, h, end + 1)
