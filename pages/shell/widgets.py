"""Widgets the pages share: a chart with its table alternative and image
and CSV downloads, a table with its CSV download, the group choice, the
report downloads."""

from __future__ import annotations

import functools

import pandas as pd
import streamlit as st

from learn_core.analysis import Analysis
from learn_core.display.chartdata import screen_spec
from learn_core.display.export import table_csv, table_display
from learn_core.display.images import chart_png, chart_svg
from learn_core.display.views import chart_summary
from learn_core.reading.survey import NO_GROUP
from learn_core.reading.workstate_file import read_work_state
from learn_core.workstate import WorkStateError, dumps
from pages.shell.budget import limit_text, upload_limit
from pages.shell.cache import current_analysis, memo
from pages.shell.state import bind, error_text, lang, restore, tr, working_state

#: The page's language for screen readers and the browser's hyphenation (WCAG 3.1.1).
_LANG_SCRIPT = "<script>document.documentElement.lang = '{code}';</script>"


#: Streamlit greys captions to #76797c on white, 4.37:1; WCAG 1.4.3 asks 4.5:1 (this is 6.1:1).
_BASE_CSS = "<style>[data-testid='stCaptionContainer'], [data-testid='stCaptionContainer'] p { color: #5a626c; opacity: 1; }</style>"


def page_language() -> None:
    """Set ``<html lang>`` to the UI's language: Streamlit writes ``lang="en"``
    whatever the app's language (a static script; the code is one of two);
    and the page's own contrast fixes (static CSS)."""
    code = "en" if lang() == "en" else "de"
    st.html(_LANG_SCRIPT.format(code=code), unsafe_allow_javascript=True)
    st.html(_BASE_CSS)


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
    spec = memo(f"chart:{key}", lambda: screen_spec(make_chart().to_dict(), lang()), *deps)
    # what a screen reader reads for the chart: the caption and its values
    summary = memo(f"summary:{key}", lambda: chart_summary(memo(f"table:{key}", make_table, *deps), lang()),
                   *deps)
    alt = f"{caption or tr('common.chart')}. {summary}"
    # only the open tab is rendered (lazy tabs): a page sends its charts, not
    # every table behind them
    tab_chart, tab_table = st.tabs([tr("common.chart"), tr("common.table")], key=f"tabs_{key}",
                                   on_change="rerun")
    if tab_chart.open:
        with tab_chart:
            st.vega_lite_chart(spec, width="stretch" if stretch else "content", theme=None, key=f"chart_{key}",
                               alt=alt)
            if caption:
                st.caption(caption)
    if tab_table.open:
        with tab_table:
            show_table(memo(f"table:{key}", make_table, *deps), key=f"table_{key}", download=False)
    _downloads(spec, key, memo(f"table:{key}", make_table, *deps))


def show_table(frame: pd.DataFrame, *, key: str, download: bool = True) -> None:
    """A table with its own CSV download (Streamlit's is off: it would write
    text from the data as spreadsheet formulas; ours neutralises them). The
    numbers are shown in the page's language (learn_core.display.export.table_display)."""
    st.dataframe(table_display(frame, lang()), hide_index=True, width="stretch")
    if download:
        st.download_button(tr("common.table_csv"), data=functools.partial(table_csv, frame, lang()), file_name=f"{key}.csv",
                           mime="text/csv", key=f"csv_{key}", on_click="ignore", icon=":material/table_view:")


def _downloads(spec: dict, key: str, table: pd.DataFrame) -> None:
    """PNG, SVG and CSV of a chart. The files are made when clicked, after this
    run: everything they need is passed in, nothing is read from the session."""
    c1, c2, c3, _ = st.columns([1, 1, 1, 3])
    with c1:
        st.download_button("PNG", data=lambda: chart_png(spec), file_name=f"{key}.png",
                           mime="image/png", key=f"png_{key}", on_click="ignore", icon=":material/image:")
    with c2:
        st.download_button("SVG", data=lambda: chart_svg(spec), file_name=f"{key}.svg",
                           mime="image/svg+xml", key=f"svg_{key}", on_click="ignore", icon=":material/draw:")
    with c3:
        st.download_button("CSV", data=functools.partial(table_csv, table, lang()), file_name=f"{key}.csv", mime="text/csv",
                           key=f"csv_{key}", on_click="ignore", icon=":material/table_view:",
                           help=tr("common.table_csv"))


def group_choice(analysis: Analysis, *, key: str) -> str | None:
    """Select the organisation or one reported group; returns None for the organisation."""
    options = [None, *analysis.groups]
    if len(options) == 1:
        return None
    return st.selectbox(
        tr("common.group_choice"), options, key=key,
        format_func=lambda v: tr("label.organisation") if v is None else v,
    )


#: The most values a column may have to be offered as a filter (a longer list helps no one choose).
FILTER_VALUES = 20


