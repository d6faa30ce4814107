"""Details: answer distribution per item, favourable share, item texts, reliability per dimension."""

import streamlit as st

from learn_core.display.charts import likert_chart
from learn_core.display.views import (
    ALPHA_MIN_ROWS,
    hidden_items,
    item_likert_data,
    item_table,
    reliability_rows,
)
from pages.shell import (
    group_choice,
    instrument,
    lang,
    large,
    require_analysis,
    show_chart,
    show_table,
    tr,
)

st.title(tr("page.details"))
analysis = require_analysis()
inst = instrument()

group = group_choice(analysis, key="details_group")
labels = list(inst.scale.labels(lang()))
st.caption(tr("details.tabs_help"))
# one dimension at a time: only the open tab is rendered (lazy tabs), so a page
# change or department switch draws one chart, not four
tabs = st.tabs([d.name(lang()) for d in inst.dimensions], key="details_dimension", on_change="rerun")
for tab, dim in zip(tabs, inst.dimensions, strict=True):
    if not tab.open:
        continue
    with tab:
        st.caption(dim.description(lang()))
        show_chart(
            lambda key=dim.key: likert_chart(item_likert_data(analysis, lang(), group, key), labels, lang=lang(),
                                             large=large()),
            lambda key=dim.key: item_table(analysis, lang(), group, key),
            key=f"likert_{dim.key}",
            caption=tr("details.likert_caption"),
            deps=(group,),
            stretch=True,
        )
        hidden = [i for i in hidden_items(analysis, group) if inst.item(i).dimension == dim.key]
        if hidden:
            st.caption(tr("details.hidden_items", items=", ".join(hidden), k=analysis.min_group_size))

st.subheader(tr("details.alpha_title"))
st.write(tr("details.alpha_help", n=ALPHA_MIN_ROWS))
show_table(reliability_rows(analysis, inst, lang(), group), key="reliabilitaet")
