"""Teilnehmen: a workshop participant answers on the phone, one dimension a
step, sees the room's result once it is revealed and puts dots on measures."""

import streamlit as st

from learn_core.workshop import room as live
from learn_core.workshop.memo import phone_phase
from pages.room import QUIET_CSS, join_guard, room_results, room_state
from pages.room.push import FALLBACK, watch_phone
from pages.room.vote import dot_vote
from pages.shell import bind, escape_md, instrument, lang, show_table, tr, workshop_store

PHONE_CSS = """<style>
h1 { font-size: 2rem !important; } h2 { font-size: 1.6rem !important; }
[data-testid="stButtonGroup"] [data-testid="stWidgetLabel"] p { font-size: 1.05rem; font-weight: 600; }
[data-testid="stButtonGroup"] button { min-height: 2.9rem; min-width: 3rem; padding: 0.4rem 0.9rem; }
[data-testid="stButtonGroup"] button[aria-checked="true"] { background-color: #1f5f8b !important; border-color: #1f5f8b !important; }
[data-testid="stButtonGroup"] button[aria-checked="true"] p { color: #ffffff !important; }
[data-testid="stButton"] button, [data-testid="stFormSubmitButton"] button { min-height: 3.2rem; font-size: 1.1rem; }
.block-container { padding-top: 2.5rem; max-width: 44rem; }
.st-key-teilnehmen_dots_left { position: sticky; top: 0; z-index: 5; background: #ffffff; padding: 0.4rem 0; }
.st-key-teilnehmen_dots_left p { font-size: 1.25rem; }
</style>"""
st.markdown(PHONE_CSS + QUIET_CSS, unsafe_allow_html=True)  # static CSS, no user data
store, inst, state = workshop_store(), instrument(), st.session_state
st.radio("Sprache / Language", ["de", "en"], index=["de", "en"].index(lang()), horizontal=True,
         format_func={"de": "Deutsch", "en": "English"}.get, label_visibility="collapsed", **bind("lang"))

state.setdefault("teilnehmen_session", live.new_participant_id())  # this session's key in the rate limit
keys = [f"session:{state['teilnehmen_session']}"] + ([f"address:{st.context.ip_address}"] if st.context.ip_address else [])
code = st.query_params.get(live.JOIN_PARAM, "").strip()
info, error = live.find_workshop(store, code, join_guard(), keys, lang()) if code else (None, None)
if info is None:
    st.title(tr("teilnehmen.page_title"))
    if error:
        st.error(error)
    with st.form("teilnehmen_code_form"):
        typed = st.text_input(tr("teilnehmen.code_label"), max_chars=12, help=tr("teilnehmen.code_intro"))
        if st.form_submit_button(tr("teilnehmen.code_button"), type="primary", width="stretch"):
            st.query_params[live.JOIN_PARAM] = typed.strip().upper()
            st.rerun()
    st.stop()

if state.get("teilnehmen_code") != info.code:  # this browser's participant of this workshop (cookie), or a new one
    pid = live.known_participant(st.context.cookies, info.code) or live.new_participant_id()
    sent, _ = live.attempt(store.has_submitted, info.code, pid)
    dots, _ = live.attempt(store.vote_of, info.code, pid)
    state.update(teilnehmen_code=info.code, teilnehmen_pid=pid, teilnehmen_answers={}, teilnehmen_group=None,
                 teilnehmen_step=0, teilnehmen_sent=bool(sent), teilnehmen_dots=live.allocation_of(dots or []))
answers, k = state["teilnehmen_answers"], info.min_group_size  # the workshop's k, the same on every phone
# the participant id into this browser's cookie; a new step or view starts at the top of the screen
st.html(live.identity_script(info.code, state["teilnehmen_pid"],
                             f"/* {state['teilnehmen_sent']} */ "
                             "document.querySelector('[data-testid=\"stMain\"]')?.scrollTo(0, 0);"),
        unsafe_allow_javascript=True)
st.title(escape_md(info.title))
if info.closed:
    st.warning(tr("teilnehmen.closed"))


def _keep(target: str, name: str, widget: str) -> None:
    state[target][name] = state[widget]


