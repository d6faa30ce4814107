"""LEARN dashboard – the router (``streamlit run app.py``).

Builds the navigation, the sidebar (language, loaded data, minimum group
size, presentation mode) and the session's shared state; each page is a
thin file in ``pages/``.
"""

from urllib.parse import urlencode

import streamlit as st

from learn_core.i18n import fmt_int
from learn_core.workshop.room import JOIN_PARAM, PRESENT_PARAM
from pages.shell import (
    PAGE_FILES,
    bind,
    chart_engine,
    current_analysis,
    escape_md,
    init_state,
    min_group_size,
    page_icon,
    parser_pool,
    server_settings,
    sign_in_required,
    tr,
)
from pages.shell.notices import footer
from pages.shell.widgets import page_language, subset_filter, working_state_panel

PRESENTATION_CSS = """
<style>
.stMarkdown p, .stMarkdown li, .stCaption p, [data-testid="stWidgetLabel"] p,
[data-testid="stTab"] p, [data-testid="stExpander"] summary p { font-size: 1.5rem !important; line-height: 1.45 !important; }
.stMarkdown p, .stMarkdown li { color: #000000 !important; }
h1 { font-size: 3.4rem !important; } h2 { font-size: 2.6rem !important; } h3 { font-size: 2.1rem !important; }
[data-testid="stMetricValue"] { font-size: 4rem !important; font-weight: 700 !important; color: #000000 !important; }
[data-testid="stMetricLabel"] p { font-size: 1.7rem !important; color: #000000 !important; }
[data-testid="stDataFrame"] { font-size: 1.3rem !important; }
</style>
"""


