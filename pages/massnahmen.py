"""Maßnahmen: matched Kaizen recommendations and the action plan (PDCA)."""

import functools

import streamlit as st

from learn_core.actionplan import (
    PDCA,
    ActionPlanError,
    add_measures,
    apply_edits,
    plan_to_xlsx,
)
from learn_core.display.measures import by_area, measure_markdown
from learn_core.display.views import matched_for, targets_sentence
from learn_core.reading.plans import read_plan
from learn_core.recommendations import catalogue
from pages.shell import (
    error_text,
    escape_md,
    group_choice,
    instrument,
    lang,
    limit_text,
    report_downloads,
    require_analysis,
    set_plan,
    tr,
    upload_limit,
)

st.title(tr("page.massnahmen"))
analysis = require_analysis()
inst = instrument()
names = {d.key: d.name(lang()) for d in inst.dimensions}
state = st.session_state

group = group_choice(analysis, key="massnahmen_group")
weakest, measures = matched_for(analysis, group)
if not measures:
    st.info(tr("massnahmen.none"))
else:
    st.write(escape_md(targets_sentence(analysis, inst, lang(), group)))
arrangements = {"rank": tr("massnahmen.arrange_rank"), "area": tr("massnahmen.arrange_area")}
arrange = st.segmented_control(tr("massnahmen.arrange"), list(arrangements), format_func=arrangements.get,
                               default="rank", required=True, key="massnahmen_arrange") if measures else "rank"
sections = by_area(measures, lang()) if arrange == "area" else [(None, measures)]
picked = []
for heading, recs in sections:
    if heading is not None:
        st.subheader(heading)
        if not recs:
            st.caption(tr("massnahmen.area_empty"))
    for rec in recs:
        with st.container(border=True):
            top, pick = st.columns([5, 1])
            with top:
                st.markdown(measure_markdown(rec, names[rec.dimension], lang()))
                with st.expander(tr("massnahmen.steps")):
                    for step in rec.steps(lang()):
                        st.markdown(f"1. {step}")
            with pick:
                if st.checkbox(tr("massnahmen.pick"), key=f"pick_{rec.id}"):
                    picked.append(rec)
if st.button(tr("massnahmen.add"), type="primary", disabled=not picked, icon=":material/playlist_add:"):
    set_plan(add_measures(state["action_plan"], picked, lang()))

st.subheader(tr("massnahmen.plan_title"))
st.write(tr("massnahmen.plan_help"))
editor = f"plan_editor_{state['plan_editor_version']}"


def _keep_edits() -> None:
    """Every edit goes into the session's plan at once, so no page change or
    rerun loses it; the editor then starts anew from the plan."""
    set_plan(apply_edits(state["action_plan"], state[editor]))


st.data_editor(
    state["action_plan"],
    num_rows="dynamic",
    hide_index=True,
    width="stretch",
    key=editor,
    on_change=_keep_edits,
    column_config={
        "ID": st.column_config.TextColumn("ID", disabled=True, width="small"),
        "Maßnahme": st.column_config.TextColumn(tr("massnahmen.col_measure"), width="large"),
        "Dimension": st.column_config.SelectboxColumn(tr("col.dimension"), options=list(names),
                                                      format_func=lambda k: names.get(k, k)),
        "Verantwortlich": st.column_config.TextColumn(tr("massnahmen.col_owner")),
        "Fällig bis": st.column_config.DateColumn(tr("massnahmen.col_due"), format="DD.MM.YYYY"),
        "Status": st.column_config.SelectboxColumn("PDCA", options=list(PDCA), required=True, default="Plan"),
        "Notiz": st.column_config.TextColumn(tr("massnahmen.col_note")),
        "Erfolgsindikator": st.column_config.TextColumn(tr("massnahmen.col_indicator"), width="large"),
    },
)
st.caption(tr("massnahmen.plan_kept"))
c1, c2 = st.columns(2)
with c1:
    st.download_button(tr("massnahmen.download"), data=functools.partial(plan_to_xlsx, state["action_plan"], lang(), inst),
                       file_name="Massnahmenplan.xlsx" if lang() == "de" else "Action-plan.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", on_click="ignore",
                       icon=":material/download:")
with c2:
    upload = st.file_uploader(tr("massnahmen.upload"), type=["xlsx", "csv"], key="plan_upload", help=limit_text(),
                              **upload_limit())
    if upload is not None and st.session_state.get("_plan_id") != upload.file_id:
        st.session_state["_plan_id"] = upload.file_id
        try:
            set_plan(read_plan(upload.getvalue(), upload.name, inst))
            st.rerun()
        except ActionPlanError as exc:
            st.error(error_text(exc))

st.caption(tr("massnahmen.catalogue", n=len(catalogue())))
report_downloads("massnahmen")
