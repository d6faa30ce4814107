"""Verlauf: survey waves side by side – change per dimension, line chart, radar, PDCA.

Waves live only in this session (``verlauf_waves``: ``{"id", "name", "label",
"survey"}`` or ``"data"`` bytes read on first use); nothing is shared or written to disk.
"""

import hashlib

import streamlit as st

from learn_core.actionplan import ActionPlanError
from learn_core.analysis import analyse
from learn_core.analysis import waves as wv
from learn_core.display import waves as wvd
from learn_core.display.charts import radar_chart
from learn_core.i18n import fmt_int
from learn_core.reading import ReadError, read_survey
from learn_core.reading.plans import read_plan
from learn_core.samples import sample_waves
from pages.shell import (
    add_wave,
    current_analysis,
    error_text,
    escape_md,
    instrument,
    lang,
    large,
    limit_text,
    min_group_size,
    show_chart,
    show_table,
    take_wave_file,
    tell,
    tr,
    upload_limit,
)

st.title(tr("page.verlauf"))
st.write(tr("verlauf2.intro"))
inst = instrument()
waves = st.session_state.setdefault("verlauf_waves", [])
k = min_group_size()


def position(wave_id: str) -> int:
    return next(i for i, w in enumerate(waves) if w["id"] == wave_id)


def move(wave_id: str, step: int) -> None:
    i = position(wave_id)
    waves.insert(min(max(i + step, 0), len(waves) - 1), waves.pop(i))


def set_label(wave_id: str) -> None:
    waves[position(wave_id)]["label"] = st.session_state[f"verlauf_label_{wave_id}"]


st.subheader(tr("verlauf2.add_title"))
col_upload, col_current = st.columns([3, 2], gap="large")
with col_upload:
    # a new key per round of uploads: Streamlit drops the files once they are read (only the surveys stay)
    upload_round = st.session_state.setdefault("verlauf_upload_round", 0)
    files = st.file_uploader(tr("verlauf2.upload"), type=["xlsx", "xlsm", "xls", "ods", "csv", "txt"],
                             accept_multiple_files=True, key=f"verlauf_upload_{upload_round}",
                             help=f"{tr('verlauf2.upload_help')} {limit_text()}", **upload_limit())
    if files:  # read once, then a fresh uploader shows at once and the files are let go
        st.session_state["verlauf_notes"] = [take_wave_file(waves, f) for f in files]
        st.session_state["verlauf_upload_round"] = upload_round + 1
        st.rerun()
    for note in st.session_state.pop("verlauf_notes", []):
        tell(note)
with col_current:
    current, _ = current_analysis()
    if st.button(tr("verlauf2.add_current"), disabled=current is None, icon=":material/add_chart:"):
        ds = st.session_state["dataset"]
        tell(add_wave(waves, ds["name"], current.survey, ds["digest"]))
    if st.button(tr("verlauf2.add_sample"), icon=":material/dataset:"):
        for label, name, data in sample_waves():
            tell(add_wave(waves, name, read_survey(data, file_name=name), hashlib.sha256(data).hexdigest(), label))

st.subheader(tr("verlauf2.waves_title"))
for w in list(waves):
    try:
        if w.get("survey") is None:
            w["survey"] = read_survey(w["data"], file_name=w["name"], answer_map=st.session_state.get("answer_map") or None)
        if w.get("_k") != k:
            w["_k"], w["_analysis"] = k, analyse(w["survey"], k)
    except ReadError as exc:
        st.error(tr("verlauf2.unusable", name=escape_md(w["name"]), error=error_text(exc)))
        waves.remove(w)
for i, w in enumerate(waves):
    c_label, c_info, c_buttons = st.columns([3, 2, 4], vertical_alignment="bottom")
    c_label.text_input(tr("verlauf2.label"), value=w["label"], key=f"verlauf_label_{w['id']}",
                       on_change=set_label, args=(w["id"],))
    c_info.caption(tr("verlauf2.wave_info", name=escape_md(w["name"]),
                      n=fmt_int(w["_analysis"].result.respondents, lang())))
    with c_buttons.container(horizontal=True):
        st.button(tr("verlauf2.up"), key=f"verlauf_up_{w['id']}", icon=":material/arrow_upward:",
                  on_click=move, args=(w["id"], -1), disabled=i == 0)
        st.button(tr("verlauf2.down"), key=f"verlauf_down_{w['id']}", icon=":material/arrow_downward:",
                  on_click=move, args=(w["id"], 1), disabled=i == len(waves) - 1)
        st.button(tr("verlauf2.remove"), key=f"verlauf_rm_{w['id']}", icon=":material/delete:",
                  on_click=lambda wid=w["id"]: waves.pop(position(wid)))

