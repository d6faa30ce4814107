"""Attribute columns: the columns besides the items that could group the
respondents (Abteilung, Standort, Führungskraft ja/nein, …).

The privacy rules need every grouping of the same data that could be shown,
not only the chosen one: two groupings can give away a small group by
subtraction (see :mod:`learn_core.analysis.privacy`). A column counts as an
attribute when it has between 2 and :data:`MAX_GROUPS` different values and
is not an identifier, a time stamp or free text (almost every value
different, or long texts).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from learn_core.reading.columns import GROUP_COLUMN_NAMES

__all__ = ["CODE_COLUMN_NAMES", "MAX_GROUPS", "attribute_columns", "is_attribute", "pseudonym_codes"]

#: The most groups a grouping may have.
MAX_GROUPS = 200
#: Above this share of different values (from 10 rows on) a column identifies rows, it does not group them.
_IDENTIFIER_SHARE = 0.9
#: Mean length of the different values above which a column is free text.
_FREE_TEXT_LENGTH = 40


def is_attribute(labels: pd.Series) -> bool:
    """Whether a column of group labels (see :func:`~learn_core.reading.survey.group_labels`)
    can group the rows: 2 to :data:`MAX_GROUPS` different values, not nearly
    one per row, not long texts."""
    values = pd.unique(labels.to_numpy())
    distinct = len(values)
    if distinct < 2 or distinct > MAX_GROUPS:
        return False
    rows = len(labels)
    if rows >= 10 and distinct >= _IDENTIFIER_SHARE * rows:
        return False
    return float(np.mean([len(str(v)) for v in values])) <= _FREE_TEXT_LENGTH


def attribute_columns(candidates: dict[str, pd.Series]) -> dict[str, pd.Series]:
    """The attribute columns among ``candidates`` (header → group labels, in
    file order), in priority order: columns with a usual group name
    (Abteilung, Fachbereich, …) first, then the others in file order."""
    kept = {h: s for h, s in candidates.items() if is_attribute(s)}
    named = [h for h in kept if h.strip().casefold() in GROUP_COLUMN_NAMES]
    return {h: kept[h] for h in [*named, *(h for h in kept if h not in named)]}


#: Headers of a pseudonymous respondent code (the same person gives the same
#: code in every survey wave, e.g. built from letters of the mother's name);
#: compared case-insensitively, also as a word inside a longer header.
CODE_COLUMN_NAMES = ("code", "pseudonym", "persönlicher code", "teilnahmecode", "teilnehmercode", "kennung",
                     "selbstgenerierter code", "respondent code", "personal code")


def _is_code_header(header: str) -> bool:
    folded = " ".join(header.casefold().replace("_", " ").replace("-", " ").split())
    return folded in CODE_COLUMN_NAMES or any(word in ("code", "pseudonym") for word in folded.split())


def pseudonym_codes(candidates: dict[str, pd.Series]) -> tuple[str, pd.Series] | None:
    """The column of pseudonymous respondent codes among ``candidates``
    (header → labels): the first whose header names a code and whose filled
    values are nearly all different (a code identifies one person within a
    wave); None when there is none. Its values are for pairing waves only:
    they are never shown or written anywhere."""
    for header, labels in candidates.items():
        if not _is_code_header(header):
            continue
        filled = labels[labels != "ohne Angabe"]
        if len(filled) >= 2 and filled.nunique() >= _IDENTIFIER_SHARE * len(filled):
            return header, labels.where(labels != "ohne Angabe", None)
    return None
