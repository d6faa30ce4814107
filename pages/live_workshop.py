"""Live-Workshop: the facilitator creates a workshop, shows its QR code, watches
the answers come in, reveals and analyses them, and runs the dot vote."""

import streamlit as st

from learn_core.actionplan import add_measures
from learn_core.i18n import fmt_int
from learn_core.workshop import room as live
from pages.shell import (
    PAGE_FILES,
    bind,
    escape_md,
    lang,
    large,
    set_dataset,
    set_plan,
    tr,
    workshop_store,
)

st.title(tr("page.workshop"))
state = st.session_state  # the store opens only when a workshop is made or used
code, key = state.get("live_workshop_code"), state.get("live_workshop_key")
FORGET = {"live_workshop_code": None, "live_workshop_key": None}  # leave: the workshop itself stays stored


def _open(workshop_code: str, admin_key: str) -> None:
    """Keep the workshop in this session only: never in an address."""
    state.update(live_workshop_code=workshop_code, live_workshop_key=admin_key, live_workshop_key_shown=False)
    st.rerun()


if not code:
    st.write(tr("workshop2.intro"))
    tab_new, tab_resume = st.tabs([tr("workshop2.create_title"), tr("workshop2.resume_title")])
    with tab_new, st.form("live_workshop_create"):
        title = st.text_input(tr("workshop2.title_label"), max_chars=200)
        groups = st.text_area(tr("workshop2.groups_label"), help=tr("workshop2.groups_help"))
        dots = st.number_input(tr("workshop2.dots_label"), min_value=1, max_value=5, value=3, step=1)
        if st.form_submit_button(tr("workshop2.create_button"), type="primary"):
            made, error = live.attempt(workshop_store().create_workshop, title, live.parse_groups(groups), int(dots), lang=lang())
            if made:
                _open(made.code, made.admin_key)
            st.error(error)
    with tab_resume, st.form("live_workshop_resume"):
        st.caption(tr("workshop2.resume_help"))
        typed_code = st.text_input(tr("workshop2.code_label"), max_chars=12)
        typed_key = st.text_input(tr("workshop2.key_label"), type="password")
        if st.form_submit_button(tr("workshop2.resume_button"), type="primary"):
            found, error = live.attempt(live.resume, workshop_store(), typed_code, typed_key, lang=lang())
            if found:
                _open(found, typed_key)
            st.error(error)
    st.stop()

store = workshop_store()
info, error = live.attempt(store.workshop, code, lang=lang())
if error:
    st.error(error)
    st.button(tr("workshop2.leave"), on_click=state.update, args=(FORGET,))
    st.stop()

st.header(escape_md(info.title))
main, panel = st.columns([3, 2], gap="large")


def _join() -> None:
    """The QR code, link and code for the participants' phones."""
    if not info.revealed:  # afterwards an expander of that name holds it
        st.markdown(f"**{tr('workshop2.join_heading')}**")
    state.setdefault("live_workshop_base", live.base_url(st.context.url, "live-workshop"))
    try:
        url = live.join_url(state["live_workshop_base"], info.code)
        st.image(live.qr_png(url), width=520 if large() else 420, caption=tr("workshop2.qr_caption"))
        st.code(url, language=None, wrap_lines=True)
    except ValueError:
        url = None
        st.warning(tr("workshop2.err_address"))
    st.subheader(tr("workshop2.code_line", code=info.code), anchor=False)
    with st.expander(tr("workshop2.base_label")):
        st.text_input(tr("workshop2.base_label"), value=state["live_workshop_base"], help=tr("workshop2.base_help"),
                      label_visibility="collapsed", **bind("live_workshop_base"))
        if url:
            st.download_button(tr("workshop2.qr_download"), data=live.qr_svg(url), file_name=f"workshop-{info.code}.svg",
                               mime="image/svg+xml", on_click="ignore", icon=":material/qr_code_2:")


@st.fragment(run_every="2s")
def _ranking() -> None:
    """The dot vote, most dots first, refreshed every two seconds (large text for the projector)."""
    votes, error = live.attempt(store.votes, code, lang=lang())
    table = live.ranking(votes or [], lang())
    if error or table.empty:
        st.info(error or tr("workshop2.ranking_none"))
        return
    most = int(table.iloc[0, 3])
    for rank, measure, dimension, dots in table.itertuples(index=False):  # markdown: large in presentation mode
        st.markdown(f"**{rank}. {escape_md(measure)}** · {escape_md(dimension)} · "
                    f"{tr('workshop2.col_dots')}: **{fmt_int(dots, lang())}**")
        st.progress(dots / most)


