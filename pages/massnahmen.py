"""Maßnahmen: matched Kaizen recommendations and the action plan (PDCA)."""

import streamlit as st

from learn_core.actionplan import (
    PDCA,
    ActionPlanError,
    add_measures,
    empty_plan,
    plan_to_xlsx,
)
from learn_core.display.views import matched_for
from learn_core.reading.plans import read_plan
from learn_core.recommendations import catalogue
from pages.shell import (
    group_choice,
    instrument,
    lang,
    limit_text,
    report_downloads,
    require_analysis,
    tr,
    upload_limit,
)

st.title(tr("page.massnahmen"))
analysis = require_analysis()
inst = instrument()
names = {d.key: d.name(lang()) for d in inst.dimensions}
st.session_state.setdefault("action_plan", empty_plan())

group = group_choice(analysis, key="massnahmen_group")
weakest, measures = matched_for(analysis, group)
if not measures:
    st.info(tr("massnahmen.none"))
else:
    st.write(tr("massnahmen.intro", dims=" und ".join(names[k] for k in weakest) if lang() == "de"
                else " and ".join(names[k] for k in weakest)))
picked = []
for rec in measures:
    with st.container(border=True):
        top, pick = st.columns([5, 1])
        with top:
            st.markdown(f"**{rec.title(lang())}**  \n"
                        f"{names[rec.dimension]} · {rec.method(lang())} · {rec.area_name(lang())} · "
                        f"{tr('massnahmen.effort')}: {rec.effort_name(lang())} · {rec.horizon_name(lang())}")
            st.write(rec.why(lang()))
            with st.expander(tr("massnahmen.steps")):
                for step in rec.steps(lang()):
                    st.markdown(f"1. {step}")
        with pick:
            if st.checkbox(tr("massnahmen.pick"), key=f"pick_{rec.id}"):
                picked.append(rec)
if st.button(tr("massnahmen.add"), type="primary", disabled=not picked, icon=":material/playlist_add:"):
    current = st.session_state.get("action_plan_view", st.session_state["action_plan"])
    st.session_state["action_plan"] = add_measures(current, picked, lang())
    st.session_state.pop("plan_editor", None)  # the editor starts from the new plan

st.subheader(tr("massnahmen.plan_title"))
st.write(tr("massnahmen.plan_help"))
edited = st.data_editor(
    st.session_state["action_plan"],
    num_rows="dynamic",
    hide_index=True,
    width="stretch",
    key="plan_editor",
    column_config={
        "ID": st.column_config.TextColumn("ID", disabled=True, width="small"),
        "Maßnahme": st.column_config.TextColumn(tr("massnahmen.col_measure"), width="large"),
        "Dimension": st.column_config.SelectboxColumn(tr("col.dimension"), options=list(names),
                                                      format_func=lambda k: names.get(k, k)),
        "Verantwortlich": st.column_config.TextColumn(tr("massnahmen.col_owner")),
        "Fällig bis": st.column_config.DateColumn(tr("massnahmen.col_due"), format="DD.MM.YYYY"),
        "Status": st.column_config.SelectboxColumn("PDCA", options=list(PDCA), required=True, default="Plan"),
        "Notiz": st.column_config.TextColumn(tr("massnahmen.col_note")),
    },
)
st.session_state["action_plan_view"] = edited
c1, c2 = st.columns(2)
with c1:
    st.download_button(tr("massnahmen.download"), data=lambda: plan_to_xlsx(edited), file_name="Massnahmenplan.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", on_click="ignore",
                       icon=":material/download:")
with c2:
    upload = st.file_uploader(tr("massnahmen.upload"), type=["xlsx", "csv"], key="plan_upload", help=limit_text(),
                              **upload_limit())
    if upload is not None and st.session_state.get("_plan_id") != upload.file_id:
        st.session_state["_plan_id"] = upload.file_id
        try:
            st.session_state["action_plan"] = read_plan(upload.getvalue(), upload.name)
            st.session_state.pop("plan_editor", None)
            st.rerun()
        except ActionPlanError as exc:
            st.error(str(exc))

st.caption(tr("massnahmen.catalogue", n=len(catalogue())))
report_downloads("massnahmen")
