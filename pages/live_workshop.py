"""Live-Workshop: participants answer on their phones (built in its own issue; placeholder until then)."""

import streamlit as st

from pages._shared import tr

st.title(tr("page.workshop"))
st.info(tr("workshop.soon"))
st.write(tr("workshop.soon_detail"))