def _to_plan() -> None:
    """The top measures of the vote into the action plan that the Maßnahmen page edits."""
    top, add = st.columns(2, vertical_alignment="bottom")
    count = top.number_input(tr("workshop2.top_label"), min_value=1, max_value=10, value=3, key="live_workshop_top")
    if add.button(tr("workshop2.to_plan"), icon=":material/playlist_add:"):
        votes, _ = live.attempt(store.votes, code, lang=lang())
        set_plan(add_measures(state["action_plan"], live.top_measures(votes or [], int(count)), lang()))
        st.success(tr("workshop2.to_plan_done", n=len(state["action_plan"])))
        st.page_link(PAGE_FILES["massnahmen"], label=tr("workshop2.to_plan_link"), icon=":material/checklist:")


@st.fragment(run_every="2s")
def _counter() -> None:
    """The number of answers, refreshed every two seconds, and the analysis of them."""
    n, error = live.attempt(store.count, code, lang=lang())
    if error:
        st.warning(error)
        return
    st.metric(tr("workshop2.counter"), fmt_int(n, lang()), border=True)
    analysed = state.get("live_workshop_analysed") if (state.get("dataset") or {}).get("source") == "workshop" else None
    analysed = analysed if analysed and analysed[0] == code else None  # (code, answers) this session analyses
    label = tr("workshop2.refresh", n=fmt_int(n, lang())) if analysed else tr("workshop2.analyse")
    if st.button(label, type="primary", disabled=not n, icon=":material/analytics:", width="stretch"):
        frame, error = live.attempt(store.responses, code, key, lang=lang())
        if error:
            st.error(error)
            return
        set_dataset(info.title, frame=frame, source="workshop")
        state["live_workshop_analysed"] = (code, len(frame))
        st.rerun(scope="app")
    if analysed:
        st.caption(tr("workshop2.analysed", n=fmt_int(analysed[1], lang())))
        st.page_link(PAGE_FILES["ueberblick"], label=tr("workshop2.to_overview"), icon=":material/dashboard:")


def _act(call, *args: object) -> None:
    """A facilitator's action on the store, then the page anew (or one friendly sentence)."""
    _, error = live.attempt(call, code, key, *args, lang=lang())
    if error:
        st.error(error)
    else:
        st.rerun()


with main:  # before the reveal the way in, afterwards the dot vote (the QR code folded away)
    if info.revealed:
        st.subheader(tr("workshop2.ranking_title"), anchor=False)
        _ranking()
        _to_plan()
    with st.expander(tr("workshop2.join_heading")) if info.revealed else st.container():
        _join()

with panel:
    _counter()
    st.caption(tr("workshop2.status_closed" if info.closed else "workshop2.status_open") + " "
               + tr("workshop2.status_revealed" if info.revealed else "workshop2.status_hidden"))
    if st.button(tr("workshop2.hide" if info.revealed else "workshop2.reveal"), width="stretch",
                 icon=":material/visibility_off:" if info.revealed else ":material/visibility:"):
        _act(store.set_revealed, not info.revealed)
    if st.button(tr("workshop2.reopen" if info.closed else "workshop2.close"), width="stretch",
                 icon=":material/lock_open:" if info.closed else ":material/lock:"):
        _act(store.reopen_workshop if info.closed else store.close_workshop)
    st.download_button(tr("workshop2.export"), data=lambda: store.export(code, key), file_name=f"workshop-{code}.csv",
                       mime="text/csv", on_click="ignore", icon=":material/download:", width="stretch")
    if not state.get("live_workshop_key_shown") and st.button(tr("workshop2.show_key"), icon=":material/key:"):
        state["live_workshop_key_shown"] = True  # shown this once, never again in this session
        st.warning(tr("workshop2.key_once"))
        st.code(key, language=None, wrap_lines=True)
    st.button(tr("workshop2.leave"), help=tr("workshop2.leave_help"), icon=":material/logout:",
              on_click=state.update, args=(FORGET,))