def _step(delta: int) -> None:
    state["teilnehmen_step"] = max(0, min(len(inst.dimensions) - 1, state["teilnehmen_step"] + delta))


@st.fragment(run_every=FALLBACK)
def _watch(seen: tuple) -> None:
    """Reload the page when the facilitator reveals, hides, releases a new snapshot or closes:
    the server's watcher reruns the page at once (pages/room/push.py); this timed check is its fallback."""
    now = room_state(store, info.code)
    if now is not None and phone_phase(now) != seen:
        st.rerun()


@st.fragment
def _questionnaire() -> None:
    """One step of the questionnaire; a tap reruns only this part of the page."""
    step = state["teilnehmen_step"]
    st.html(f"<script>/* {step} */ document.querySelector('[data-testid=\"stMain\"]')?.scrollTo(0, 0);</script>",
            unsafe_allow_javascript=True)  # a new step starts at the top of the screen (static script)
    dim = inst.dimensions[step]
    st.progress((step + 1) / len(inst.dimensions), text=tr("teilnehmen.step", i=step + 1, n=len(inst.dimensions)))
    if step == 0:
        st.caption(tr("teilnehmen.intro", k=k))
        if info.groups:
            group = state["teilnehmen_group"]
            st.selectbox(tr("teilnehmen.group_label"), info.groups, placeholder=tr("teilnehmen.group_none"),
                         index=info.groups.index(group) if group in info.groups else None, **bind("teilnehmen_group"))
    st.header(dim.name(lang()))
    st.caption(dim.description(lang()))
    labels = inst.scale.labels(lang())
    for item in inst.items_of(dim.key):
        st.pills(item.text(lang()), live.answer_options(inst), default=answers.get(item.id),
                 format_func=lambda v: labels[v - 1] if v else tr("teilnehmen.no_answer"),
                 key=f"teilnehmen_w_{item.id}", on_change=_keep, args=("teilnehmen_answers", item.id, f"teilnehmen_w_{item.id}"))
    st.caption(tr("teilnehmen.answered", n=live.answered(answers), total=len(inst.items)))
    last = step == len(inst.dimensions) - 1
    if last and st.button(tr("teilnehmen.submit"), type="primary", width="stretch", disabled=info.closed):
        if not live.answered(answers):
            st.error(tr("teilnehmen.none_answered"))
        else:
            _, error = live.attempt(store.submit, info.code, state["teilnehmen_pid"], live.clean_answers(answers, inst),
                               state.get("teilnehmen_group"), lang=lang())
            if error:
                st.error(error)
            else:
                state["teilnehmen_sent"] = True
                st.rerun()
    if not last:
        st.button(tr("teilnehmen.next"), type="primary", width="stretch", on_click=_step, args=(1,))
    if step:
        st.button(tr("teilnehmen.back"), width="stretch", on_click=_step, args=(-1,))


watch_phone(store, info.code, phone_phase(info))
_watch(phone_phase(info))
if not state["teilnehmen_sent"]:
    _questionnaire()
    st.stop()

st.success(tr("teilnehmen.thanks"))
if st.button(tr("teilnehmen.change"), help=tr("teilnehmen.change_help"), disabled=info.closed):
    state.update(teilnehmen_sent=False, teilnehmen_step=0)
    st.rerun()


if not info.revealed:
    st.info(tr("teilnehmen.waiting"))
    st.stop()
results = room_results(store, info, lang())
if results is None:
    st.info(tr("teilnehmen.too_few", k=k))
    st.stop()

st.header(tr("teilnehmen.results_title"))
st.vega_lite_chart(results["radar"], theme=None, width="content", alt=tr("teilnehmen.results_title"))
st.caption(tr("teilnehmen.results_caption_room", n=results["n"]))
with st.expander(tr("teilnehmen.table")):
    show_table(results["table"], key="raum", download=False)


st.header(tr("teilnehmen.vote_title"))
if not results["measures"]:
    st.info(tr("teilnehmen.no_measures"))
    st.stop()
st.caption(tr("teilnehmen.vote_rule_spread" if info.dots_per_measure == 1 else "teilnehmen.vote_rule_stack",
              dots=info.dots, per=info.dots_per_measure))
dot_vote(store, info, results["measures"])
