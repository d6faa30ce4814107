"""What the administrator has the pages say: the participants'
data-protection notice (Art. 13 DSGVO) and the footer links."""

from __future__ import annotations

import streamlit as st

from pages.shell.config import server_settings
from pages.shell.state import tr
from pages.shell.texts import escape_md


def privacy_notice() -> None:
    """Shown above the participants' first question: a short line and the
    whole notice (controller, purpose, voluntary, anonymity, storage period,
    contact) from the server's settings."""
    settings = server_settings()
    st.caption(tr("server.privacy_short"))
    lines = []
    if settings["LEARN_PRIVACY_CONTROLLER"]:
        lines.append(tr("server.privacy_controller", value=escape_md(settings["LEARN_PRIVACY_CONTROLLER"])))
    lines += [tr("server.privacy_purpose"), tr("server.privacy_voluntary"), tr("server.privacy_anonymity")]
    days = settings["LEARN_RETENTION_DAYS"]
    lines.append(tr("server.privacy_retention", days=days) if days else tr("server.privacy_retention_none"))
    if settings["LEARN_PRIVACY_CONTACT"]:
        lines.append(tr("server.privacy_contact", value=escape_md(settings["LEARN_PRIVACY_CONTACT"])))
    if settings["LEARN_PRIVACY_URL"]:  # an http(s) address (checked by the settings registry)
        lines.append(tr("server.privacy_more", url=settings["LEARN_PRIVACY_URL"]))
    with st.expander(tr("server.privacy_title"), icon=":material/shield:"):
        st.markdown("\n\n".join(lines))


def footer() -> None:
    """The imprint and accessibility-statement links the administrator set."""
    settings = server_settings()
    links = [f"[{tr(f'server.{key}')}]({settings[name]})" for key, name in
             (("imprint", "LEARN_IMPRINT_URL"), ("accessibility", "LEARN_ACCESSIBILITY_URL")) if settings[name]]
    if links:  # addresses checked by the settings registry (http/https only)
        st.divider()
        st.caption(" · ".join(links))
