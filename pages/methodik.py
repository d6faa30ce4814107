"""Methodik: how scores, levels, intervals, suppression and recommendations are computed."""

import streamlit as st

from learn_core.i18n import methodology_markdown
from pages.shell import instrument, lang, min_group_size, tr

st.title(tr("page.methodik"))
st.markdown(methodology_markdown(lang(), min_group_size(), instrument()))
