"""Reading a saved action plan (Excel, OpenDocument or CSV) through the gate.

The file passes the same checks as a survey (:func:`learn_core.reading.gate.admit`);
the parse and the plan's own checks (:func:`learn_core.actionplan.plan_from_rows`)
run in a limited child process.
"""

from __future__ import annotations

import io

import pandas as pd

from learn_core.actionplan import MAX_PLAN_ROWS, ActionPlanError, plan_from_rows
from learn_core.errors import ReadError
from learn_core.instrument import Instrument
from learn_core.reading import gate
from learn_core.reading.source import CheckedFile, Source

__all__ = ["UNREADABLE_PLAN", "read_plan", "table_rows"]

UNREADABLE_PLAN = "errors.read.unreadable_plan"


def _rows(checked: CheckedFile, nrows: int) -> list[list]:
    """The first sheet's rows (header first), at most ``nrows``."""
    if checked.kind in ("xlsx", "ods", "xls"):
        from python_calamine import CalamineWorkbook

        wb = CalamineWorkbook.from_filelike(io.BytesIO(checked.data))
        return wb.get_sheet_by_index(0).to_python(nrows=nrows)
    data = checked.data
    text = data.decode("utf-16") if data.startswith((b"\xff\xfe", b"\xfe\xff")) else data.decode("utf-8-sig")
    frame = pd.read_csv(io.StringIO(text), sep=None, engine="python", dtype=str, keep_default_na=False,
                        header=None, nrows=nrows)
    return frame.to_numpy().tolist()


def table_rows(checked: CheckedFile, nrows: int, error: Exception) -> list[list]:
    """In the child: the first sheet's rows of a small table (a plan, the
    headcounts), at most ``nrows``; ``error`` is raised for a file no parser reads."""
    try:
        return _rows(checked, nrows)
    except BaseException as exc:  # also pyo3's PanicException, which is no Exception
        if isinstance(exc, KeyboardInterrupt | SystemExit | MemoryError | RecursionError):
            raise
        raise error from None


def _parse_plan(checked: CheckedFile, instrument: Instrument | None) -> pd.DataFrame:
    """In the child: checked bytes → the checked plan."""
    return plan_from_rows(table_rows(checked, MAX_PLAN_ROWS + 2, ActionPlanError(code=UNREADABLE_PLAN)), instrument)


def read_plan(source: Source, file_name: str | None = None, instrument: Instrument | None = None) -> pd.DataFrame:
    """Read a plan saved by :func:`~learn_core.actionplan.plan_to_xlsx` or
    :func:`~learn_core.actionplan.plan_to_csv`; the format is told by the content.
    A dimension may be named as in ``instrument`` (an own questionnaire) or
    in a built-in version.

    Returns
    -------
    pandas.DataFrame
        the plan with the columns of :data:`~learn_core.actionplan.COLUMNS`.

    Raises
    ------
    ActionPlanError
        when the file cannot be used or is not a plan (missing columns, bad
        status or date, too many rows); its sentence in either language.
    """
    try:
        return gate.parse(_parse_plan, gate.admit(source, file_name), instrument)
    except ReadError as exc:
        raise ActionPlanError.like(exc) from None