def subset_filter() -> None:
    """The sidebar's filter: one value of a further attribute column (Standort,
    Führungskraft, …); every page then shows those respondents, broken down by
    the group column. Shown only when the data has such a column."""
    analysis, _ = current_analysis()
    refused = st.session_state.pop("_within_refused", None)
    if refused:  # the filter was reset: so is its box
        st.session_state["_within_choice"] = None
    if analysis is None or not analysis.result.group_column:
        return
    survey = analysis.survey
    options: list[tuple[str, str] | None] = [None]
    for column, labels in survey.attributes.items():
        if column == analysis.result.group_column:
            continue
        values = sorted(v for v in set(labels) if v != NO_GROUP)
        if 2 <= len(values) <= FILTER_VALUES:
            options += [(column, v) for v in values]
    if len(options) == 1:
        return
    current = st.session_state.get("within")
    current = tuple(current) if current else None
    st.selectbox(tr("filter.label"), options, index=options.index(current) if current in options else 0,
                 format_func=lambda o: tr("filter.all") if o is None else f"{o[0]}: {o[1]}",
                 # "all" is the option None, which Streamlit shows as no choice: with its placeholder,
                 # else the box says "Choose an option" in English
                 placeholder=tr("filter.all"),
                 help=tr("filter.help", k=analysis.min_group_size), key="_within_choice",
                 on_change=lambda: st.session_state.update(within=st.session_state["_within_choice"]))
    if refused:
        st.warning(refused)


#: Reports kept per session (the same report clicked again, e.g. on another page, is not laid out anew).
REPORTS_KEPT = 4


def report_downloads(page: str) -> None:
    """PDF and Excel report downloads (when the reports module is installed);
    a report of the same analysis, language, plan, name and comment choice is
    made once per session and handed out again (its layout takes seconds)."""
    made = st.session_state.setdefault("_reports_made", {})  # this session's only

    def _made(key: tuple, build) -> bytes:
        if key not in made:
            while len(made) >= REPORTS_KEPT:
                made.pop(next(iter(made)))
            made[key] = build()
        return made[key]

    try:
        from learn_core.reports import report_pdf, report_xlsx
    except ImportError:
        return
    analysis, _ = current_analysis()
    if analysis is None or analysis.organisation is None:
        return
    plan = st.session_state["action_plan"]
    lg = lang()  # now: the download is made after this run, outside the session's context
    st.divider()
    st.session_state.setdefault("report_organisation", "")
    name = st.text_input(tr("common.report_name"), value=st.session_state["report_organisation"], max_chars=120,
                         placeholder=tr("common.report_name_hint"), **bind("report_organisation")).strip() or None
    comments = False
    if analysis.result.comments is not None and analysis.result.comments.any_shown:
        st.session_state.setdefault("report_comments", False)
        comments = st.checkbox(tr("comments.report_include"), value=st.session_state["report_comments"],
                               help=tr("comments.report_include_help"), **bind("report_comments"))
    c1, c2, _ = st.columns([1, 1, 3])
    with c1:
        st.download_button(
            tr("common.report_pdf"),
            data=lambda: _made(("pdf", id(analysis), lg, table_csv(plan), name, comments),
                               lambda: report_pdf(analysis, lang=lg, plan=plan, organisation=name, comments=comments)),
            file_name="LEARN-Bericht.pdf", mime="application/pdf", on_click="ignore",
            key=f"pdf_{page}", icon=":material/picture_as_pdf:",
        )
    with c2:
        st.download_button(
            tr("common.report_xlsx"),
            data=lambda: _made(("xlsx", id(analysis), lg, table_csv(plan), name, comments),
                               lambda: report_xlsx(analysis, lang=lg, plan=plan, organisation=name, comments=comments)),
            file_name="LEARN-Bericht.xlsx", on_click="ignore", key=f"xlsx_{page}",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", icon=":material/table:",
        )


def working_state_panel() -> None:
    """Save the working state (settings, mapping, action plan; the survey file
    only when ticked) as one file, and load it again."""
    with st.expander(tr("workstate.title"), icon=":material/save:"):
        st.caption(tr("workstate.help"))
        with_data = st.checkbox(tr("workstate.with_data"), key="_workstate_with_data",
                                help=tr("workstate.with_data_help"))
        state = working_state(with_data)  # made when clicked, from what this run captured
        st.download_button(tr("workstate.save"), data=functools.partial(dumps, state),
                           file_name="LEARN-Arbeitsstand.json", mime="application/json", on_click="ignore",
                           icon=":material/download:", width="stretch")
        loaded = st.file_uploader(tr("workstate.load"), type=["json"], key="_workstate_file", help=limit_text(),
                                  **upload_limit())
        if loaded is not None and st.session_state.get("_workstate_id") != loaded.file_id:
            st.session_state["_workstate_id"] = loaded.file_id
            try:
                restore(read_work_state(loaded.getvalue(), loaded.name))
            except WorkStateError as exc:
                st.error(error_text(exc))
            else:
                st.rerun()