if len(waves) < 2:
    st.info(tr("verlauf2.need_two"))
    st.stop()
try:
    result = wv.compare_waves([w["_analysis"] for w in waves], [w["label"] for w in waves])
except wv.WavesError as exc:
    st.error(error_text(exc))
    st.stop()

for severity, text in wvd.problem_texts(result, lang()):
    (st.warning if severity in ("warning", "error") else st.info)(escape_md(text))

st.subheader(tr("verlauf2.change_title"))
for col, card in zip(st.columns(4), wvd.change_cards(result, inst, lang()), strict=False):
    col.metric(card["name"], card["value"], card["delta"], delta_color="normal" if card["significant"] else "off",
               delta_arrow="auto" if card["significant"] else "off", help=card["verdict"], border=True)
    col.caption(card["verdict"])
for sentence in wvd.change_sentences(result, inst, lang()):
    st.markdown(f"- {escape_md(sentence)}")
st.caption(tr("verlauf2.change_caption", first=escape_md(result["waves"][0])))
if not result["series"]["organisation"]:
    st.stop()

st.subheader(tr("verlauf2.line_title"))
group = st.selectbox(tr("verlauf2.group_choice"), [None, *result["groups"]], key="verlauf_group",
                     format_func=lambda g: tr("label.organisation") if g is None else g,
                     placeholder=tr("label.organisation"),  # the option None is shown as no choice
                     help=tr("verlauf2.group_help")) if result["groups"] else None
deps = (tuple((w["id"], w["label"]) for w in waves), k, group)
show_chart(lambda: wvd.waves_line_chart(wvd.series_frame(result, inst, lang(), group), lang=lang(), large=large()),
           lambda: wvd.series_table(result, inst, lang(), group), key="verlauf_line",
           caption=tr("verlauf2.line_caption"), deps=deps)
if result["groups"]:
    show_table(wvd.group_change_table(result, inst, lang()), key="verlauf_abteilungen")
    st.caption(tr("verlauf3.groups_caption", first=escape_md(result["waves"][0]), last=escape_md(result["waves"][-1])))

st.subheader(tr("verlauf2.radar_title"))
names = {d.key: d.name(lang()) for d in inst.dimensions}
show_chart(lambda: radar_chart(wvd.first_last_series(result, group), names, lang=lang(),
                               size=640 if large() else 460, large=large()),
           lambda: wvd.change_table(result, inst, lang(), group), key="verlauf_radar", deps=deps,
           caption=tr("verlauf2.radar_caption", first=escape_md(result["waves"][0]),
                      last=escape_md(result["waves"][-1])))

st.subheader(tr("verlauf2.pdca_title"))
st.write(tr("verlauf2.pdca_help"))
plan_file = st.file_uploader(tr("verlauf2.pdca_upload"), type=["xlsx", "csv"], key="verlauf_plan_upload",
                             help=limit_text(), **upload_limit())
plan = st.session_state["action_plan"]
if plan_file is not None:
    try:
        plan = read_plan(plan_file.getvalue(), plan_file.name, inst)
    except ActionPlanError as exc:
        st.error(error_text(exc))
elif plan is not None and len(plan):
    st.caption(tr("verlauf2.pdca_session"))
if plan is None or not len(plan):
    st.info(tr("verlauf2.pdca_none"))
else:
    show_table(wvd.pdca_table(result, plan, inst, lang()), key="verlauf_pdca")

if result["hidden_groups"]:
    st.subheader(tr("verlauf2.hidden_title"))
    for name in result["hidden_groups"]:
        st.markdown(f"- {escape_md(name)}: {tr('verlauf2.hidden_item')}")