def main() -> None:
    """The dashboard: one run of this file's script for a session."""
    st.set_page_config(page_title="LEARN-Selbstcheck", page_icon=page_icon(), layout="wide")
    settings = server_settings()  # read once per server process; a bad value stops here with its sentence
    init_state()
    parser_pool()  # the helper processes that parse uploads (started once per server)
    chart_engine()  # the chart renderer's engine, started in the background (first PDF without the wait)
    page_language()  # <html lang="de"> or "en", on every view (dashboard, phone, projector)


    if JOIN_PARAM in st.query_params:  # a join link the server did not hand to the phones' page (e.g. a page path)
        st.set_page_config(page_title="LEARN-Workshop", layout="centered", initial_sidebar_state="collapsed")
        st.title(tr("teilnehmen.page_title"))
        st.link_button(tr("teilnehmen.code_button"), "./?" + urlencode({JOIN_PARAM: st.query_params[JOIN_PARAM]}),
                       type="primary", icon=":material/how_to_vote:")
        footer()
        st.stop()
    if PRESENT_PARAM in st.query_params:  # the workshop's presenter view on the projector: no sidebar, no navigation
        st.set_page_config(page_title="LEARN-Workshop", layout="wide", initial_sidebar_state="collapsed")
        st.navigation([st.Page("pages/praesentation.py", title=tr("praesentation.page_title"), url_path="praesentation",
                               icon=":material/co_present:", default=True)], position="hidden").run()
        st.stop()
    if sign_in_required():  # OIDC configured: the analysis and the facilitator's pages need a sign-in
        st.title(tr("server.sign_in_title"))
        st.write(tr("server.sign_in_text"))
        if st.button(tr("server.sign_in"), type="primary", icon=":material/login:"):
            st.login()  # to the identity provider of .streamlit/secrets.toml ([auth])
        footer()
        st.stop()


    with st.sidebar:
        st.radio(
            "Sprache / Language",
            options=["de", "en"],
            index=["de", "en"].index(st.session_state["lang"]),
            format_func=lambda v: {"de": "Deutsch", "en": "English"}[v],
            horizontal=True,
            **bind("lang"),
        )
        status = st.empty()  # filled after the page ran: it may just have loaded data
        if settings["LEARN_AUTH"] == "oidc":
            st.caption(tr("server.signed_in", name=escape_md(str(st.user.get("name") or st.user.get("email") or "–"))))
            if st.button(tr("server.sign_out"), icon=":material/logout:"):
                st.logout()
        locked_k = settings.is_locked("LEARN_MIN_GROUP_SIZE")
        st.number_input(
            tr("sidebar.min_group_size"),
            min_value=settings.k_floor,  # the administrator's floor: k may be raised, never lowered below it
            max_value=50,
            step=1,
            value=min_group_size(),
            help=tr("sidebar.min_group_size_help") + " "
            + (tr("sidebar.k_locked") if locked_k else tr("sidebar.k_floor", k=settings.k_floor)),
            disabled=locked_k,
            **bind("min_group_size"),
        )
        st.toggle(
            tr("sidebar.presentation"),
            value=bool(st.session_state["presentation"]),
            help=tr("sidebar.presentation_help"),
            **bind("presentation"),
        )
        filter_slot = st.empty()  # filled after the page ran, like the status: an upload offers it at once
        working_state_panel()

    if st.session_state["presentation"]:
        st.set_page_config(initial_sidebar_state="collapsed")
        st.markdown(PRESENTATION_CSS, unsafe_allow_html=True)  # static CSS, no user data

    pages = [
        st.Page(PAGE_FILES["daten"], title=tr("page.daten"), icon=":material/upload_file:", url_path="daten", default=True),
        st.Page(PAGE_FILES["ueberblick"], title=tr("page.ueberblick"), icon=":material/dashboard:", url_path="ueberblick"),
        st.Page(PAGE_FILES["vergleich"], title=tr("page.vergleich"), icon=":material/compare:", url_path="abteilungsvergleich"),
        st.Page(PAGE_FILES["details"], title=tr("page.details"), icon=":material/list_alt:", url_path="details"),
        st.Page(PAGE_FILES["ansatzpunkte"], title=tr("drivers.page"), icon=":material/target:", url_path="ansatzpunkte"),
        st.Page(PAGE_FILES["massnahmen"], title=tr("page.massnahmen"), icon=":material/checklist:", url_path="massnahmen"),
        st.Page(PAGE_FILES["verlauf"], title=tr("page.verlauf"), icon=":material/timeline:", url_path="verlauf"),
        st.Page(PAGE_FILES["methodik"], title=tr("page.methodik"), icon=":material/menu_book:", url_path="methodik"),
        st.Page(PAGE_FILES["barrierefreiheit"], title=tr("page.barrierefreiheit"), icon=":material/accessibility_new:",
                url_path="barrierefreiheit"),
    ]
    if settings["LEARN_WORKSHOPS"]:  # the administrator may switch live workshops off: then no page creates one
        pages.insert(-2, st.Page(PAGE_FILES["workshop"], title=tr("page.workshop"), icon=":material/groups:",
                                 url_path="live-workshop"))

    def _status() -> None:
        """What is loaded, with the way on (after the page: an upload is counted at once)."""
        analysis, _ = current_analysis()
        ds = st.session_state.get("dataset")
        with status.container():
            if ds and analysis is not None:
                st.caption(tr("sidebar.loaded", name=escape_md(ds["name"]),
                              n=fmt_int(analysis.result.respondents, st.session_state["lang"])))
                st.page_link(PAGE_FILES["ueberblick"], label=tr("sidebar.to_overview"), icon=":material/dashboard:")
            elif ds:
                st.caption(tr("sidebar.unusable", name=escape_md(ds["name"])))
            else:
                st.caption(tr("sidebar.no_data"))


    # On the projector the sidebar is collapsed: the pages move to the top bar.
    try:
        st.navigation(pages, position="top" if st.session_state["presentation"] else "sidebar").run()
    finally:  # also when the page stopped early (st.stop)
        _status()
        with filter_slot.container():
            subset_filter()
        footer()


if __name__ == "__main__":  # Streamlit runs this file as the script of each session
    main()
else:  # `streamlit run app.py` first imports it as the server's ASGI app: the dashboard plus the phones' light path
    from pages.room.phone_server import middleware

    app = st.App(__file__, middleware=middleware())  # the phones' routes sit below Streamlit's base path
