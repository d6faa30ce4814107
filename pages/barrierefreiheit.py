"""Barrierefreiheit: the accessibility statement the BITV 2.0 asks public bodies to publish."""

import streamlit as st

from learn_core.i18n import accessibility_statement
from pages.shell import escape_md, lang, server_settings, tr

settings = server_settings()
st.title(tr("page.barrierefreiheit"))
st.markdown(accessibility_statement(lang(), contact=escape_md(str(settings["LEARN_ACCESSIBILITY_CONTACT"] or "")),
                                    enforcement=escape_md(str(settings["LEARN_ACCESSIBILITY_ENFORCEMENT"] or ""))))
