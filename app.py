"""LEARN dashboard – entry point (``streamlit run app.py``)."""

import streamlit as st

st.set_page_config(page_title="LEARN-Selbstcheck", page_icon="📈", layout="wide")
st.title("LEARN-Selbstcheck")
st.write("Das Dashboard entsteht gerade. Die Auswertung steht schon auf der Kommandozeile bereit: "
         "`python -m learn_core --help`.")
