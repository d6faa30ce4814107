"""Adding survey waves to the session (the Verlauf page): through the
session's budget and the gate, with what to tell the user."""

from __future__ import annotations

import hashlib

import streamlit as st

from learn_core.analysis import waves as wv
from learn_core.reading import ReadError, read_survey
from pages.shell.budget import refusal, survey_bytes
from pages.shell.state import error_text, tr
from pages.shell.texts import escape_md

Note = tuple[str, str] | None  # (kind "error" or "info", text)


def add_wave(waves: list[dict], name: str, survey, wave_id: str, label: str | None = None) -> Note:
    """Add a wave to ``waves``; what to tell the user instead, or None. The
    survey counts against the session's budget with its analysis (about as large)."""
    if refused := refusal(name, adds_wave=True, new_bytes=2 * survey_bytes(survey)):
        return "error", refused
    if any(w["id"] == wave_id for w in waves):
        return "info", tr("verlauf2.duplicate", name=escape_md(name))
    waves.append({"id": wave_id, "name": name, "label": label or wv.label_from_name(name, [w["label"] for w in waves]),
                  "survey": survey})
    return None


def take_wave_file(waves: list[dict], f) -> Note:
    """An uploaded wave file through the session's budget and the gate."""
    if refused := refusal(f.name, adds_wave=True, new_bytes=2 * f.size):
        return "error", refused
    try:
        # the answer mapping of Daten applies to every wave (the same export tool)
        survey = read_survey(f.getvalue(), file_name=f.name, answer_map=st.session_state.get("answer_map") or None)
    except ReadError as exc:
        return "error", tr("verlauf2.unusable", name=escape_md(f.name), error=error_text(exc))
    return add_wave(waves, f.name, survey, hashlib.sha256(f.getvalue()).hexdigest())


def tell(note: Note) -> None:
    if note:
        (st.error if note[0] == "error" else st.info)(note[1])
