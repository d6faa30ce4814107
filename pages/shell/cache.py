"""What a session computes once: the analysis of its data, the display
pieces built from it, and the process's one workshop store."""

from __future__ import annotations

import logging
import threading

import streamlit as st

from learn_core.analysis import Analysis, analyse, analyse_upload
from learn_core.analysis.participation import with_participation
from learn_core.display.images import ChartImageError, favicon_png, warm_up
from learn_core.errors import PrivacyError
from learn_core.i18n import fmt_int
from learn_core.reading import ReadError, isolation
from learn_core.workshop import WorkshopStore
from learn_core.workshop.room import STORE_ERRORS, friendly_error, store_settings
from pages.shell.config import min_group_size, server_settings
from pages.shell.state import PAGE_FILES, error_text, lang, large, tr
from pages.shell.texts import escape_md


def current_analysis() -> tuple[Analysis | None, str | None]:
    """The session's analysis, computed once per data and settings.

    Returns (analysis, None) or (None, German/English error sentence), or
    (None, None) when no data is loaded.
    """
    ds = st.session_state.get("dataset")
    if not ds:
        return None, None
    col_map = st.session_state.get("column_map") or {}
    answer_map = st.session_state.get("answer_map") or {}
    read_key = (  # what reading and scoring depend on
        ds["digest"],
        st.session_state.get("group_column"),
        st.session_state.get("sheet"),
        tuple(sorted(col_map.items())),
        tuple(sorted(answer_map.items())),
        min_group_size(),
    )
    headcounts = st.session_state.get("headcounts") or {}
    key = (*read_key, tuple(sorted(headcounts.items())), tuple(st.session_state.get("within") or ()))
    cached = st.session_state.get("_analysis")
    if cached and cached[0] == key:
        return cached[1], None if cached[2] is None else error_text(cached[2])
    read = st.session_state.get("_analysis_read")
    if read and read[0] == read_key:  # only the headcounts changed: the file is not read again
        analysis, error = read[1], read[2]
    else:
        analysis, error = None, None
        st.session_state["_unknown_answers"] = None
        try:
            analysis = analyse_upload(
                # the instrument: the version the file was made with (the reader tells)
                name=ds["name"], data=ds.get("data"), frame=ds.get("frame"), instrument=None,
                sheet=st.session_state.get("sheet"), group_column=st.session_state.get("group_column"),
                column_map=col_map, answer_map=answer_map, min_group_size=min_group_size(),
                comment_min_group=server_settings().comment_min_group(min_group_size()),
            )
        except (ReadError, ValueError) as exc:
            error = exc
            # unknown answer labels: the Daten page offers them in its answer mapping step
            st.session_state["_unknown_answers"] = getattr(exc, "labels", None)
        st.session_state["_analysis_read"] = (read_key, analysis, error)
    if analysis is not None and st.session_state.get("within"):
        analysis = _filtered(analysis, tuple(st.session_state["within"]))
    if analysis is not None:
        analysis = with_participation(analysis, headcounts)
    st.session_state["_analysis"] = (key, analysis, error)
    return analysis, None if error is None else error_text(error)


def _filtered(analysis: Analysis, within: tuple[str, str]) -> Analysis:
    """The analysis of the sidebar's filter (learn_core.analysis.analyse's
    ``within``); a filter the privacy rules refuse is reset, its sentence kept
    for the sidebar, and the whole analysis stays."""
    try:
        return analyse(analysis.survey, analysis.min_group_size, within=within,
                       comment_min_group=server_settings().comment_min_group(analysis.min_group_size))
    except PrivacyError as exc:
        st.session_state["within"] = None
        st.session_state["_within_refused"] = error_text(exc)
        return analysis


def require_analysis() -> Analysis:
    """The analysis, or a friendly hint to load data (and the page stops)."""
    analysis, error = current_analysis()
    if error:
        st.error(error)
        st.page_link(PAGE_FILES["daten"], label=tr("nav.to_data"), icon=":material/upload_file:")
        st.stop()
    if analysis is None:
        st.info(tr("common.no_data"))
        st.page_link(PAGE_FILES["daten"], label=tr("nav.to_data"), icon=":material/upload_file:")
        st.stop()
    if analysis.organisation is None:
        st.warning(tr("privacy.org_hidden", k=analysis.min_group_size))
        st.stop()
    if analysis.result.subset is not None:  # every page says that it shows a part only
        st.info(tr("filter.active", column=escape_md(analysis.result.subset.column),
                   value=escape_md(analysis.result.subset.value), n=fmt_int(analysis.result.respondents, lang())),
                icon=":material/filter_alt:")
    return analysis


@st.cache_resource(show_spinner=False)
def page_icon() -> bytes:
    """The favicon as PNG, drawn once per server (every run of every session,
    each phone's too, sets it: drawing and encoding it each time cost CPU)."""
    return favicon_png()


# --------------------------------------------------------------------------- parsing and workshop store


@st.cache_resource(show_spinner=False)
def chart_engine() -> threading.Thread:
    """The chart renderer started once per server process, in the background
    (learn_core.display.images.warm_up), so that the first PDF report or chart
    download does not wait for its JavaScript engine; a failure is only logged
    (the download then says its own sentence)."""

    def _warm() -> None:
        try:
            warm_up()
        except ChartImageError as exc:
            logging.getLogger(__name__).warning("chart renderer not warmed up: %s (%s)", exc, exc.__cause__)

    thread = threading.Thread(target=_warm, name="learn-chart-warm-up", daemon=True)
    thread.start()
    return thread


@st.cache_resource(show_spinner=False)
def parser_pool() -> isolation.ParserPool | None:
    """The server process's helper processes that parse uploads in limited
    children (learn_core.reading.isolation), started with the first session
    so that the first upload does not wait for their imports. A wrong
    setting is logged here and refused with its sentence at the first upload."""
    try:
        return isolation.start_pool()
    except ValueError as exc:
        logging.getLogger(__name__).warning("parser helpers not started: %s", exc)
        return None


@st.cache_resource(show_spinner=False)
def _store(url: str | None, data_dir: str | None, retention_days: int) -> WorkshopStore:
    store = WorkshopStore(url, data_dir=data_dir)
    if retention_days:  # once per server process: what the retention period says is due
        store.purge_closed(retention_days)
    return store


def workshop_store() -> WorkshopStore:
    """The server process's one workshop store (thread-safe, keeps no answers
    in memory), for the settings in the environment; on failure one friendly
    sentence and the page stops."""
    try:
        return _store(*store_settings(), server_settings()["LEARN_RETENTION_DAYS"])
    except STORE_ERRORS as exc:
        logging.getLogger(__name__).warning("workshop store unavailable: %s", exc)  # details for the admin
        st.error(friendly_error(exc, lang(), opening=True))
        st.stop()


def memo(name: str, build, *deps):
    """Compute ``build()`` once per analysis, language, presentation mode and
    ``deps``; kept in this session only (never shared with other sessions)."""
    cached = st.session_state.get("_analysis")
    base = cached[0] if cached else None
    store = st.session_state.get("_memo")
    if not store or store.get("__base__") != base:
        store = {"__base__": base}
        st.session_state["_memo"] = store
    key = (name, lang(), large(), *deps)
    if key not in store:
        store[key] = build()
    return store[key]
