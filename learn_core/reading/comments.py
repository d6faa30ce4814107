"""Free-text comment columns: recognised among the columns that are neither
items nor the group column, their text kept per row.

A column holds comments when

* its header names a comment (:data:`COMMENT_HEADER_WORDS`: Kommentar,
  Anmerkung, Bemerkung, Freitext, Hinweise, comment, remarks, …, or a
  question like „Was möchten Sie noch sagen?“), or
* its filled cells are mostly text of several words
  (:data:`_TEXT_SHARE` of them with at least :data:`_MIN_WORDS` words that
  hold letters) and it is no attribute that could group the rows – or, if
  it could, its filled cells (at least :data:`_MIN_FILLED`) are nearly all
  different (a few comments among many empty cells).

A column of pseudonymous codes, a column whose header names personal data
(:data:`PERSONAL_HEADER_WORDS`: Name, E-Mail, Telefon, …) and a column the
column mapping leaves out (mapped to no item) are never comment columns:
they are not shown at all. The text is data
from a file: it is kept as plain text (whitespace and control characters
made single spaces, at most :data:`MAX_COMMENT_LENGTH` characters); whoever
shows it escapes it.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd

__all__ = ["COMMENT_HEADER_WORDS", "MAX_COMMENT_LENGTH", "PERSONAL_HEADER_WORDS", "is_personal_header", "comment_text", "comment_texts", "has_text",
           "is_comment_column", "is_comment_header"]

#: Words that make a header a comment column (compared case-insensitively, as
#: a word or the start of a word: "Kommentare", "Anmerkungen zur Umfrage").
COMMENT_HEADER_WORDS = ("kommentar", "anmerkung", "bemerkung", "freitext", "freie antwort", "anregung",
                        "hinweise", "comment", "remark", "free text", "feedback", "suggestion")
#: Words of headers of personal data (never shown as comments), as whole words.
PERSONAL_HEADER_WORDS = ("name", "vorname", "nachname", "e mail", "email", "mail", "telefon", "telefonnummer",
                         "phone", "adresse", "address", "ip", "personalnummer")
#: Questions that ask for free text.
_COMMENT_QUESTIONS = re.compile(
    r"\bwas\s+(?:möchten|moechten|wollen|würden|wuerden)\s+(?:sie|du)\b.*\b(?:sagen|mitteilen|mitgeben|ergänzen)"
    r"|\bwas\s+(?:sollte|könnte|muss)\b.*\bbesser\b"
    r"|\banything\s+else\b|\bwhat\s+else\b",
    re.IGNORECASE,
)
#: The longest comment kept, in characters (longer ones end in "…").
MAX_COMMENT_LENGTH = 2000
_MIN_WORDS = 3
_TEXT_SHARE = 0.5
_MIN_FILLED = 5
_DISTINCT_SHARE = 0.9
_LETTER = re.compile(r"[^\W\d_]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u200b-\u200f\u202a-\u202e\u2066-\u2069]+")


def _folded(header: str) -> str:
    return " ".join(header.casefold().replace("_", " ").replace("-", " ").split())


def is_personal_header(header: str) -> bool:
    """Whether a header names personal data (a name, an address, …): such a column is never shown."""
    folded = _folded(header)
    return any(re.search(rf"\b{re.escape(w)}\b", folded) for w in PERSONAL_HEADER_WORDS)


def is_comment_header(header: str) -> bool:
    """Whether a header names a free-text column (see the module's rules)."""
    folded = _folded(header)
    if not folded or is_personal_header(header):
        return False
    if any(re.search(rf"\b{re.escape(w)}", folded) for w in COMMENT_HEADER_WORDS):
        return True
    return bool(_COMMENT_QUESTIONS.search(folded))


def comment_text(value: object) -> str | None:
    """A cell as the text of a comment: None for an empty cell, None/NaN or
    only whitespace; otherwise NFC-normalised, control characters and runs
    of whitespace made one space, trimmed and cut to :data:`MAX_COMMENT_LENGTH`."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float):
        if value != value:  # NaN
            return None
        value = str(int(value)) if value.is_integer() else repr(value)
    text = unicodedata.normalize("NFC", str(value))
    text = " ".join(_CONTROL.sub(" ", text).split())
    if not text:
        return None
    return text if len(text) <= MAX_COMMENT_LENGTH else text[: MAX_COMMENT_LENGTH - 1] + "…"


def comment_texts(values: np.ndarray) -> pd.Series:
    """:func:`comment_text` for a column (object Series, None where empty),
    computed once per distinct value."""
    codes, uniques = pd.factorize(pd.Series(np.asarray(values, dtype=object), dtype=object), use_na_sentinel=True)
    texts = np.array([comment_text(u) for u in uniques] + [None], dtype=object)
    return pd.Series(texts[codes], dtype=object)


def has_text(values: np.ndarray) -> bool:
    """Whether a column holds any text cell (a column of only numbers, dates
    or empty cells holds no sentences: checked before the texts are built)."""
    return values.dtype.kind in "OUS" and any(isinstance(v, str) for v in values)


def _is_prose(text: str) -> bool:
    words = text.split()
    return len(words) >= _MIN_WORDS and sum(1 for w in words if _LETTER.search(w)) >= _MIN_WORDS


def is_comment_column(header: str, texts: pd.Series, attribute: bool) -> bool:
    """Whether a column that is no item and no group column holds comments:
    its header names a comment, or most of its filled cells are text of
    several words and it is no ``attribute`` (grouping) or its filled cells
    are nearly all different."""
    if is_personal_header(header):
        return False
    if is_comment_header(header):
        return True
    filled = [t for t in texts if t is not None]
    if not filled or sum(1 for t in filled if _is_prose(t)) < _TEXT_SHARE * len(filled):
        return False
    return not attribute or (len(filled) >= _MIN_FILLED and len(set(filled)) >= _DISTINCT_SHARE * len(filled))
