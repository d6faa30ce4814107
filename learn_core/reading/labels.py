"""Answer labels: the texts survey tools write for the points of a 5-point
agreement scale, numbers with a label in any arrangement, a user's own
assignment (the answer map), and the check that no item column is scored
from half-decoded answers.

A column holding an answer text nobody assigned (``Somewhat agree`` in a file
whose scale the table does not know, LimeSurvey's answer codes ``A1`` … ``A5``)
is not scored partly: when one unknown text is used by several respondents,
:func:`check_labels` raises :class:`UnknownAnswersError`, which names the
column and the texts; the user assigns them to 1–5 (an answer map) and reads
the file again. A lone typo (one cell in the whole table) stays an invalid cell. Two different labels for
one point in one column (``Stimme eher zu`` and ``Stimme zu``: a scale of
other wording) are refused the same way.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

import numpy as np

from learn_core.errors import Phrase, ReadError, shown
from learn_core.instrument import Instrument

__all__ = [
    "MISSING_TOKENS",
    "UnknownAnswersError",
    "answer_lookup",
    "check_labels",
    "decode_text",
    "is_answer_text",
    "normalise_label",
]

MISSING, INVALID = 0, -1

#: Answers that mean "no answer" (compared after :func:`normalise_label`).
MISSING_TOKENS = frozenset({"", "k.a.", "k. a.", "k.a", "ka", "keine angabe", "weiß nicht", "weiss nicht", "n/a",
                            "n.a.", "na", "-", "–", "keine antwort", "no answer", "prefer not to say",
                            "möchte ich nicht beantworten"})

#: Label spellings of survey tools, each mapped to its code (5-point agreement scales).
_EXTRA_LABELS: dict[str, int] = {
    # German "stimme … zu" (Microsoft Forms, LimeSurvey, Qualtrics, SoSci Survey)
    "stimme überhaupt nicht zu": 1, "stimme gar nicht zu": 1, "stimme nicht zu": 2, "stimme eher nicht zu": 2,
    "teils/teils": 3, "teils, teils": 3, "teils teils": 3, "weder noch": 3, "neutral": 3,
    "weder zustimmung noch ablehnung": 3, "stimme weder zu noch lehne ich ab": 3, "unentschieden": 3,
    "stimme eher zu": 4, "stimme zu": 4, "stimme voll und ganz zu": 5, "stimme voll zu": 5, "stimme völlig zu": 5,
    "lehne völlig ab": 1, "lehne voll und ganz ab": 1, "lehne eher ab": 2, "lehne ab": 2,
    # English (SurveyMonkey, Microsoft Forms, Google Forms; Qualtrics' default "somewhat")
    "strongly disagree": 1, "disagree": 2, "somewhat disagree": 2, "neither agree nor disagree": 3,
    "neither agree or disagree": 3, "agree": 4, "somewhat agree": 4, "strongly agree": 5,
    # the German instrument labels with the common "trifft … zu" variants
    "trifft überhaupt nicht zu": 1, "trifft nicht zu": 2, "trifft wenig zu": 2, "trifft teilweise zu": 3,
    "trifft teils zu": 3, "trifft mittelmäßig zu": 3, "trifft ziemlich zu": 4, "trifft zu": 4, "trifft überwiegend zu": 4, "trifft völlig zu": 5,
    "trifft voll und ganz zu": 5,
}

_NUMERIC = re.compile(r"^([1-5])(?:[.,]0+)?$")
#: a number with a label: "1 - text", "1 = text", "1: text", "(1) text", "1 (text)", "text (1)", "text - 1"
_CODED = (
    re.compile(r"^\(?([1-5])\)?\s*[-–=:.)]\s*(.+)$"),
    re.compile(r"^([1-5])\s*[(\[](.+?)[)\]]$"),
    re.compile(r"^([1-5])\s+(\D.*)$"),
)
_CODED_AFTER = (re.compile(r"^(.+?)\s*[(\[]([1-5])[)\]]$"), re.compile(r"^(\D.*?)\s*[-–=:]\s*([1-5])$"))
_QUOTES = str.maketrans({"„": "", "“": "", "”": "", '"': "", "«": "", "»": "", "‚": "", "‘": "", "’": ""})
_LETTER = re.compile(r"[^\W\d_]")


def normalise_label(text: str) -> str:
    """Lower case, NFC, no quotes, single spaces: the form labels are compared in."""
    text = unicodedata.normalize("NFC", text).translate(_QUOTES)
    return " ".join(text.casefold().split())


def answer_lookup(instrument: Instrument, answer_map: dict[str, int] | None = None) -> dict[str, int]:
    """All accepted answer labels (normalised) mapped to their code 1–5 (0:
    no answer): the tools' usual labels, the instrument's and, taking
    precedence, the user's ``answer_map``."""
    table = dict(_EXTRA_LABELS)
    for labels in (instrument.scale.labels_de, instrument.scale.labels_en):
        for code, label in enumerate(labels, start=1):
            table[normalise_label(label)] = code
    for label, code in (answer_map or {}).items():
        table[normalise_label(label)] = int(code)
    return table


