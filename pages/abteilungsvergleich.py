"""Abteilungsvergleich: heatmap, radar overlay, rank bands, strengths and focus areas, Kruskal–Wallis in words."""

import streamlit as st

from learn_core.analysis.benchmark import MIN_BENCHMARK_GROUPS
from learn_core.display.benchmark import band_table
from learn_core.display.charts import heatmap_chart, radar_chart
from learn_core.display.views import (
    group_table,
    heatmap_data,
    hidden_groups,
    kruskal_sentences,
    pair_sentences,
    radar_series,
    radar_table,
    strength_rows,
    versus_rest_table,
    whole_name,
)
from pages.shell import (
    escape_md,
    instrument,
    lang,
    large,
    report_downloads,
    require_analysis,
    show_chart,
    show_table,
    tr,
)
from pages.shell.participation import participation_summary

st.title(tr("page.vergleich"))
analysis = require_analysis()
inst = instrument()
k = analysis.min_group_size

if analysis.survey.groups is None:
    st.info(tr("vergleich.no_groups"))
    st.stop()

participation_summary(analysis)
hidden = analysis.suppressed_groups
whole = whole_name(analysis, lang())  # the whole administration, or the sidebar's selection
if not analysis.groups:
    st.warning(tr("vergleich.all_hidden", k=k))
else:
    views = {"heatmap": tr("vergleich.view_heatmap"), "radar": tr("vergleich.view_radar")}
    # one chart at a time: a page change draws one chart, not two
    view = st.segmented_control(tr("vergleich.view"), list(views), format_func=views.get, default="heatmap",
                                required=True, key="vergleich_view")
    if view == "radar":
        st.subheader(tr("vergleich.radar_title"))
        names = list(analysis.groups)
        chosen = st.multiselect(tr("vergleich.choose"), names, default=names[:2], max_selections=6,
                                placeholder=tr("vergleich.choose"), key="vergleich_groups")  # not "Choose options"
        labels = {d.key: d.name(lang()) for d in inst.dimensions}
        series = radar_series(analysis, chosen, lang())
        show_chart(lambda: radar_chart(series, labels, lang=lang(), size=720 if large() else 560, large=large()),
                   lambda: radar_table(analysis, inst, lang(), chosen),
                   key="radar_groups", caption=tr("vergleich.radar_caption", whole=whole), deps=tuple(chosen))
    else:
        st.subheader(tr("vergleich.heatmap_title", whole=whole))
        st.write(tr("vergleich.heatmap_help", whole=whole))
        show_chart(lambda: heatmap_chart(heatmap_data(analysis, inst, lang()), lang=lang(), large=large()),
                   lambda: group_table(analysis, inst, lang()), key="heatmap",
                   caption=tr("vergleich.heatmap_caption", whole=whole))
        if any(c.group is not None for c in analysis.result.hidden_cells):
            st.caption(tr("privacy.cells_note", k=k))

    st.subheader(tr("benchmark.title"))
    st.caption(tr("benchmark.help", m=MIN_BENCHMARK_GROUPS))
    if analysis.result.benchmark is not None and any(analysis.result.benchmark.ranked.values()):
        show_table(band_table(analysis, inst, lang()), key="position")
    else:
        st.info(tr("benchmark.too_few", m=MIN_BENCHMARK_GROUPS))

    st.subheader(tr("vergleich.strengths_title"))
    st.write(tr("vergleich.strengths_help"))
    show_table(strength_rows(analysis, inst, lang()), key="staerken")
    with st.expander(tr("vergleich.vs_rest_title")):
        show_table(versus_rest_table(analysis, inst, lang()), key="abstand_zum_rest")

    st.subheader(tr("vergleich.kw_title"))
    sentences = kruskal_sentences(analysis, inst, lang())
    if sentences:
        for s in [*sentences, *pair_sentences(analysis, inst, lang())]:
            st.markdown(f"- {escape_md(s)}")
        st.caption(tr("vergleich.kw_help"))
    else:
        st.write(tr("vergleich.kw_none"))

if hidden:
    st.subheader(tr("vergleich.hidden_title"))
    for name, reason in hidden_groups(analysis, lang()):
        st.markdown(f"- {escape_md(name)}: {reason}")

report_downloads("vergleich")
