"""Überblick: LEARN index and level, the four dimensions as cards and as a radar chart, the aggregate file."""

import datetime as dt

import streamlit as st

from learn_core.aggregate import aggregate_bytes
from learn_core.display.charts import radar_chart
from learn_core.display.views import (
    dimension_cards,
    dimension_table,
    level_meaning,
    level_text,
    radar_series,
)
from learn_core.i18n import fmt_int, fmt_number
from pages.shell import (
    instrument,
    lang,
    large,
    report_downloads,
    require_analysis,
    show_chart,
    tr,
)
from pages.shell.participation import participation_details, participation_summary

st.title(tr("page.ueberblick"))
analysis = require_analysis()
org = analysis.organisation
inst = instrument()

head, side = st.columns([2, 1])
with head:
    st.metric(tr("ueberblick.index"), fmt_number(org.index, 1, lang()), border=True)
    st.markdown(f"**{level_text(org.level, org.index_level_range, lang())}** – {level_meaning(org.level, lang())}")
    if org.index_dimensions < len(inst.dimensions):
        st.caption(tr("label.index_partial", n=org.index_dimensions))
with side:
    st.metric(tr("ueberblick.respondents"), fmt_int(org.n, lang()), border=True)
    hidden = len(analysis.suppressed_groups)
    if hidden:
        st.caption(tr("ueberblick.hidden_groups", n=hidden, k=analysis.min_group_size))
participation_summary(analysis)

cards = dimension_cards(analysis, inst, lang())
for col, card in zip(st.columns(len(cards)), cards, strict=True):
    with col, st.container(border=True):
        st.metric(card["name"], card["score_text"])
        if card["hidden"]:  # fewer than k answered this dimension: no figure of it
            st.caption(f"{tr('privacy.cell')}: {card['hidden_text']}")
            continue
        st.markdown(f"**{card['level_text']}**")
        st.caption(tr("ueberblick.card_ci", ci=card["ci_text"]))
        st.caption(tr("ueberblick.card_fav", fav=card["favourable_text"], n=fmt_int(card["n"], lang())))

st.subheader(tr("ueberblick.radar_title"))
labels = {d.key: d.name(lang()) for d in inst.dimensions}
show_chart(
    lambda: radar_chart(radar_series(analysis, [], lang()), labels, lang=lang(), size=720 if large() else 560,
                        large=large()),
    lambda: dimension_table(analysis, inst, lang()),
    key="radar",
    caption=tr("ueberblick.radar_caption"),
)

low = [c for c in cards if c["low_alpha"]]
if low:
    st.info(tr("ueberblick.low_alpha", dims=", ".join(f"{c['name']} (α = {c['alpha_text']})" for c in low)))

st.subheader(tr("participation.title"))
participation_details(analysis, key="ueberblick")

with st.expander(tr("aggregate.title"), icon=":material/hub:"):
    st.caption(tr("aggregate.help", k=analysis.min_group_size))
    with_groups = st.checkbox(tr("aggregate.with_groups"), key="ueberblick_aggregate_groups")
    st.download_button(tr("aggregate.download"), key="ueberblick_aggregate", on_click="ignore",
                       data=lambda: aggregate_bytes(analysis.result, dt.date.today(), with_groups=with_groups),
                       file_name="LEARN-Aggregat.json", mime="application/json", icon=":material/download:")

report_downloads("ueberblick")
