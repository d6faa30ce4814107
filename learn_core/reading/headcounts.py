"""Reading a headcount table (department, headcount; Excel, OpenDocument or
CSV) through the gate, for the participation rates
(:mod:`learn_core.analysis.participation`): the file passes the same checks
as a survey, the parse and the table's checks run in a limited child process.
"""

from __future__ import annotations

from learn_core.errors import ReadError
from learn_core.headcounts import (
    MAX_HEADCOUNT_ROWS,
    HeadcountError,
    headcounts_from_rows,
)
from learn_core.reading import gate
from learn_core.reading.plans import table_rows
from learn_core.reading.source import CheckedFile, Source

__all__ = ["UNREADABLE_HEADCOUNTS", "read_headcounts"]

UNREADABLE_HEADCOUNTS = "errors.read.unreadable_headcounts"


def _parse_headcounts(checked: CheckedFile) -> dict[str, int]:
    """In the child: checked bytes → department → headcount."""
    rows = table_rows(checked, MAX_HEADCOUNT_ROWS + 2, HeadcountError(code=UNREADABLE_HEADCOUNTS))
    return headcounts_from_rows([list(row)[:2] for row in rows])


def read_headcounts(source: Source, file_name: str | None = None) -> dict[str, int]:
    """Department → headcount from a table of two columns (a header row is optional).

    Raises
    ------
    HeadcountError
        when the file cannot be used or a count is not a whole number from 1
        (one sentence, German or English: ``errors.headcounts``).
    """
    try:
        return gate.parse(_parse_headcounts, gate.admit(source, file_name))
    except ReadError as exc:
        raise HeadcountError.like(exc) from None
