"""Methodik: how scores, levels, intervals, suppression and recommendations are computed."""

import streamlit as st

from learn_core.i18n import methodology_markdown
from pages.shell import lang, tr

st.title(tr("page.methodik"))
st.markdown(methodology_markdown(lang(), int(st.session_state.get("min_group_size", 5))))
