"""The typed record every analysis works on: decoded answers, groups and the
validation report. Built by :mod:`learn_core.reading` (uploads) or
:mod:`learn_core.workshop` (live answers); the analysis never sees raw cells.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from learn_core.instrument import Instrument
from learn_core.validation import ValidationReport

__all__ = ["NO_GROUP", "Survey", "group_label"]

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
    """

    instrument: Instrument
    answers: pd.DataFrame
    groups: pd.Series | None
    rows: np.ndarray
    report: ValidationReport

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
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    labels = np.array([group_label(u) for u in uniques] + [NO_GROUP], dtype=object)
    return pd.Series(labels[codes], index=values.index, dtype=object)
