"""What the administrator has the pages say: the footer links (the
participants' data-protection notice is on the phones' page, learn_core.workshop.phone)."""

from __future__ import annotations

import streamlit as st

from pages.shell.config import server_settings
from pages.shell.state import tr


def footer() -> None:
    """The imprint and accessibility-statement links the administrator set."""
    settings = server_settings()
    links = [f"[{tr(f'server.{key}')}]({settings[name]})" for key, name in
             (("imprint", "LEARN_IMPRINT_URL"), ("accessibility", "LEARN_ACCESSIBILITY_URL")) if settings[name]]
    if links:  # addresses checked by the settings registry (http/https only)
        st.divider()
        st.caption(" · ".join(links))
