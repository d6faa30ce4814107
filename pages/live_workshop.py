"""Live-Workshop: the facilitator creates a workshop, shows its QR code, watches
the answers come in, reveals and analyses them, and runs the dot vote."""

import streamlit as st

from learn_core.actionplan import add_measures
from learn_core.i18n import fmt_int
from learn_core.instrument import DEFAULT_VERSION, instrument_versions
from learn_core.workshop import room as live
from pages.room import room_results
from pages.room.join import join_panel
from pages.shell import PAGE_FILES, escape_md, lang, set_dataset, set_plan, tr, workshop_store
from pages.shell.config import min_group_size, server_settings

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
        spread = st.toggle(tr("workshop2.dots_spread"), help=tr("workshop2.dots_mode_help"))
        k = st.number_input(tr("workshop2.k_label"), min_value=server_settings().k_floor, max_value=50, step=1,
                            help=tr("workshop2.k_help"), value=min_group_size(),
                            disabled=server_settings().is_locked("LEARN_MIN_GROUP_SIZE"))
        expected = st.number_input(tr("workshop2.expected_label"), min_value=1, max_value=10_000, value=None,
                                   step=1, help=tr("workshop2.expected_help"))
        versions = [inst.version for inst in instrument_versions()]
        version = st.selectbox(tr("workshop2.instrument_label"), versions, index=versions.index(DEFAULT_VERSION),
                               help=tr("workshop2.instrument_help"))
        if st.form_submit_button(tr("workshop2.create_button"), type="primary"):
            made, error = live.attempt(workshop_store().create_workshop, title, live.parse_groups(groups), int(dots),
                                       min_group_size=server_settings().allowed_k(int(k)),  # never below the floor
                                       expected=None if expected is None else int(expected),
                                       dots_per_measure=1 if spread else int(dots), instrument_version=version,
                                       lang=lang())
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


@st.fragment(run_every="2s")
def _ranking() -> None:
    """The dot vote, most dots first, refreshed every two seconds (large text for the projector)."""
    votes, error = live.attempt(store.votes, code, lang=lang())
    table = live.ranking(votes or [], lang(), info.instrument)
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
        if (state.get("dataset") or {}).get("source") != "workshop":  # the plan's pages need the answers loaded
            frame, _ = live.attempt(store.responses, code, key)
            if frame is not None:
                set_dataset(info.title, frame=frame, source="workshop")
                state["live_workshop_analysed"] = (code, len(frame))
                st.caption(tr("workshop2.to_plan_loaded"))
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
    now, _ = live.attempt(store.workshop, code)
    expected = now.expected if now else info.expected
    (st.warning if expected is not None and n > expected else st.caption)(live.participants_line(n, expected, lang()))
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
    outcome, error = live.attempt(call, code, key, *args, lang=lang())
    if error:
        st.error(error)
        return
    if isinstance(outcome, live.Reveal):  # what the room now sees, and why, after the rerun
        state["live_workshop_notice"] = live.reveal_message(outcome, lang(), info.instrument)
        now, _ = live.attempt(store.workshop, code)
        if now is not None:  # computed here once, so that the presenter view finds the room's results ready
            room_results(store, now, lang())
    st.rerun()


with main:  # before the reveal the way in, afterwards the dot vote (the QR code folded away)
    if info.revealed:
        st.subheader(tr("workshop2.ranking_title"), anchor=False)
        _ranking()
        _to_plan()
    with st.expander(tr("workshop2.join_heading")) if info.revealed else st.container():
        join_panel(store, info, key)

def _set_expected() -> None:
    value = state.get("live_workshop_expected")
    _, error = live.attempt(store.set_expected, code, key, None if value is None else int(value), lang=lang())
    if error:
        state["live_workshop_notice"] = error


with panel:
    _counter()
    st.number_input(tr("workshop2.expected_set"), min_value=1, max_value=10_000, value=info.expected, step=1,
                    key="live_workshop_expected", on_change=_set_expected, help=tr("workshop2.expected_help"))
    st.caption(tr("workshop2.status_closed" if info.closed else "workshop2.status_open") + " "
               + tr("workshop2.status_revealed" if info.revealed else "workshop2.status_hidden") + " "
               + tr("workshop2.k_line", k=info.min_group_size) + " · "
               + tr("workshop2.instrument_line", version=info.instrument_version))
    if st.button(tr("workshop2.hide" if info.revealed else "workshop2.reveal"), width="stretch",
                 icon=":material/visibility_off:" if info.revealed else ":material/visibility:"):
        _act(store.set_revealed, not info.revealed)
    if notice := state.pop("live_workshop_notice", None):
        st.info(notice)
    if info.revealed and st.button(tr("workshop2.reveal_again"), width="stretch", icon=":material/refresh:"):
        _act(store.reveal)
    if st.button(tr("workshop2.ranking_hide" if info.ranking_shown else "workshop2.ranking_show"), width="stretch",
                 icon=":material/leaderboard:"):
        _act(store.set_ranking_shown, not info.ranking_shown)
    if st.button(tr("workshop2.counter_resume" if info.counter_paused else "workshop2.counter_pause"), width="stretch",
                 icon=":material/timer_pause:"):
        _act(store.set_counter_paused, not info.counter_paused)
    if st.button(tr("workshop2.reopen" if info.closed else "workshop2.close"), width="stretch",
                 icon=":material/lock_open:" if info.closed else ":material/lock:"):
        _act(store.reopen_workshop if info.closed else store.close_workshop)
    st.download_button(tr("workshop2.export", k=info.min_group_size), data=lambda: live.attempt(store.export, code, key)[0] or b"", file_name=f"workshop-{code}.csv",
                       mime="text/csv", on_click="ignore", icon=":material/download:", width="stretch")
    if not state.get("live_workshop_key_shown") and st.button(tr("workshop2.show_key"), icon=":material/key:"):
        state["live_workshop_key_shown"] = True  # shown this once, never again in this session
        st.warning(tr("workshop2.key_once"))
        st.code(key, language=None, wrap_lines=True)
    st.button(tr("workshop2.leave"), help=tr("workshop2.leave_help"), icon=":material/logout:",
              on_click=state.update, args=(FORGET,))
