"""What one session may keep of uploads in the server's memory.

Uploads live only in the user's session (``st.session_state``), so each
session is held to :data:`MAX_WAVES` survey waves and
:data:`SESSION_BUDGET_BYTES` of uploaded data – the loaded file's bytes and
analysis and every wave's survey and analysis. An upload beyond either gets
one clear sentence instead of more memory. (Parsing itself happens in a
limited child process, not in the server: what counts here is what stays.)
"""

from __future__ import annotations

import logging

import streamlit as st

from learn_core.reading.limits import UPLOAD_LIMIT_MB
from pages.shell.config import server_settings
from pages.shell.state import tr

_LOG = logging.getLogger(__name__)
#: Most survey waves a session may compare.
MAX_WAVES = 12
#: Most bytes of uploaded data a session may keep (about six of the largest
#: files the reader accepts, with their analyses).
SESSION_BUDGET_BYTES = 600_000_000


def _frame_bytes(frame) -> int:
    return int(frame.memory_usage(index=True, deep=True).sum()) if frame is not None else 0


def survey_bytes(survey) -> int:
    """Memory a decoded survey holds (answers, groups, row numbers, report)."""
    if survey is None:
        return 0
    groups = int(survey.groups.memory_usage(index=True, deep=True)) if survey.groups is not None else 0
    report = 100 * len(survey.report.invalid_cells)
    return _frame_bytes(survey.answers) + groups + int(survey.rows.nbytes) + report


def analysis_bytes(analysis) -> int:
    """Memory an analysis holds beyond its survey (respondents' scores and values)."""
    if analysis is None:
        return 0
    return _frame_bytes(analysis.scores) + int(analysis.values.nbytes)


def wave_bytes(wave: dict) -> int:
    return (len(wave.get("data") or b"") + survey_bytes(wave.get("survey"))
            + analysis_bytes(wave.get("_analysis")))


def held_bytes() -> int:
    """Bytes of uploaded data this session keeps now."""
    ds = st.session_state.get("dataset") or {}
    total = len(ds.get("data") or b"") + _frame_bytes(ds.get("frame"))
    cached = st.session_state.get("_analysis")
    if cached and cached[1] is not None:
        total += survey_bytes(cached[1].survey) + analysis_bytes(cached[1])
    return total + sum(wave_bytes(w) for w in st.session_state.get("verlauf_waves") or [])


def _mb(n: int) -> str:
    return f"{n / 1e6:,.0f}".replace(",", ".")


def refusal(name: str, *, adds_wave: bool = False, new_bytes: int = 0) -> str | None:
    """Why the file ``name`` may not be kept (one sentence), or None.

    ``new_bytes`` is what it would add; a wave also counts against :data:`MAX_WAVES`.
    """
    if adds_wave and len(st.session_state.get("verlauf_waves") or []) >= MAX_WAVES:
        _LOG.warning("upload refused: the session holds %d survey waves already", MAX_WAVES)
        return tr("budget.waves_full", n=MAX_WAVES)
    used = held_bytes()
    if used + new_bytes > SESSION_BUDGET_BYTES:
        _LOG.warning("upload refused: session budget (%d MB held, %d MB more asked)", used // 10**6,
                     new_bytes // 10**6)  # no file name: it may name a person
        return tr("budget.memory_full", name=name, used=_mb(used), limit=_mb(SESSION_BUDGET_BYTES))
    return None


def dataset_refusal(name: str, size: int) -> str | None:
    """Why an upload of ``size`` bytes may not become the session's data, or
    None. It replaces the data loaded now; its bytes and analysis are
    counted as twice its size."""
    ds = st.session_state.get("dataset") or {}
    current = len(ds.get("data") or b"") + _frame_bytes(ds.get("frame"))
    cached = st.session_state.get("_analysis")
    if cached and cached[1] is not None:
        current += survey_bytes(cached[1].survey) + analysis_bytes(cached[1])
    return refusal(name, new_bytes=2 * size - current)


def upload_limit() -> dict:
    """The arguments every file uploader takes: the reader's size limit (so
    the browser refuses at the same size); switched off where the
    administrator switched uploads off (LEARN_UPLOADS)."""
    return {"max_upload_size": UPLOAD_LIMIT_MB, "disabled": not server_settings()["LEARN_UPLOADS"]}


def limit_text() -> str:
    """The limit stated in the user's language (or that uploads are off)."""
    if not server_settings()["LEARN_UPLOADS"]:
        return tr("budget.uploads_off")
    return tr("budget.upload_limit", mb=UPLOAD_LIMIT_MB)
