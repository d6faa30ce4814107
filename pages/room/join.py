"""The facilitator's way in for the phones: a warning with the fix first when
the address would only reach this computer, the address field, the QR code,
link and code, the presenter view's link."""

from __future__ import annotations

import streamlit as st

from learn_core.workshop import WorkshopInfo, WorkshopInputError, WorkshopStore
from learn_core.workshop import room as live
from pages.shell import lang, large, server_settings, tr


def _set_base(store: WorkshopStore, code: str, key: str) -> None:
    """The corrected address, for this session and for every view of the workshop (the presenter view too)."""
    state = st.session_state
    state["live_workshop_base"] = state["_w_live_workshop_base"].strip()
    _, error = live.attempt(store.set_join_base, code, key, state["live_workshop_base"] or None, lang=lang())
    if error:
        state["live_workshop_notice"] = error


def join_panel(store: WorkshopStore, info: WorkshopInfo, key: str) -> None:
    """The QR code, link and code for the phones of workshop ``info``."""
    state = st.session_state
    state.setdefault("live_workshop_base", live.base_url(st.context.url, "live-workshop"))
    base = live.join_base(state["live_workshop_base"], info.join_base)
    try:
        url = live.join_url(base, info.code)
    except WorkshopInputError:
        url = None
    if url and live.is_local(url):
        st.warning(tr("workshop2.local_warning", url=url))
    with st.container() if url is None or live.is_local(url) else st.expander(tr("workshop2.base_label")):
        st.text_input(tr("workshop2.base_label"), value=base, help=tr("workshop2.base_help"),
                      key="_w_live_workshop_base", on_change=_set_base, args=(store, info.code, key),
                      disabled=server_settings().is_locked("LEARN_PUBLIC_URL"))  # the administrator's address
    if url is None:
        st.warning(tr("errors.workshop.address"))
        return
    if not info.revealed:  # afterwards an expander of that name holds it
        st.markdown(f"**{tr('workshop2.join_heading')}**")
    st.image(live.qr_png(url), width=520 if large() else 420, caption=tr("workshop2.qr_caption"),
             alt=tr("workshop2.qr_alt", url=url))
    st.code(url, language=None, wrap_lines=True)
    st.subheader(tr("workshop2.code_line", code=info.code), anchor=False)
    st.link_button(tr("workshop2.present_open"), live.presenter_url(base, info.code), help=tr("workshop2.present_help"),
                   icon=":material/co_present:", type="primary")
    st.download_button(tr("workshop2.qr_download"), data=live.qr_svg(url), file_name=f"workshop-{info.code}.svg",
                       mime="image/svg+xml", on_click="ignore", icon=":material/qr_code_2:")
