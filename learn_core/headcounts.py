"""Headcounts: how many staff each department has, as the user gives them
(typed in on the dashboard, saved with the working state, or a table file
read by :mod:`learn_core.reading.headcounts`). The participation rates are
computed by :mod:`learn_core.analysis.participation`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from learn_core.errors import LearnError, shown

__all__ = ["MAX_HEADCOUNT", "MAX_HEADCOUNT_ROWS", "TOTAL_NAMES", "HeadcountError", "check_count",
           "headcounts_from_rows"]

#: The largest headcount accepted for one department.
MAX_HEADCOUNT = 1_000_000
#: The most departments a headcount table may list.
MAX_HEADCOUNT_ROWS = 500
#: Names of the row that gives the whole organisation's headcount (case-insensitive).
TOTAL_NAMES = ("gesamt", "insgesamt", "summe", "total", "organisation", "gesamte verwaltung")


class HeadcountError(LearnError, ValueError):
    """A headcount table cannot be used (a code of ``errors.headcounts``, in German or English)."""


def _not_whole(name: str) -> HeadcountError:
    return HeadcountError(code="errors.headcounts.not_whole", params={"name": shown(name, 60)})


def check_count(value: object, name: str) -> int:
    """``value`` as a headcount (a whole number 1 … :data:`MAX_HEADCOUNT`; text
    like "1.200" allowed); raises :class:`HeadcountError` naming ``name``."""
    if isinstance(value, bool):
        raise _not_whole(name)
    if isinstance(value, str):
        text = value.strip().replace(".", "").replace("\u202f", "").replace(" ", "")
        if not text.isdigit():
            raise HeadcountError(code="errors.headcounts.not_whole_read",
                                 params={"name": shown(name, 60), "value": shown(value.strip())})
        value = int(text)
    if isinstance(value, float):
        if math.isnan(value) or not value.is_integer():
            raise _not_whole(name)
        value = int(value)
    if not isinstance(value, int):
        raise _not_whole(name)
    if not 1 <= value <= MAX_HEADCOUNT:
        raise HeadcountError(code="errors.headcounts.out_of_range",
                             params={"name": shown(name, 60), "low": 1, "high": MAX_HEADCOUNT})
    return value


def headcounts_from_rows(rows: Iterable[Iterable[object]]) -> dict[str, int]:
    """Department → headcount from rows of (department, headcount) cells.

    A first row whose second cell is not a number is taken for a header;
    rows with an empty name and count are skipped.

    Raises
    ------
    HeadcountError
        for a count that is not a whole number from 1, a department named
        twice, or more than :data:`MAX_HEADCOUNT_ROWS` rows.
    """
    out: dict[str, int] = {}
    for i, row in enumerate(rows):
        cells = list(row)[:2] + [None, None]
        name = " ".join(str(cells[0]).split()) if cells[0] is not None else ""
        count = cells[1]
        blank = count is None or (isinstance(count, float) and math.isnan(count)) or str(count).strip() == ""
        if not name and blank:
            continue
        if i == 0 and not blank and isinstance(count, str) and not count.strip().replace(".", "").isdigit():
            continue  # a header row
        if not name:
            raise HeadcountError(code="errors.headcounts.no_name", params={"row": i + 1})
        if blank:
            continue  # a department without a headcount: no rate
        if name.casefold() in {n.casefold() for n in out}:
            raise HeadcountError(code="errors.headcounts.twice", params={"name": shown(name, 60)})
        out[name] = check_count(count, name[:60])
        if len(out) > MAX_HEADCOUNT_ROWS:
            raise HeadcountError(code="errors.headcounts.too_many", params={"most": MAX_HEADCOUNT_ROWS})
    return out


