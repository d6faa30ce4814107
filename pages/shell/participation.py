"""Participation on the pages: the overall rate with its warning, the table
per department and the editor of the headcounts (saved with the working state)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from learn_core.analysis import Analysis
from learn_core.display.export import table_display
from learn_core.display.participation import participation_sentence, participation_table
from learn_core.headcounts import HeadcountError, headcounts_from_rows
from learn_core.reading.survey import NO_GROUP
from pages.shell.state import error_text, lang, tr


def participation_summary(analysis: Analysis) -> None:
    """The overall sentence (a warning when the rate is low), or how to add headcounts."""
    p = analysis.result.participation
    if p is None:
        st.caption(tr("participation.none"))
        return
    text = participation_sentence(p, lang())
    (st.warning if p.low or p.rate is None else st.success)(text, icon=":material/groups:")


def participation_details(analysis: Analysis, *, key: str) -> None:
    """The table per department and the headcount editor."""
    p = analysis.result.participation
    if p is not None and p.groups:
        st.dataframe(table_display(participation_table(p, analysis.min_group_size, lang()), lang()), hide_index=True,
                     width="stretch")
    _editor(analysis, key=key)


def _editor(analysis: Analysis, *, key: str) -> None:
    names = sorted({*analysis.groups, *analysis.suppressed_groups} - {NO_GROUP})
    counts = dict(st.session_state.get("headcounts") or {})
    rows = [*names, *(n for n in counts if n not in names)] or ["Gesamt"]
    frame = pd.DataFrame({"name": rows, "count": [counts.get(n) for n in rows]}).astype({"count": "Int64"})
    with st.expander(tr("participation.editor_title"), icon=":material/edit:"):
        st.caption(tr("participation.editor_help"))
        edited = st.data_editor(
            frame, hide_index=True, num_rows="dynamic", key=f"headcount_editor_{key}", width="stretch",
            column_config={"name": st.column_config.TextColumn(tr("participation.col_name"), max_chars=200),
                           "count": st.column_config.NumberColumn(tr("participation.col_headcount"), min_value=1,
                                                                  max_value=1_000_000, step=1)})
        if st.button(tr("participation.apply"), key=f"headcount_apply_{key}", icon=":material/check:"):
            try:
                values = headcounts_from_rows(
                    [[n, None if pd.isna(c) else int(c)] for n, c in zip(edited["name"], edited["count"], strict=True)
                     if isinstance(n, str)])
            except HeadcountError as exc:
                st.error(error_text(exc))
            else:
                st.session_state["headcounts"] = values
                st.rerun()
