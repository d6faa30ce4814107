"""LEARN dashboard – the router (``streamlit run app.py``).

Builds the navigation, the sidebar (language, loaded data, minimum group
size, presentation mode) and the session's shared state; each page is a
thin file in ``pages/``.
"""

import streamlit as st

from learn_core.i18n import fmt_int
from pages._shared import PAGE_FILES, current_analysis, escape_md, init_state, tr

st.set_page_config(page_title="LEARN-Selbstcheck", page_icon="📈", layout="wide")
init_state()

PRESENTATION_CSS = """
<style>
html, body, [class*="st-"], .stMarkdown p, .stMarkdown li { font-size: 1.35rem !important; }
h1 { font-size: 3.2rem !important; } h2 { font-size: 2.4rem !important; } h3 { font-size: 2rem !important; }
[data-testid="stMetricValue"] { font-size: 3.6rem !important; font-weight: 700 !important; }
[data-testid="stMetricLabel"] p { font-size: 1.6rem !important; }
.stApp { color: #000000; }
</style>
"""

with st.sidebar:
    st.radio(
        "Sprache / Language",
        options=["de", "en"],
        format_func=lambda v: {"de": "Deutsch", "en": "English"}[v],
        horizontal=True,
        key="lang",
    )
    analysis, error = current_analysis()
    ds = st.session_state.get("dataset")
    if ds and analysis is not None:
        st.caption(
            tr(
                "sidebar.loaded",
                name=escape_md(ds["name"]),
                n=fmt_int(analysis.result["respondents"], st.session_state["lang"]),
            )
        )
    elif ds:
        st.caption(tr("sidebar.unusable", name=escape_md(ds["name"])))
    else:
        st.caption(tr("sidebar.no_data"))
    st.number_input(
        tr("sidebar.min_group_size"),
        min_value=3,
        max_value=50,
        step=1,
        key="min_group_size",
        help=tr("sidebar.min_group_size_help"),
    )
    st.toggle(tr("sidebar.presentation"), key="presentation", help=tr("sidebar.presentation_help"))

if st.session_state["presentation"]:
    st.set_page_config(initial_sidebar_state="collapsed")
    st.markdown(PRESENTATION_CSS, unsafe_allow_html=True)  # static CSS, no user data

pages = [
    st.Page(PAGE_FILES["daten"], title=tr("page.daten"), icon="📂", url_path="daten", default=True),
    st.Page(PAGE_FILES["ueberblick"], title=tr("page.ueberblick"), icon="🧭", url_path="ueberblick"),
    st.Page(PAGE_FILES["vergleich"], title=tr("page.vergleich"), icon="🏛️", url_path="abteilungsvergleich"),
    st.Page(PAGE_FILES["details"], title=tr("page.details"), icon="🔎", url_path="details"),
    st.Page(PAGE_FILES["massnahmen"], title=tr("page.massnahmen"), icon="🛠️", url_path="massnahmen"),
    st.Page(PAGE_FILES["verlauf"], title=tr("page.verlauf"), icon="📈", url_path="verlauf"),
    st.Page(PAGE_FILES["workshop"], title=tr("page.workshop"), icon="🙋", url_path="live-workshop"),
    st.Page(PAGE_FILES["methodik"], title=tr("page.methodik"), icon="📐", url_path="methodik"),
]
# On the projector the sidebar is collapsed: the pages move to the top bar.
st.navigation(pages, position="top" if st.session_state["presentation"] else "sidebar").run()
