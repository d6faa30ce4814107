"""Recognising the columns of a survey export: which header is which item,
which is the group column, which are ignored.

A header names an item when it

* carries the item ID as a code (any case): ``M1``, `` m1 ``, ``M1 - …``,
  ``M1: …``, ``M1 Aussage …`` (also the ID and the statement on two lines
  of one cell), ``LEARN_M1``, ``LEARN.M1`` (expression codes),
  ``LEARN[M1]`` and ``LEARN[M1]. own wording`` (LimeSurvey), ``… (M1)``;
* equals the item's German or English text after normalising case,
  whitespace, quotes, punctuation and a leading number (``3. ``), also
  behind the question of a grid (Google Forms ``Frage [Aussage]``,
  Microsoft Forms ``Frage.Aussage``);
* holds the item's text inside a longer question text (Qualtrics
  ``Frage - Aussage``), when it holds no other item's text beside it.

An ID only counts as a code in these shapes, never inside a longer word:
``M1`` does not match ``M10``, ``HM1`` or ``m1@amt.de``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from learn_core.errors import Phrase, ReadError, shown
from learn_core.instrument import Instrument

__all__ = [
    "GROUP_COLUMN_NAMES",
    "HEADER_ROWS",
    "ColumnMatch",
    "column_letter",
    "columns_text",
    "find_header_row",
    "header_text",
    "item_count",
    "match_columns",
    "match_item",
    "normalise_header",
]

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

#: Rows searched for the header row (title rows may stand above it).
HEADER_ROWS = 10

#: Shortest item text searched inside a longer header (shorter ones could match by chance).
_MIN_INNER = 12
_NUMBERING = re.compile(r"^\s*\d+(?:\.\d+)*[.):]?\s+(?=\D)")
_SPACE = re.compile(r"\s+")


def header_text(value: object) -> str:
    """A header cell as text: numbers as a spreadsheet shows them, single spaces."""
    if value is None:
        return ""
    if isinstance(value, float):
        if value != value:  # NaN
            return ""
        if value.is_integer():
            return str(int(value))
    return _SPACE.sub(" ", str(value)).strip()


def normalise_header(text: str) -> str:
    """Case, whitespace, quotes, punctuation and a leading number removed:
    the form in which a header is compared with an item text."""
    text = unicodedata.normalize("NFKC", text)
    text = _NUMBERING.sub("", text)
    chars = [" " if unicodedata.category(ch)[0] in "PSZC" else ch for ch in text.casefold()]
    return " ".join("".join(chars).split())


def column_letter(index: int) -> str:
    """The spreadsheet letter of a 0-based column index (0 → A, 27 → AB)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@dataclass(frozen=True)
class _Matcher:
    ids: dict[str, str]  # upper-case id → id
    texts: dict[str, str]  # normalised item text → id
    code: re.Pattern[str]
    #: (" text ", id), longest first: statements searched inside longer headers
    inner: tuple[tuple[str, str], ...] = ()


@lru_cache(maxsize=8)
def _matcher(instrument: Instrument) -> _Matcher:
    ids = {item.id.upper(): item.id for item in instrument.items}
    texts: dict[str, str] = {}
    for item in instrument.items:
        for text in (item.text_de, item.text_en):
            key = normalise_header(text)
            if key:
                texts.setdefault(key, item.id)
    alternatives = "|".join(sorted((re.escape(i) for i in ids), key=len, reverse=True))
    end = r"(?=$|[\s_\-–—:=.,;)\]/|])"  # what may follow an ID used as a code
    code = re.compile(
        rf"^\s*(?:[A-Za-z][A-Za-z0-9]*[_.])?(?P<a>{alternatives}){end}"  # "M1", "M1 text", "M1: text", "LEARN_M1"
        rf"|\[\s*(?P<b>{alternatives})\s*\]"  # "LEARN[M1]", "LEARN[M1]. text"
        rf"|\(\s*(?P<c>{alternatives})\s*\)\s*[.:?]?\s*$",  # "text (M1)"
        re.IGNORECASE | re.DOTALL,
    )
    inner = tuple(sorted(((f" {t} ", i) for t, i in texts.items() if len(t) >= _MIN_INNER), key=lambda p: -len(p[0])))
    return _Matcher(ids, texts, code, inner)


def match_item(header: str, instrument: Instrument) -> str | None:
    """The item ID a header stands for, or ``None``.

    Returns
    -------
    str or None
        the item's ID as written in the instrument.
    """
    if not header or not header.strip():
        return None
    return _match_item(header, instrument)


@lru_cache(maxsize=8192)
def _match_item(header: str, instrument: Instrument) -> str | None:
    m = _matcher(instrument)
    found = m.code.search(header)
    if found:
        code = found.group("a") or found.group("b") or found.group("c")
        return m.ids[code.upper()]
    norm = normalise_header(header)
    if norm in m.texts:
        return m.texts[norm]
    # a grid question in front of the statement: "Frage [Aussage]" or "Frage.Aussage"
    bracket = re.fullmatch(r".*?\[(.+)\]\s*", header, re.DOTALL)
    if bracket:
        inner = normalise_header(bracket.group(1))
        if inner in m.texts:
            return m.texts[inner]
    for dot in re.finditer(r"[.?:]", header):
        rest = normalise_header(header[dot.end() :])
        if rest in m.texts:
            return m.texts[rest]
    # the statement inside a longer question text ("Wie sehr … zu? - Aussage (Pflicht)"):
    # the longest statement the header holds, unless another one stands beside it
    padded = f" {norm} "
    hits = [(t, i) for t, i in m.inner if t in padded]
    if not hits:
        return None
    longest, item_id = hits[0]
    if any(i != item_id and t not in longest for t, i in hits[1:]):
        return None
    return item_id


