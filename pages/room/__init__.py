"""What the workshop's presenter views and the facilitator's page share: the
room's released results, computed once per snapshot for every session of the
process (the phones have their own page, pages/room/phone_server.py; they
hold figures of at least k answers only, the same for everyone with the
code, no answers), and the CSS that keeps Streamlit's run indicator off the
room's screens."""

from __future__ import annotations

import streamlit as st
from streamlit.dataframe_util import convert_anything_to_arrow_bytes

from learn_core.workshop import WorkshopInfo, WorkshopStore
from learn_core.workshop import room as live
from learn_core.workshop.memo import RoomMemo

#: Seconds a workshop's state is answered from memory for the presenter views that poll it.
STATE_TTL = 0.25

#: Streamlit's "running" indicator and stop button flicker with every refresh:
#: not on a phone or the projector (static CSS, no user data).
QUIET_CSS = """<style>
[data-testid="stStatusWidget"], [data-testid="stToolbar"], [data-testid="stDecoration"] { display: none !important; }
</style>"""


@st.cache_resource(show_spinner=False)
def memo() -> RoomMemo:
    """The process's one memo of workshop facts and released results (thread-safe, bounded)."""
    return RoomMemo(ttl=STATE_TTL)


def _wire(spec: dict) -> dict:
    """``spec`` with its datasets as the Arrow bytes Streamlit sends (Streamlit
    converts them on every call otherwise: once per presenter view and redraw)."""
    return {**spec, "datasets": {name: rows if isinstance(rows, bytes) else convert_anything_to_arrow_bytes(rows)
                                 for name, rows in spec.get("datasets", {}).items()}}


def _compute(store: WorkshopStore, info: WorkshopInfo, lang: str, chart: str) -> dict | None:
    snap = store.snapshot(info.code)  # scored with the workshop's own instrument version
    results = None if snap is None else live.room_results(snap[1], info.min_group_size, info.title, lang,
                                                          info.instrument, (chart,))
    return None if results is None else {**results, chart: _wire(results[chart])}


def room_results(store: WorkshopStore, info: WorkshopInfo, lang: str) -> dict | None:
    """The results of the workshop's current snapshot with the projector's
    large radar (see :func:`learn_core.workshop.room.room_results`; the phones
    get theirs from learn_core.workshop.phone); None below k or before a
    reveal. Computed once per (workshop, snapshot, k, title, language) for
    every presenter view of the process and handed out without a copy: read only."""
    key = (info.code, info.snapshot_seq, info.min_group_size, info.title, lang, "radar_large")
    return memo().results(key, lambda: _compute(store, info, lang, "radar_large"))


def room_state(store: WorkshopStore, code: str):
    """The workshop's public facts (:class:`learn_core.workshop.WorkshopInfo`),
    read from the store at most every ``STATE_TTL`` seconds for all phones and
    presenter views of the process (what they poll); None when it cannot be read."""
    return memo().state(code, lambda c: live.attempt(store.workshop, c)[0])
