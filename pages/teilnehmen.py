"""Teilnehmen: a workshop participant answers on the phone, one dimension a
step, sees the room's result once it is revealed and puts dots on measures."""

import streamlit as st

from learn_core.display.charts import radar_chart
from learn_core.display.views import dimension_table, matched_for, radar_series
from learn_core.workshop import room as live
from pages.shell import bind, escape_md, instrument, lang, show_table, tr, workshop_store

PHONE_CSS = """<style>
h1 { font-size: 2rem !important; } h2 { font-size: 1.6rem !important; }
[data-testid="stButtonGroup"] [data-testid="stWidgetLabel"] p { font-size: 1.05rem; font-weight: 600; }
[data-testid="stButtonGroup"] button { min-height: 2.9rem; min-width: 3rem; padding: 0.4rem 0.9rem; }
[data-testid="stButtonGroup"] button[aria-checked="true"] { background-color: #1f5f8b !important; border-color: #1f5f8b !important; }
[data-testid="stButtonGroup"] button[aria-checked="true"] p { color: #ffffff !important; }
[data-testid="stButton"] button, [data-testid="stFormSubmitButton"] button { min-height: 3.2rem; font-size: 1.1rem; }
.block-container { padding-top: 2.5rem; max-width: 44rem; }
</style>"""
st.markdown(PHONE_CSS, unsafe_allow_html=True)  # static CSS, no user data
store, inst, state = workshop_store(), instrument(), st.session_state
st.radio("Sprache / Language", ["de", "en"], index=["de", "en"].index(lang()), horizontal=True,
         format_func={"de": "Deutsch", "en": "English"}.get, label_visibility="collapsed", **bind("lang"))

code = st.query_params.get(live.JOIN_PARAM, "").strip()
info, error = live.attempt(store.workshop, code, lang=lang()) if code else (None, None)
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

if state.get("teilnehmen_code") != info.code:  # a new workshop: a new participant
    state.update(teilnehmen_code=info.code, teilnehmen_pid=live.new_participant_id(), teilnehmen_answers={},
                 teilnehmen_group=None, teilnehmen_step=0, teilnehmen_sent=False, teilnehmen_dots={})
answers, k = state["teilnehmen_answers"], int(state["min_group_size"])
# a new step or view starts at the top of the phone's screen (static script, no user data)
st.html(f"<script>/* {state['teilnehmen_sent']} {state['teilnehmen_step']} */ "
        "document.querySelector('[data-testid=\"stMain\"]')?.scrollTo(0, 0);</script>", unsafe_allow_javascript=True)
st.title(escape_md(info.title))
if info.closed:
    st.warning(tr("teilnehmen.closed"))


def _keep(target: str, name: str, widget: str) -> None:
    state[target][name] = state[widget]


def _step(delta: int) -> None:
    state["teilnehmen_step"] = max(0, min(len(inst.dimensions) - 1, state["teilnehmen_step"] + delta))


if not state["teilnehmen_sent"]:
    step = state["teilnehmen_step"]
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
    st.stop()

st.success(tr("teilnehmen.thanks"))
if st.button(tr("teilnehmen.change"), help=tr("teilnehmen.change_help"), disabled=info.closed):
    state.update(teilnehmen_sent=False, teilnehmen_step=0)
    st.rerun()


@st.fragment(run_every="3s")
def _watch(revealed: bool) -> None:
    """Reload the page when the facilitator reveals or hides the results."""
    now, _ = live.attempt(store.workshop, info.code)
    if now is not None and now.revealed != revealed:
        st.rerun()


_watch(info.revealed)
frame, error = live.attempt(store.revealed_responses, info.code, lang=lang())
if error or frame is None:
    st.info(error or tr("teilnehmen.waiting"))
    st.stop()
digest = live.frame_digest(frame)
if state.get("teilnehmen_room", (None,))[0] != (digest, k):
    state["teilnehmen_room"] = ((digest, k), live.room_analysis(frame, k, info.title, inst))
analysis = state["teilnehmen_room"][1]
if analysis.organisation is None:
    st.info(tr("teilnehmen.too_few", k=k))
    st.stop()

st.header(tr("teilnehmen.results_title"))
labels = {d.key: d.name(lang()) for d in inst.dimensions}
st.altair_chart(radar_chart(radar_series(analysis, [], lang()), labels, lang=lang(), size=330), width="content")
st.caption(tr("teilnehmen.results_caption", n=analysis.organisation.n))
with st.expander(tr("teilnehmen.table")):
    show_table(dimension_table(analysis, inst, lang()), key="raum", download=False)

st.header(tr("teilnehmen.vote_title"))
_, measures = matched_for(analysis)
if not measures:
    st.info(tr("teilnehmen.no_measures"))
    st.stop()
st.write(tr("teilnehmen.vote_intro", dots=info.dots))
given = state["teilnehmen_dots"]
for rec in measures:
    with st.container(border=True):
        st.markdown(f"**{escape_md(rec.title(lang()))}**")
        st.segmented_control(rec.title(lang()), list(range(info.dots + 1)), default=given.get(rec.id, 0),
                             key=f"teilnehmen_w_dot_{rec.id}", label_visibility="collapsed",
                             on_change=_keep, args=("teilnehmen_dots", rec.id, f"teilnehmen_w_dot_{rec.id}"))
        with st.expander(tr("teilnehmen.why")):
            st.markdown(escape_md(rec.why(lang())))
given = {rec.id: given.get(rec.id) for rec in measures}  # dots on measures no longer shown do not count
used = live.dots_used(given)
if used > info.dots:
    st.error(tr("teilnehmen.over_budget", used=used, dots=info.dots))
else:
    st.caption(tr("teilnehmen.dots_left", n=info.dots - used, dots=info.dots))
if st.button(tr("teilnehmen.vote_button"), type="primary", width="stretch", disabled=used > info.dots or info.closed):
    _, error = live.attempt(store.vote, info.code, state["teilnehmen_pid"], live.vote_ids(given, info.dots), lang=lang())
    if error:
        st.error(error)
    else:
        st.success(tr("teilnehmen.vote_saved"))
