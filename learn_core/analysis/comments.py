"""Open comments: the free-text answers of a survey, shown only where no
small group can be singled out. Nothing here sends text anywhere; the texts
are listed, not analysed (the word counts are a simple aid).

The rules (pinned by tests/analysis/test_comments.py, stated on the Methodik
page):

* the comment threshold T is the setting ``LEARN_COMMENT_MIN_GROUP``
  (default :data:`DEFAULT_COMMENT_MIN_GROUP`), never below the minimum group
  size k: T = max(setting, k);
* only respondents' comments count (rows with at least one valid answer);
  empty and whitespace-only comments are dropped;
* the organisation's list (all comments, without any group label) is shown
  when the organisation has at least T respondents;
* a group's list is shown when the group is reported by the analysis (not
  hidden for k or to protect another group) and has at least T respondents,
  and only for one grouping of the data: the first attribute column of the
  file (the usual department column, :func:`~learn_core.reading.attributes.attribute_columns`).
  The same text in the lists of two groupings (Abteilung and Standort) would
  give away the people in both, however small their intersection;
* no small rest by difference: the respondents outside every shown group
  are either none or at least T; otherwise the smallest shown group is
  hidden too ("complementary"), until that holds. Whoever compares the
  organisation's list with the groups' lists then finds the comments of at
  least T people, never fewer;
* every list is in its own random order (never the file's row order, which
  could be matched with the time of answering); with ``seed`` the order is
  reproducible (tests), without it each analysis draws a new one;
* counts of comments are given only for shown lists.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["DEFAULT_COMMENT_MIN_GROUP", "CommentColumn", "CommentList", "Comments", "comment_threshold",
           "open_comments", "stop_words", "word_frequencies"]

#: The comment threshold's default (the setting LEARN_COMMENT_MIN_GROUP).
DEFAULT_COMMENT_MIN_GROUP = 10


@dataclass(frozen=True)
class CommentList:
    """The comments of one unit: ``name`` None for the organisation;
    ``texts`` in random order."""

    name: str | None
    respondents: int
    texts: tuple[str, ...]

    def to_json(self, texts: bool = False) -> dict:
        out: dict[str, object] = {"name": self.name, "respondents": self.respondents,
                                  "count": len(self.texts)}
        if texts:
            out["texts"] = list(self.texts)
        return out


@dataclass(frozen=True)
class CommentColumn:
    """One free-text column: the organisation's list (None below T) and the shown groups' lists."""

    header: str
    organisation: CommentList | None
    groups: tuple[CommentList, ...] = ()

    def to_json(self, texts: bool = False) -> dict:
        return {"header": self.header,
                "organisation": self.organisation.to_json(texts) if self.organisation else None,
                "groups": [g.to_json(texts) for g in self.groups]}


@dataclass(frozen=True)
class Comments:
    """Every comment column with what may be shown of it.

    ``hidden_groups`` are (name, reason) of the groups whose comments are not
    shown: "min_size" (fewer than T), "hidden" (hidden by the analysis),
    "complementary" (to protect the rest), "grouping" (comments are shown
    only by the file's first attribute column). ``reason`` is why the
    organisation's list is missing ("min_size"), else None.
    """

    threshold: int
    columns: tuple[CommentColumn, ...]
    hidden_groups: tuple[tuple[str, str], ...] = ()
    reason: str | None = None

    @property
    def any_shown(self) -> bool:
        return any(c.organisation is not None for c in self.columns)

    def to_json(self, *, texts: bool = False) -> dict:
        """The JSON of ``score`` (``comments``): counts always, texts only with ``texts``."""
        return {"threshold": self.threshold, "reason": self.reason, "texts_included": texts,
                "columns": [c.to_json(texts) for c in self.columns],
                "hidden_groups": [{"name": n, "reason": r} for n, r in self.hidden_groups]}


def comment_threshold(setting: int, k: int) -> int:
    """The effective comment threshold: max(setting, k).

    Raises
    ------
    ValueError
        when ``setting`` is not a whole number of at least 1.
    """
    if isinstance(setting, bool) or not isinstance(setting, int | np.integer) or setting < 1:
        raise ValueError(f"the comment threshold must be a whole number of at least 1, not {setting!r}")
    return max(int(setting), int(k))


def _group_codes(survey, is_resp: np.ndarray) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Each respondent's group as a code, and group name → its codes (one
    pass of hashing instead of a string sort and a comparison per group;
    values that print alike are one name, as before)."""
    codes, uniques = pd.factorize(survey.groups.to_numpy()[is_resp], use_na_sentinel=False)
    by_name: dict[str, list[int]] = {}
    for c, value in enumerate(uniques):
        by_name.setdefault(str(value), []).append(c)
    return codes, {name: np.asarray(cs) for name, cs in by_name.items()}


def _shown_groups(survey, result, codes: np.ndarray, by_name: dict[str, np.ndarray],
                  threshold: int) -> tuple[dict[str, int], list]:
    """Group name → respondents for the groups whose lists are shown, and
    the hidden ones as (name, reason) in name order."""
    if survey.groups is None or result.group_column is None:
        return {}, []
    counts = np.bincount(codes, minlength=max((int(c.max()) + 1 for c in by_name.values()), default=0))
    size = {name: int(counts[cs].sum()) for name, cs in by_name.items()}
    primary = next(iter(survey.attributes), result.group_column)
    shown: dict[str, int] = {}
    hidden: dict[str, str] = {}
    for name in sorted(size):
        if name not in result.groups:
            hidden[name] = "hidden"
        elif size[name] < threshold:
            hidden[name] = "min_size"
        elif result.group_column != primary:
            hidden[name] = "grouping"
        else:
            shown[name] = size[name]
    rest = int(codes.size) - sum(shown.values())
    while shown and 0 < rest < threshold:  # the rest would be found by difference: hide the smallest too
        smallest = min(shown, key=lambda n: (shown[n], n))
        rest += shown.pop(smallest)
        hidden[smallest] = "complementary"
    return shown, sorted(hidden.items())


def open_comments(survey, result, threshold: int = DEFAULT_COMMENT_MIN_GROUP, *, seed: int | None = None) -> Comments:
    """The comments of ``survey`` that may be shown, for the analysis
    ``result`` (:class:`~learn_core.analysis.results.AnalysisResult` of the
    same survey: its k, reported groups and group column).

    Parameters
    ----------
    threshold
        the setting LEARN_COMMENT_MIN_GROUP; the threshold used is
        max(threshold, k) (:func:`comment_threshold`).
    seed
        makes the random order reproducible (tests); None draws it from the
        operating system.

    Returns
    -------
    Comments
        per comment column the organisation's list and the shown groups'
        lists, each shuffled on its own (see the module's rules).

    Raises
    ------
    ValueError
        for a threshold that is no whole number of at least 1.
    """
    t = comment_threshold(threshold, result.min_group_size)
    if not survey.comments:
        return Comments(t, ())
    is_resp = survey.answers.notna().any(axis=1).to_numpy()
    n = int(is_resp.sum())
    rng = random.Random(seed) if seed is not None else random.SystemRandom()
    if n < t:
        return Comments(t, tuple(CommentColumn(h, None) for h in survey.comments), (), "min_size")
    codes, by_name = _group_codes(survey, is_resp) if survey.groups is not None else (np.zeros(0, np.int64), {})
    shown, hidden = _shown_groups(survey, result, codes, by_name, t)
    columns = []
    for header, values in survey.comments.items():
        texts = values.to_numpy()[is_resp]
        filled = pd.notna(texts)  # a comment is a text or None

        def shuffled(mask: np.ndarray, texts=texts) -> tuple[str, ...]:
            out = [str(x) for x in texts[mask]]
            rng.shuffle(out)
            return tuple(out)

        groups = tuple(CommentList(name, size, shuffled(filled & np.isin(codes, by_name[name]))) for name, size in shown.items())
        columns.append(CommentColumn(header, CommentList(None, n, shuffled(filled)), groups))
    return Comments(t, tuple(columns), tuple(hidden))


# --------------------------------------------------------------------------- word counts

_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")


@cache
def stop_words() -> frozenset[str]:
    """The German and English stop words (package data ``data/stopwords.txt``,
    one a line, ``#`` comments), lower case; read on first use."""
    text = (Path(__file__).resolve().parent.parent / "data" / "stopwords.txt").read_text("utf-8")
    return frozenset(w.strip().lower() for w in text.splitlines() if w.strip() and not w.startswith("#"))


def word_frequencies(texts: Iterable[str], *, top: int = 20, min_length: int = 3, min_count: int = 2,
                     extra_stop_words: Iterable[str] = ()) -> list[tuple[str, int]]:
    """The most frequent words of ``texts``: how many comments use each word.

    Words are runs of letters (with inner hyphens or apostrophes), lower
    case; stop words (:func:`stop_words` and ``extra_stop_words``) and words
    shorter than ``min_length`` are left out; a word counts once per comment
    (one person repeating a word does not make it frequent) and is listed
    from ``min_count`` comments on.

    Returns
    -------
    list of (word, comments)
        at most ``top``, most frequent first, ties in alphabetical order.

    Raises
    ------
    ValueError
        for ``top``, ``min_length`` or ``min_count`` below 1.
    """
    if min(top, min_length, min_count) < 1:
        raise ValueError("top, min_length and min_count must be at least 1")
    stops = stop_words() | {w.lower() for w in extra_stop_words}
    counts: Counter[str] = Counter()
    for text in texts:
        words = {w for w in _WORD.findall(str(text).lower()) if len(w) >= min_length and w not in stops}
        counts.update(words)
    ranked = sorted(((w, c) for w, c in counts.items() if c >= min_count), key=lambda p: (-p[1], p[0]))
    return ranked[:top]
