"""The session's state: defaults set once by app.py, widget binding, the
language, the loaded dataset.

Uploaded data lives only in ``st.session_state`` of the user's session: no
``st.cache_data`` or module-level object ever holds it, so no session can see
another's data, and nothing of an upload is written to disk.
"""

from __future__ import annotations

import hashlib

import streamlit as st

from learn_core.i18n import t
from learn_core.instrument import Instrument, default_instrument

DEFAULTS = {
    "lang": "de",
    "min_group_size": 5,
    "presentation": False,
    "dataset": None,  # {"name", "data" (bytes) or "frame", "source", "digest"}
    "group_column": None,  # None = recognise automatically
    "column_map": {},
    "sheet": None,
}

PAGE_FILES = {
    "daten": "pages/daten.py",
    "ueberblick": "pages/ueberblick.py",
    "vergleich": "pages/abteilungsvergleich.py",
    "details": "pages/details.py",
    "massnahmen": "pages/massnahmen.py",
    "verlauf": "pages/verlauf.py",
    "workshop": "pages/live_workshop.py",
    "teilnehmen": "pages/teilnehmen.py",
    "methodik": "pages/methodik.py",
}


def init_state() -> None:
    """Set the session's shared state once (called by app.py on every run)."""
    for key, value in DEFAULTS.items():
        st.session_state.setdefault(key, value.copy() if isinstance(value, dict) else value)


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


def large() -> bool:
    return bool(st.session_state.get("presentation"))


def instrument() -> Instrument:
    return default_instrument()


def set_dataset(name: str, *, data: bytes | None = None, frame=None, source: str = "upload") -> None:
    """Make a file (bytes) or a table (workshop answers) the session's data."""
    if data is not None:
        digest = hashlib.sha256(data).hexdigest()
    else:
        digest = hashlib.sha256(frame.to_csv(index=False).encode("utf-8")).hexdigest()
    st.session_state["dataset"] = {"name": name, "data": data, "frame": frame, "source": source, "digest": digest}
    st.session_state["group_column"] = None
    st.session_state["sheet"] = None
    st.session_state.pop("_analysis", None)


def clear_dataset() -> None:
    st.session_state["dataset"] = None
    st.session_state.pop("_analysis", None)