def item_count(headers: list[str], instrument: Instrument) -> int:
    """How many different items a row of header candidates names."""
    return len({i for i in (match_item(h, instrument) for h in headers) if i})


def find_header_row(
    rows: list[list], instrument: Instrument, column_map: dict[str, str] | None = None
) -> tuple[int, int]:
    """The header row among the first :data:`HEADER_ROWS` rows.

    Returns
    -------
    (index, score)
        the row naming the most items (columns of ``column_map`` count too)
        and how many it names; the first non-empty row and 0 when no row
        names any.
    """
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


@dataclass(frozen=True)
class ColumnMatch:
    """Which column (0-based position in the table) holds what."""

    items: dict[str, int]  # item id → column position, in instrument order
    group: int | None
    unmatched: list[int]




#: Words that name the group column inside a longer header ("In welcher Abteilung arbeiten Sie?").
_GROUP_WORDS = ("abteilung", "fachbereich", "organisationseinheit", "dezernat", "dienststelle", "department",
                "amt", "bereich", "referat")
_WORD = re.compile(r"[^\W\d_]+")


def _names_group(text: str) -> bool:
    return any(w in _GROUP_WORDS for w in _WORD.findall(text.casefold()))


def _group_column(headers: list[str], wanted: str | None, parts: list[tuple[str, ...]],
                  candidates: list[int]) -> int | None:
    """The group column: the one named ``wanted`` (its header or any row of a
    header over several rows), else the first with a usual name, else the
    first non-item column whose header holds a usual name as a word."""
    if wanted is not None:
        key = " ".join(wanted.split()).casefold()
        for test in (lambda t: t == wanted, lambda t: t.casefold() == key):
            for j, h in enumerate(headers):
                if test(h) or any(test(p) for p in parts[j]):
                    return j
        raise ReadError(code="errors.read.no_group_column",
                        params={"wanted": shown(wanted, 60), "columns": columns_text(headers)})
    for j in candidates:
        if headers[j].strip().casefold() in GROUP_COLUMN_NAMES:
            return j
    for j in candidates:
        if any(_names_group(t) for t in (headers[j], *parts[j])):
            return j
    return None


#: How many headers a refusal names at most.
_NAMED_COLUMNS = 15


def columns_text(headers: list[str]) -> Phrase:
    """The non-empty headers of a table as they stand in a refusal (the first
    :data:`_NAMED_COLUMNS`, each shortened): die Spalten „ID“, „Abteilung“, … und 4 weitere."""
    named = [h for h in dict.fromkeys(headers) if h]
    if not named:
        return Phrase("errors.phrase.no_columns")
    rest = len(named) - _NAMED_COLUMNS
    names = [shown(h, 40) for h in named[:_NAMED_COLUMNS]]
    return Phrase("errors.phrase.columns_more", {"names": names, "rest": rest}) if rest > 0 \
        else Phrase("errors.phrase.columns", {"names": names})


def match_columns(
    headers: list[str],
    instrument: Instrument,
    *,
    group_column: str | None = None,
    column_map: dict[str, str] | None = None,
    first_column: int = 0,
    parts: list[tuple[str, ...]] | None = None,
) -> ColumnMatch:
    """Assign the columns of a table to items and the group.

    Parameters
    ----------
    headers
        the header texts, in column order (duplicates allowed).
    group_column
        the header of the group column; ``None`` takes the first column with a
        usual name (Abteilung, Fachbereich, …), else the first non-item column
        whose header holds such a name as a word, or none.
    column_map
        extra header → item ID assignments (the mapping step of the dashboard);
        an empty ID leaves the column out.
    first_column
        0-based sheet position of the first column (for the letters in messages).
    parts
        per column, the texts of every header row when the header spans
        several rows (a group column may be named by any of them).

    Returns
    -------
    ColumnMatch

    Raises
    ------
    ReadError
        when no column is an item, two columns name the same item, the group
        column is unknown, or the map names an unknown item; the sentence
        names the columns the table has.
    """
    parts = parts or [() for _ in headers]
    mapping = {k: (v or "").strip().upper() for k, v in (column_map or {}).items()}
    known = {i.upper(): i for i in instrument.item_ids}
    found: list[str | None] = []
    for h in headers:
        if h in mapping:
            if mapping[h] and mapping[h] not in known:
                raise ReadError(code="errors.read.mapping_names_unknown_item", params={"item": shown(mapping[h])})
            found.append(known.get(mapping[h]))
        else:
            found.append(match_item(h, instrument))
    group = _group_column(headers, group_column, parts, [j for j, i in enumerate(found) if i is None])
    items: dict[str, int] = {}
    unmatched: list[int] = []
    for j, (h, item_id) in enumerate(zip(headers, found, strict=True)):
        if j == group:
            continue
        if item_id is None:
            if h:
                unmatched.append(j)
            continue
        if item_id in items:
            first = items[item_id]
            raise ReadError(code="errors.read.item_twice", params={
                "item": item_id, "first": headers[first], "first_letter": column_letter(first_column + first),
                "second": headers[j], "second_letter": column_letter(first_column + j)})
        items[item_id] = j
    if not items:
        raise ReadError(code="errors.read.no_items", params={"columns": columns_text(headers)})
    ordered = {i: items[i] for i in instrument.item_ids if i in items}
    return ColumnMatch(items=ordered, group=group, unmatched=unmatched)
