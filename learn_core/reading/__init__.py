"""Reading survey exports: from a file's bytes (:mod:`.source`, checked
against :mod:`.limits` and :mod:`.biff` before any parser sees them – the
gate, :mod:`.gate`, that every file passes) through the table of raw cells
(:mod:`.reader` for workbooks, :mod:`.delimited` for text) and the
recognised columns (:mod:`.columns`) to the decoded
:class:`~learn_core.reading.survey.Survey` with its validation report
(:mod:`.validation`, :mod:`.survey`; free-text comment columns kept
as text, :mod:`.comments`). Every parse runs in a limited child
process (:mod:`.isolation`); saved action plans (:mod:`.plans`) and column
mappings (:mod:`.mapping`) pass the same gate.

The public names below load on first use, so that the checks before
parsing (:mod:`.source`) import without pandas: the command line runs them
while pandas loads.
"""

from __future__ import annotations

import importlib

__all__ = ["GROUP_COLUMN_NAMES", "ReadError", "list_columns", "read_survey", "sheet_names", "survey_from_frame"]

_WHERE = {
    "GROUP_COLUMN_NAMES": "columns",
    "ReadError": "source",
    "list_columns": "reader",
    "read_survey": "reader",
    "sheet_names": "reader",
    "survey_from_frame": "reader",
}


def __getattr__(name: str):
    if name in _WHERE:
        return getattr(importlib.import_module(f"learn_core.reading.{_WHERE[name]}"), name)
    raise AttributeError(f"module 'learn_core.reading' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
