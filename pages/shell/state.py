"""The session's state: defaults set once by app.py, widget binding, the
language, the loaded dataset.

Uploaded data lives only in ``st.session_state`` of the user's session: no
``st.cache_data`` or module-level object ever holds it, so no session can see
another's data, and nothing of an upload is written to disk.
"""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from learn_core.actionplan import empty_plan
from learn_core.i18n import render_error, t
from learn_core.instrument import Instrument, default_instrument
from learn_core.samples import sample_headcounts
from learn_core.workstate import WorkState
from pages.shell.config import min_group_size, server_settings

DEFAULTS = {
    "lang": "de",
    "min_group_size": None,  # set by init_state: the server's default k
    "presentation": False,
    "dataset": None,  # {"name", "data" (bytes) or "frame", "source", "digest"}
    "group_column": None,  # None = recognise automatically
    "column_map": {},
    "answer_map": {},
    "sheet": None,
    "report_organisation": "",
    "action_plan": None,  # set by init_state: an empty plan
    "plan_editor_version": 0,  # a new plan editor whenever the plan changes from outside the editor
    "headcounts": {},  # department → staff, for the participation rates
    "within": None,  # the sidebar's filter: (attribute column, value), or None for all respondents
}

PAGE_FILES = {
    "daten": "pages/daten.py",
    "ueberblick": "pages/ueberblick.py",
    "vergleich": "pages/abteilungsvergleich.py",
    "details": "pages/details.py",
    "ansatzpunkte": "pages/ansatzpunkte.py",
    "massnahmen": "pages/massnahmen.py",
    "verlauf": "pages/verlauf.py",
    "workshop": "pages/live_workshop.py",
    "methodik": "pages/methodik.py",
    "barrierefreiheit": "pages/barrierefreiheit.py",
}


def init_state() -> None:
    """Set the session's shared state once (called by app.py on every run)."""
    for key, value in DEFAULTS.items():
        st.session_state.setdefault(key, value.copy() if isinstance(value, dict) else value)
    if st.session_state["action_plan"] is None:
        st.session_state["action_plan"] = empty_plan()
    if st.session_state["min_group_size"] is None:
        st.session_state["min_group_size"] = server_settings().min_group_size


def set_plan(plan: pd.DataFrame) -> None:
    """Make ``plan`` the session's action plan (the plan editor starts from it)."""
    st.session_state["action_plan"] = plan
    st.session_state["plan_editor_version"] = st.session_state.get("plan_editor_version", 0) + 1


def working_state(with_data: bool = False) -> WorkState:
    """The session's working state (the survey file only with ``with_data``)."""
    ds = st.session_state.get("dataset") or {}
    data = (ds["name"], ds["data"]) if with_data and ds.get("data") is not None else None
    return WorkState(lang=lang(), min_group_size=min_group_size(),
                     group_column=st.session_state.get("group_column"), sheet=st.session_state.get("sheet"),
                     column_map=dict(st.session_state.get("column_map") or {}),
                     answer_map=dict(st.session_state.get("answer_map") or {}),
                     report_organisation=st.session_state.get("report_organisation") or "",
                     plan=st.session_state["action_plan"], dataset=data,
                     headcounts=dict(st.session_state.get("headcounts") or {}),
                     within=tuple(st.session_state["within"]) if st.session_state.get("within") else None)


def restore(state: WorkState) -> None:
    """Take over a loaded working state (the survey file too, when it holds one)."""
    if state.dataset is not None:
        set_dataset(state.dataset[0], data=state.dataset[1], source="upload")
    k = server_settings().allowed_k(state.min_group_size)  # a saved k below the server's floor is raised
    st.session_state.update(lang=state.lang, min_group_size=k, group_column=state.group_column,
                            sheet=state.sheet, column_map=dict(state.column_map),
                            answer_map=dict(state.answer_map),
                            report_organisation=state.report_organisation, headcounts=dict(state.headcounts),
                            within=state.within)  # a filter the loaded data refuses is reset by the cache
    st.session_state.pop("_within_choice", None)
    for key in ("lang", "min_group_size", "report_organisation"):  # the widgets show the loaded values
        st.session_state.pop(f"_w_{key}", None)
    set_plan(state.plan)


def bind(name: str) -> dict:
    """Widget arguments that keep ``st.session_state[name]`` as the lasting value.

    The widget gets its own key and copies its value into the shared state on
    change, so the value survives page switches and interrupted reruns (a
    widget's own state is dropped whenever a run does not render it).
    """
    widget_key = f"_w_{name}"

    def _copy() -> None:
        st.session_state[name] = st.session_state[widget_key]

    return {"key": widget_key, "on_change": _copy}


def lang() -> str:
    return st.session_state.get("lang", "de")


def tr(key: str, **values: object) -> str:
    """The UI text ``key`` in the session's language."""
    return t(key, lang(), **values)


def error_text(exc: BaseException) -> str:
    """The sentence of an error of learn_core in the session's language."""
    return render_error(exc, lang())


def large() -> bool:
    return bool(st.session_state.get("presentation"))


def instrument() -> Instrument:
    """The instrument of the loaded survey (the version its file was made
    with), else the default one (forms, templates, an empty page)."""
    cached = st.session_state.get("_analysis")
    if cached and cached[1] is not None:
        return cached[1].survey.instrument
    return default_instrument()


def set_dataset(name: str, *, data: bytes | None = None, frame=None, source: str = "upload") -> None:
    """Make a file (bytes) or a table (workshop answers) the session's data."""
    if data is not None:
        digest = hashlib.sha256(data).hexdigest()
    else:
        digest = hashlib.sha256(frame.to_csv(index=False).encode("utf-8")).hexdigest()
    st.session_state["dataset"] = {"name": name, "data": data, "frame": frame, "source": source, "digest": digest}
    st.session_state.pop("_reports_made", None)  # reports of the previous data go with it
    st.session_state["group_column"] = None
    st.session_state["sheet"] = None
    st.session_state["within"] = None
    st.session_state.pop("_within_choice", None)
    if source == "sample":  # the demo shows participation with the sample's headcounts
        st.session_state["headcounts"] = sample_headcounts()
    elif st.session_state.get("_dataset_source") == "sample":  # the sample's headcounts are not the user's
        st.session_state["headcounts"] = {}
    st.session_state["_dataset_source"] = source
    st.session_state.pop("_analysis", None)
    st.session_state.pop("_analysis_read", None)


def clear_dataset() -> None:
    st.session_state["dataset"] = None
    st.session_state["within"] = None
    st.session_state.pop("_within_choice", None)
    st.session_state.pop("_reports_made", None)
    st.session_state.pop("_analysis", None)
    st.session_state.pop("_analysis_read", None)
