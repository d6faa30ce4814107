"""The phone's dot vote: the dots left on top (they stay in view), one dot
more or back per measure, every tap stored at once and rerunning only this
part of the page."""

from __future__ import annotations

import streamlit as st

from learn_core.workshop import WorkshopInfo, WorkshopStore
from learn_core.workshop import room as live
from pages.shell import escape_md, lang, tr


def _dot(store: WorkshopStore, info: WorkshopInfo, rid: str, add: bool) -> None:
    """One tap: one dot more or back, stored at once."""
    state = st.session_state
    given = state["teilnehmen_dots"]
    try:
        new = live.add_dot(given, rid, info.dots, info.dots_per_measure) if add else live.take_dot(given, rid)
    except ValueError as exc:
        state["teilnehmen_vote_note"] = str(exc)
        return
    _, error = live.attempt(store.vote, info.code, state["teilnehmen_pid"], live.vote_ids(new, info.dots), lang=lang())
    state["teilnehmen_vote_note"] = error
    if not error:
        state["teilnehmen_dots"] = new


@st.fragment
def dot_vote(store: WorkshopStore, info: WorkshopInfo, measures: list) -> None:
    """The vote on ``measures`` under the workshop's rule (dots, dots per measure)."""
    state = st.session_state
    given = {rec.id: state["teilnehmen_dots"].get(rec.id, 0) for rec in measures}
    left = info.dots - live.dots_used(given)
    with st.container(key="teilnehmen_dots_left"):
        st.markdown(f"**{tr('teilnehmen.dots_left', n=left, dots=info.dots)}**")
    if note := state.pop("teilnehmen_vote_note", None):
        st.error(note)
    for rec in measures:
        n = given[rec.id]
        with st.container(border=True):
            st.markdown(f"**{escape_md(rec.title(lang()))}**  \n{'●' * n}{'○' * (info.dots_per_measure - n)} "
                        f"{tr('teilnehmen.dot_on' if n == 1 else 'teilnehmen.dots_on', n=n)}")
            buttons = st.container(horizontal=True)  # one block, not three as columns: a phone redraws all measures
            buttons.button(tr("teilnehmen.dot_add"), key=f"teilnehmen_add_{rec.id}", width="stretch", on_click=_dot,
                        args=(store, info, rec.id, True),
                        disabled=info.closed or left <= 0 or n >= info.dots_per_measure)
            buttons.button(tr("teilnehmen.dot_take"), key=f"teilnehmen_take_{rec.id}", width="stretch", on_click=_dot,
                         args=(store, info, rec.id, False), disabled=info.closed or n == 0)
            with st.expander(tr("teilnehmen.why")):
                st.markdown(escape_md(rec.why(lang())))
