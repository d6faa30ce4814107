"""The working state as one file: settings, column mapping and action plan
(and the survey file only when the user asks), saved and loaded again, so
that a reload of the page or a new day loses nothing.

The file is JSON (UTF-8) with ``"format": "learn-arbeitsstand"`` and a
version. It is read through the gate like every uploaded file
(:mod:`learn_core.reading.workstate_file`); :func:`from_document` checks
every field, and a file that is not a working state or of an unknown
version raises :class:`WorkStateError` with one sentence (a code of
``errors.workstate``, in German or English).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from dataclasses import dataclass, field

import pandas as pd

from learn_core.actionplan import COLUMNS, MAX_PLAN_ROWS, PDCA, apply_edits, empty_plan
from learn_core.errors import LearnError, Phrase, shown
from learn_core.headcounts import HeadcountError, headcounts_from_rows
from learn_core.instrument import DIMENSION_KEYS

__all__ = ["FORMAT", "VERSION", "WorkState", "WorkStateError", "dumps", "from_document"]

FORMAT = "learn-arbeitsstand"
VERSION = 1
_TEXT = 500
#: The bounds of a saved minimum group size.
_K_BOUNDS = (3, 1000)


class WorkStateError(LearnError, ValueError):
    """A working-state file cannot be loaded (a code of ``errors.workstate``, in German or English)."""


@dataclass(frozen=True)
class WorkState:
    """What a session keeps besides the survey itself."""

    lang: str = "de"
    min_group_size: int = 5
    group_column: str | None = None
    sheet: str | None = None
    column_map: dict[str, str] = field(default_factory=dict)
    report_organisation: str = ""
    #: answer label → 1–5 (0: no answer), the answer mapping step of Daten
    answer_map: dict[str, int] = field(default_factory=dict)
    plan: pd.DataFrame = field(default_factory=empty_plan)
    #: the survey file (name, bytes), only when the user chose to include it
    dataset: tuple[str, bytes] | None = None
    #: staff per department, for the participation rates
    headcounts: dict[str, int] = field(default_factory=dict)
    #: the sidebar's filter (attribute column, value), or None for all respondents
    within: tuple[str, str] | None = None


def dumps(state: WorkState, *, now: dt.datetime | None = None) -> bytes:
    """The working state as the bytes of a ``.json`` file."""
    plan = []
    for rec in state.plan.reindex(columns=list(COLUMNS)).to_dict("records"):
        due = rec.get("Fällig bis")
        rec["Fällig bis"] = None if due is None or pd.isna(due) else pd.Timestamp(due).date().isoformat()
        plan.append({k: ("" if v is None or (isinstance(v, float) and pd.isna(v)) else v) for k, v in rec.items()})
    doc = {
        "format": FORMAT,
        "version": VERSION,
        "saved_at": (now or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds"),
        "settings": {"lang": state.lang, "min_group_size": state.min_group_size, "group_column": state.group_column,
                     "sheet": state.sheet, "report_organisation": state.report_organisation,
                     "filter": None if state.within is None else
                     {"column": state.within[0], "value": state.within[1]}},
        "column_map": dict(state.column_map),
        "answer_map": dict(state.answer_map),
        "headcounts": dict(state.headcounts),
        "plan": plan,
        "dataset": None if state.dataset is None else
        {"name": state.dataset[0], "data": base64.b64encode(state.dataset[1]).decode("ascii")},
    }
    return json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")


def _text(value: object, what: str, *, optional: bool = False) -> str | None:
    """``value`` as a saved text; ``what`` is the code of the field's name (``errors.workstate.field_*``)."""
    if value is None and optional:
        return None
    if not isinstance(value, str) or len(value) > _TEXT:
        raise WorkStateError(code="errors.workstate.bad_text", params={"what": Phrase(what)})
    return value


