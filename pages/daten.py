"""Daten: upload or sample data, the validation report, group column and column mapping."""

import functools

import pandas as pd
import streamlit as st

from learn_core.analysis import NO_GROUPS
from learn_core.i18n import fmt_int
from learn_core.instrument import DIMENSION_KEYS
from learn_core.reports.templates import template_pdf, template_xlsx
from learn_core.samples import sample_bytes
from pages.shell import (
    answer_mapping_step,
    clear_dataset,
    column_mapping_step,
    current_analysis,
    dataset_refusal,
    escape_md,
    instrument,
    lang,
    left_out_rows,
    limit_text,
    set_dataset,
    sheet_choice,
    show_table,
    tr,
    upload_limit,
)

st.title(tr("page.daten"))
st.write(tr("daten.intro"))

col_upload, col_sample = st.columns([3, 2], gap="large")
with col_upload:
    upload = st.file_uploader(
        tr("daten.upload"), type=["xlsx", "xlsm", "xls", "ods", "csv", "txt"],
        help=f"{tr('daten.upload_help')} {limit_text()}", **upload_limit(),
    )
    if upload is not None and st.session_state.get("_upload_id") != upload.file_id:
        st.session_state["_upload_id"] = upload.file_id
        if refused := dataset_refusal(upload.name, upload.size):
            st.error(refused)
        else:
            set_dataset(upload.name, data=upload.getvalue(), source="upload")
with col_sample:
    st.write(tr("daten.sample_intro"))
    if st.button(tr("daten.sample_button"), type="primary", icon=":material/dataset:"):
        set_dataset("beispielstadt.xlsx", data=sample_bytes(), source="sample")
    st.download_button(
        tr("daten.template_button"), data=functools.partial(template_xlsx, lang()), file_name="LEARN-Vorlage.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", on_click="ignore",
        icon=":material/download:",
    )
    st.download_button(
        tr("daten.paper_button"), data=functools.partial(template_pdf, lang()), file_name="LEARN-Fragebogen.pdf",
        mime="application/pdf", on_click="ignore", icon=":material/print:",
    )

ds = st.session_state.get("dataset")
analysis, error = current_analysis()
if ds is None:
    st.info(tr("daten.nothing_loaded"))
    st.stop()

st.divider()
st.subheader(tr("daten.report_title", name=escape_md(ds["name"])))
sheet_choice(ds)
if error:
    st.error(error)
    if st.button(tr("daten.remove")):
        clear_dataset()
        st.rerun()
    if st.session_state.get("_unknown_answers"):
        answer_mapping_step()
    st.stop()

report = analysis.survey.report
res = analysis.result
c1, c2, c3, c4 = st.columns(4)
c1.metric(tr("daten.rows_read"), fmt_int(res.rows_read, lang()))
c2.metric(tr("daten.respondents"), fmt_int(res.respondents, lang()))
c3.metric(tr("daten.items_found"), f"{len(report.matched_columns)} / {len(instrument().items)}")
c4.metric(tr("daten.invalid_cells"), fmt_int(report.invalid_count, lang()))

st.markdown(tr("daten.summary", rows=fmt_int(res.rows_read, lang()), resp=fmt_int(res.respondents, lang()),
               skipped=fmt_int(res.empty_rows_skipped, lang())))
left_out_rows(report)
if report.missing_items:
    st.warning(tr("daten.missing_items", items=", ".join(report.missing_items)))
names = {d.key: d.name(lang()) for d in instrument().dimensions}
for key in report.unscorable_dimensions:
    st.warning(tr("daten.unscorable", dimension=names[key]))
if report.invalid_count:
    with st.expander(tr("daten.invalid_title", n=fmt_int(report.invalid_count, lang())), expanded=True):
        st.write(tr("daten.invalid_help"))
        cells = pd.DataFrame(
            [{tr("daten.col_row"): c.row, tr("daten.col_column"): c.column, tr("daten.col_value"): c.value}
             for c in report.invalid_cells[:2000]]
        )
        show_table(cells, key="ungueltige_zellen")
with st.expander(tr("daten.matched_title", n=len(report.matched_columns))):
    show_table(pd.DataFrame([{tr("daten.col_item"): i, tr("daten.col_header"): h}
                             for i, h in report.matched_columns.items()]), key="erkannte_spalten")
if report.unmatched_columns:
    st.caption(tr("daten.unmatched", cols=", ".join(escape_md(c) for c in report.unmatched_columns)))
if analysis.survey.comments:  # shown on Ansatzpunkte, never scored
    st.caption(tr("daten.comment_columns", cols=", ".join(escape_md(c) for c in analysis.survey.comments),
                  t=analysis.result.comments.threshold))

st.subheader(tr("daten.group_title"))
candidates = [c for c in [report.group_column, *analysis.survey.attributes] if c]  # columns that can group
options = ["__auto__", NO_GROUPS, *dict.fromkeys(candidates)]
current = st.session_state.get("group_column")
st.selectbox(
    tr("daten.group_choice"), options, index=options.index(current) if current in options else 0,
    format_func=lambda v: {"__auto__": tr("daten.group_auto"), NO_GROUPS: tr("daten.group_none")}.get(v, v),
    key="_group_choice",
    on_change=lambda: st.session_state.update(
        group_column={"__auto__": None}.get(st.session_state["_group_choice"], st.session_state["_group_choice"])
    ),
)
if report.group_column:
    st.write(tr("daten.group_found", col=escape_md(report.group_column), n=len(res.groups) + len(res.hidden_groups)))

column_mapping_step(report)

if st.session_state.get("answer_map"):
    answer_mapping_step()
if all(k in report.unscorable_dimensions for k in DIMENSION_KEYS):
    st.error(tr("daten.nothing_scorable"))
