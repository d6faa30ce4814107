"""Methodik: how scores, levels, intervals, suppression and recommendations are computed."""

import streamlit as st

from learn_core.i18n import methodology_markdown
from pages.shell import current_analysis, instrument, lang, min_group_size, tr

st.title(tr("page.methodik"))
# the questionnaire of the loaded data (its version), also when this is the first page opened after loading
analysis, _ = current_analysis()
st.markdown(methodology_markdown(lang(), min_group_size(), analysis.survey.instrument if analysis else instrument()))
