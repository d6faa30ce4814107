"""Ansatzpunkte: key drivers of Lernerfolg as a priority matrix, the weakest statements with their measures."""

import streamlit as st

from learn_core.display import drivers as views
from pages import shell
from pages.shell import lang, tr

st.title(tr("drivers.page"))
analysis = shell.require_analysis()
inst = shell.instrument()
drivers = analysis.result.drivers
st.write(tr("drivers.intro"))

if drivers is None or drivers.reason is not None:
    st.info(views.driver_sentence(drivers, lang()))
else:
    (st.warning if drivers.caution else st.caption)(views.driver_sentence(drivers, lang()))
    for items in (False, True):
        st.subheader(tr("drivers.matrix_items" if items else "drivers.matrix_dimensions"))
        shell.show_chart(
            lambda items=items: views.priority_matrix_chart(views.priority_matrix_data(drivers, inst, lang(), items=items),
                                                      lang(), items=items, large=shell.large()),
            lambda items=items: views.priority_matrix_data(drivers, inst, lang(), items=items)[
                ["label", "dimension", "importance_text", "performance_text", "priority"]],
            key=f"matrix_{'items' if items else 'dimensions'}",
            caption=tr("drivers.matrix_caption"),
        )
    st.subheader(tr("drivers.table_title"))
    shell.show_table(views.driver_table(drivers, inst, lang()), key="treiber")

if analysis.result.item_priorities:
    st.subheader(tr("drivers.priorities_title"))
    st.caption(tr("drivers.priorities_help"))
    shell.show_table(views.item_priority_table(analysis, inst, lang()), key="prioritaeten")

shell.report_downloads("ansatzpunkte")
