"""Verlauf: survey waves over time (built in its own issue; honest placeholder until then)."""

import streamlit as st

from pages._shared import tr

st.title(tr("page.verlauf"))
st.info(tr("verlauf.soon"))
st.write(tr("verlauf.soon_detail"))
