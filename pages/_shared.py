"""UI-side helpers shared by the pages: session state, the per-session
analysis cache, language, chart display with table alternative.

Uploaded data lives only in ``st.session_state`` of the user's session: no
``st.cache_data`` or module-level object ever holds it, so no session can see
another's data, and nothing of an upload is written to disk.
"""

from __future__ import annotations

import hashlib
import logging

import streamlit as st

from learn_core.analysis import Analysis, analyse_upload
from learn_core.i18n import t
from learn_core.instrument import Instrument, default_instrument
from learn_core.reading import ReadError
from learn_core.workshop import WorkshopStore
from learn_core.workshop_ui import STORE_ERRORS, friendly_error, store_settings

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


def escape_md(text: object) -> str:
    """Text from a file, shown as text: Markdown and HTML characters escaped."""
    out = str(text)
    for ch in "\\`*_{}[]()<>#+-.!|~$":
        out = out.replace(ch, "\\" + ch)
    return out


# --------------------------------------------------------------------------- data


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


def current_analysis() -> tuple[Analysis | None, str | None]:
    """The session's analysis, computed once per data and settings.

    Returns (analysis, None) or (None, German/English error sentence), or
    (None, None) when no data is loaded.
    """
    ds = st.session_state.get("dataset")
    if not ds:
        return None, None
    col_map = st.session_state.get("column_map") or {}
    key = (
        ds["digest"],
        st.session_state.get("group_column"),
        st.session_state.get("sheet"),
        tuple(sorted(col_map.items())),
        st.session_state.get("min_group_size"),
    )
    cached = st.session_state.get("_analysis")
    if cached and cached[0] == key:
        return cached[1], cached[2]
    analysis, error = None, None
    try:
        analysis = analyse_upload(
            name=ds["name"], data=ds.get("data"), frame=ds.get("frame"), instrument=instrument(),
            sheet=st.session_state.get("sheet"), group_column=st.session_state.get("group_column"),
            column_map=col_map, min_group_size=int(st.session_state.get("min_group_size", 5)),
        )
    except (ReadError, ValueError) as exc:
        error = str(exc)
    st.session_state["_analysis"] = (key, analysis, error)
    return analysis, error


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
    return analysis


# --------------------------------------------------------------------------- workshop store


@st.cache_resource(show_spinner=False)
def _store(url: str | None, data_dir: str | None) -> WorkshopStore:
    return WorkshopStore(url, data_dir=data_dir)


def workshop_store() -> WorkshopStore:
    """The server process's one workshop store (thread-safe, keeps no answers
    in memory), for the settings in the environment; on failure one friendly
    sentence and the page stops."""
    try:
        return _store(*store_settings())
    except STORE_ERRORS as exc:
        logging.getLogger(__name__).warning("workshop store unavailable: %s", exc)  # details for the admin
        st.error(friendly_error(exc, lang(), opening=True))
        st.stop()


# --------------------------------------------------------------------------- display


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


def show_chart(make_chart, make_table, *, key: str, caption: str | None = None, deps: tuple = (),
               stretch: bool = False) -> None:
    """A chart with its table alternative (tab) and PNG/SVG downloads.

    ``stretch`` lets a chart with long axis labels take the page's width
    (Streamlit fits the whole chart, labels included, into the width it is
    given; at its own width the plot area of such a chart would shrink).

    ``make_chart`` returns an Altair chart, ``make_table`` a DataFrame; both
    are built once per analysis and settings (:func:`memo`), so a rerun only
    sends the ready Vega-Lite spec to the browser.
    """
    spec = memo(f"chart:{key}", lambda: make_chart().to_dict(), *deps)
    # only the open tab is rendered (lazy tabs): a page sends its charts, not
    # every table behind them
    tab_chart, tab_table = st.tabs([tr("common.chart"), tr("common.table")], key=f"tabs_{key}",
                                   on_change="rerun")
    if tab_chart.open:
        with tab_chart:
            st.vega_lite_chart(spec, width="stretch" if stretch else "content", theme=None, key=f"chart_{key}",
                               alt=caption or tr("common.chart"))
            if caption:
                st.caption(caption)
    if tab_table.open:
        with tab_table:
            st.dataframe(memo(f"table:{key}", make_table, *deps), hide_index=True, width="stretch")
    _downloads(spec, key)


def _downloads(spec: dict, key: str) -> None:
    try:
        from learn_core.images import chart_png, chart_svg
    except ImportError:  # reports module not there yet
        return
    c1, c2, _ = st.columns([1, 1, 4])
    with c1:
        st.download_button("PNG", data=lambda: chart_png(spec), file_name=f"{key}.png",
                           mime="image/png", key=f"png_{key}", on_click="ignore", icon=":material/image:")
    with c2:
        st.download_button("SVG", data=lambda: chart_svg(spec), file_name=f"{key}.svg",
                           mime="image/svg+xml", key=f"svg_{key}", on_click="ignore", icon=":material/draw:")


def group_choice(analysis: Analysis, *, key: str) -> str | None:
    """Select the organisation or one reported group; returns None for the organisation."""
    options = [None, *analysis.groups]
    if len(options) == 1:
        return None
    return st.selectbox(
        tr("common.group_choice"), options, key=key,
        format_func=lambda v: tr("label.organisation") if v is None else v,
    )


def report_downloads(page: str) -> None:
    """PDF and Excel report downloads (when the reports module is installed)."""
    try:
        from learn_core.reports import report_pdf, report_xlsx
    except ImportError:
        return
    analysis, _ = current_analysis()
    if analysis is None or analysis.organisation is None:
        return
    plan = st.session_state.get("action_plan_view", st.session_state.get("action_plan"))
    st.divider()
    st.session_state.setdefault("report_organisation", "")
    name = st.text_input(tr("common.report_name"), value=st.session_state["report_organisation"], max_chars=120,
                         placeholder=tr("common.report_name_hint"), **bind("report_organisation")).strip() or None
    c1, c2, _ = st.columns([1, 1, 3])
    with c1:
        st.download_button(
            tr("common.report_pdf"), data=lambda: report_pdf(analysis, lang=lang(), plan=plan, organisation=name),
            file_name="LEARN-Bericht.pdf", mime="application/pdf", on_click="ignore",
            key=f"pdf_{page}", icon=":material/picture_as_pdf:",
        )
    with c2:
        st.download_button(
            tr("common.report_xlsx"), data=lambda: report_xlsx(analysis, lang=lang(), plan=plan, organisation=name),
            file_name="LEARN-Bericht.xlsx", on_click="ignore", key=f"xlsx_{page}",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", icon=":material/table:",
        )