def _coded(text: str, lookup: dict[str, int]) -> int | None:
    """The code of a number written with a label; INVALID when the label is
    one of another point (``2 (trifft voll zu)``); None when it is no such form."""
    for pattern in _CODED:
        m = pattern.match(text)
        if m:
            code, label = int(m.group(1)), m.group(2).strip()
            break
    else:
        for pattern in _CODED_AFTER:
            m = pattern.match(text)
            if m:
                code, label = int(m.group(2)), m.group(1).strip()
                break
        else:
            return None
    known = lookup.get(label)
    return code if known is None or known == code else INVALID


def decode_text(value: str, lookup: dict[str, int]) -> int:
    """Code of one answer text: 1–5, MISSING or INVALID."""
    text = normalise_label(value)
    if text in lookup:
        return lookup[text]
    if text in MISSING_TOKENS:
        return MISSING
    m = _NUMERIC.match(text)
    if m:
        return int(m.group(1))
    coded = _coded(text, lookup)
    return INVALID if coded is None else coded


def is_answer_text(text: str) -> bool:
    """Whether a cell text is an answer of the usual scales (1–5 or a label)."""
    return decode_text(text, _EXTRA_LABELS) > MISSING


class UnknownAnswersError(ReadError):
    """Answer texts nobody assigned to 1–5, used by several respondents.

    ``labels`` maps each affected column's header to its unknown texts (as
    written in the file, most used first); the dashboard offers them in its
    mapping step for answer labels.
    """

    def __init__(self, labels: dict[str, list[str]], *, code: str, params: dict[str, object]):
        super().__init__(code=code, params=params)
        self.labels = labels


#: How many unknown texts the sentence names.
_NAMED = 5


def _is_label(text: str) -> bool:
    return bool(_LETTER.search(text)) and not _NUMERIC.match(text)


def check_labels(headers: Sequence[str], counts: Sequence[dict[str, int]], decoded: Sequence[dict[str, int]],
                 lookup: dict[str, int]) -> None:
    """Refuse item columns that would be scored from half-decoded answers.

    Parameters
    ----------
    headers
        the item columns' headers.
    counts
        per column, each distinct cell text that is neither an answer nor
        empty → how many cells hold it.
    decoded
        per column, each distinct label text (no number) that was decoded → how many cells hold it.

    Raises
    ------
    UnknownAnswersError
        when an unknown text with letters stands in at least two cells (of
        one column or several), or a column holds two different labels
        meaning the same point; names the first such column and its texts.
    """
    found: dict[str, list[str]] = {}
    total: dict[str, int] = {}  # a text used once in each of two columns is systematic too
    for unknown in counts:
        for t, n in unknown.items():
            total[normalise_label(t)] = total.get(normalise_label(t), 0) + n
    for header, unknown, labels in zip(headers, counts, decoded, strict=True):
        texts = [t for t, n in sorted(unknown.items(), key=lambda p: -p[1])
                 if total[normalise_label(t)] >= 2 and _is_label(t)]
        by_code: dict[int, list[str]] = {}
        for t in labels:
            key = normalise_label(t)
            if _is_label(t) and key in lookup and lookup[key] > MISSING:  # a plain label, not "4 (…)"
                by_code.setdefault(lookup[key], []).append(t)
        clashes = [t for same in by_code.values() if len({normalise_label(x) for x in same}) > 1 for t in same]
        if texts or clashes:
            found[header] = [*texts, *(t for t in clashes if t not in texts)]
    if not found:
        return
    first, listed = next(iter(found.items()))
    names = [shown(t, 30) for t in listed[:_NAMED]]
    named: object = Phrase("errors.phrase.texts_more", {"names": names, "rest": len(listed) - _NAMED}) \
        if len(listed) > _NAMED else names
    others = len(found) - 1
    where = Phrase("errors.phrase.more_columns", {"column": shown(first, 40), "others": others}) if others \
        else Phrase("errors.phrase.one_column", {"column": shown(first, 40)})
    codes = all(re.fullmatch(r"a\d+", normalise_label(t)) for t in listed)
    hint: object = Phrase("errors.phrase.limesurvey") if codes else ""
    raise UnknownAnswersError(found, code="errors.read.unknown_answers",
                              params={"where": where, "named": named, "hint": hint})


def column_texts(classes: np.ndarray, kinds: np.ndarray, uniques: Sequence, width: int
                 ) -> tuple[list[dict[str, int]], list[dict[str, int]]]:
    """Per column of a decoded block, the unknown and the label texts with
    their counts (for :func:`check_labels`).

    Parameters
    ----------
    classes
        rows × columns index of each cell's distinct value (−1: empty).
    kinds
        per distinct value: 1 an unknown text, 2 a decoded label, 0 anything else.
    """
    unknown: list[dict[str, int]] = [{} for _ in range(width)]
    decoded: list[dict[str, int]] = [{} for _ in range(width)]
    wanted = np.flatnonzero(kinds > 0)
    if wanted.size == 0 or classes.size == 0:
        return unknown, decoded
    flat = classes.reshape(len(classes), -1)
    filled = flat >= 0
    keys = (flat.astype(np.int64) * width + np.arange(width))[filled]  # distinct value × column
    counts = np.bincount(keys, minlength=len(uniques) * width).reshape(len(uniques), width)
    for k in wanted.tolist():
        target = unknown if kinds[k] == 1 else decoded
        text = " ".join(str(uniques[k]).split())
        for j in np.flatnonzero(counts[k]).tolist():
            target[j][text] = target[j].get(text, 0) + int(counts[k, j])
    return unknown, decoded