def from_document(doc: object) -> WorkState:
    """The working state of a parsed working-state file (the JSON of
    :func:`dumps`; the file itself is read by
    :func:`learn_core.reading.workstate_file.read_work_state`, through the gate).

    Raises
    ------
    WorkStateError
        when it is of another format or version, or a field has the wrong type or value.
    """
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise WorkStateError(code="errors.workstate.not_a_work_state")
    if doc.get("version") != VERSION:
        raise WorkStateError(code="errors.workstate.bad_version",
                             params={"found": shown(repr(doc.get("version"))), "version": VERSION})
    settings = doc.get("settings")
    if not isinstance(settings, dict):
        raise WorkStateError(code="errors.workstate.no_settings")
    lang = settings.get("lang")
    k = settings.get("min_group_size")
    if lang not in ("de", "en"):
        raise WorkStateError(code="errors.workstate.bad_language")
    if isinstance(k, bool) or not isinstance(k, int) or not _K_BOUNDS[0] <= k <= _K_BOUNDS[1]:
        raise WorkStateError(code="errors.workstate.bad_min_group_size", params={"low": _K_BOUNDS[0], "high": _K_BOUNDS[1]})
    mapping = doc.get("column_map") or {}
    if not isinstance(mapping, dict) or len(mapping) > 2000 or not all(
        isinstance(a, str) and isinstance(b, str) and len(a) <= _TEXT and len(b) <= 20 for a, b in mapping.items()
    ):
        raise WorkStateError(code="errors.workstate.bad_column_map")
    answers = doc.get("answer_map") or {}  # absent in files saved before the answer mapping step
    if not isinstance(answers, dict) or len(answers) > 500 or not all(
        isinstance(a, str) and len(a) <= _TEXT and not isinstance(b, bool) and isinstance(b, int) and 0 <= b <= 5
        for a, b in answers.items()
    ):
        raise WorkStateError(code="errors.workstate.bad_answer_map")
    return WorkState(
        lang=lang,
        min_group_size=k,
        group_column=_text(settings.get("group_column"), "errors.workstate.field_group_column", optional=True),
        sheet=_text(settings.get("sheet"), "errors.workstate.field_sheet", optional=True),
        column_map=dict(mapping),
        answer_map=dict(answers),
        report_organisation=_text(settings.get("report_organisation") or "", "errors.workstate.field_organisation") or "",
        plan=_plan(doc.get("plan")),
        dataset=_dataset(doc.get("dataset")),
        headcounts=_headcounts(doc.get("headcounts")),
        within=_within(settings.get("filter")),
    )


def _within(value: object) -> tuple[str, str] | None:
    """The saved filter (absent in files saved before the filter existed)."""
    if value is None:
        return None
    if not isinstance(value, dict) or set(value) != {"column", "value"}:
        raise WorkStateError(code="errors.workstate.bad_filter")
    field = "errors.workstate.field_filter"
    return (_text(value["column"], field) or "", _text(value["value"], field) or "")


def _headcounts(value: object) -> dict[str, int]:
    """The saved headcounts (a working state saved before they existed has none)."""
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(
        isinstance(name, str) and len(name) <= _TEXT and isinstance(n, int) and not isinstance(n, bool)
        for name, n in value.items()
    ):
        raise WorkStateError(code="errors.workstate.bad_headcounts")
    try:
        return headcounts_from_rows([[name, count] for name, count in value.items()])
    except HeadcountError as exc:
        raise WorkStateError(code="errors.workstate.headcount", params={"reason": exc}) from None


def _plan(rows: object) -> pd.DataFrame:
    if rows is None:
        return empty_plan()
    if not isinstance(rows, list) or len(rows) > MAX_PLAN_ROWS or not all(isinstance(r, dict) for r in rows):
        raise WorkStateError(code="errors.workstate.plan_not_a_list", params={"most": MAX_PLAN_ROWS})
    for r in rows:
        if r.get("Status") not in (*PDCA, "", None):
            raise WorkStateError(code="errors.workstate.plan_bad_status", params={"value": shown(r.get("Status"))})
        if r.get("Dimension") not in (*DIMENSION_KEYS, "", None):
            raise WorkStateError(code="errors.workstate.plan_bad_dimension")
        for column in COLUMNS:
            if r.get(column) is not None and not isinstance(r.get(column), str):
                raise WorkStateError(code="errors.workstate.plan_not_text", params={"column": column})
    return apply_edits(empty_plan(), {"added_rows": [{c: r.get(c) for c in COLUMNS} for r in rows]})


def _dataset(value: object) -> tuple[str, bytes] | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise WorkStateError(code="errors.workstate.bad_dataset")
    name = _text(value.get("name"), "errors.workstate.field_file_name") or "umfrage"
    try:
        raw = base64.b64decode(_text_data(value.get("data")), validate=True)
    except (binascii.Error, ValueError):
        raise WorkStateError(code="errors.workstate.damaged_dataset") from None
    return name, raw


def _text_data(value: object) -> str:
    if not isinstance(value, str):
        raise WorkStateError(code="errors.workstate.damaged_dataset")
    return value
