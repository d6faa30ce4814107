"""The server's settings in the shell: read once per server process from
the settings registry (learn_core.settings), and the values a session may
use under the administrator's locks."""

from __future__ import annotations

import logging

import streamlit as st

from learn_core import logs
from learn_core.i18n import render_error, t
from learn_core.settings import SettingError, Settings, read_settings


@st.cache_resource(show_spinner=False)
def _settings() -> Settings:
    settings = read_settings()  # frozen: never changed after it is made, so it may be shared by all sessions
    logs.configure(str(settings["LEARN_LOG_FORMAT"]))  # once per server process
    return settings


def server_settings() -> Settings:
    """The server's settings (read once); on a bad value one sentence in the
    session's language and the page stops, with the reason in the log."""
    try:
        return _settings()
    except SettingError as exc:
        logging.getLogger(__name__).error("bad setting: %s", exc)
        lang = st.session_state.get("lang", "de")
        st.error(t("server.bad_setting", lang, reason=render_error(exc, lang)))
        st.stop()


def min_group_size() -> int:
    """The session's k as it may be used: its own value raised to the
    administrator's floor, or the locked value."""
    settings = server_settings()
    return settings.allowed_k(int(st.session_state.get("min_group_size", settings.min_group_size)))


def sign_in_required() -> bool:
    """Whether the analysis and facilitator pages need a sign-in (OIDC
    configured with LEARN_AUTH=oidc) and this browser has not signed in."""
    return server_settings()["LEARN_AUTH"] == "oidc" and not st.user.get("is_logged_in", False)
