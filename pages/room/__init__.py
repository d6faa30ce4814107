"""What the workshop's phones and presenter view share: the room's released
results, computed once per snapshot for every session of the process (they
hold figures of at least k answers only, the same for everyone with the
code, no answers), and the CSS that keeps Streamlit's run indicator off the
room's screens."""

from __future__ import annotations

import streamlit as st

from learn_core.workshop import WorkshopStore
from learn_core.workshop import room as live
from pages.shell import instrument

#: Streamlit's "running" indicator and stop button flicker with every refresh:
#: not on a phone or the projector (static CSS, no user data).
QUIET_CSS = """<style>
[data-testid="stStatusWidget"], [data-testid="stToolbar"], [data-testid="stDecoration"] { display: none !important; }
</style>"""


@st.cache_data(max_entries=64, show_spinner=False)
def _results(code: str, seq: int, k: int, title: str, lang: str, _store: WorkshopStore) -> dict | None:
    snap = _store.snapshot(code)
    return None if snap is None else live.room_results(snap[1], k, title, lang, instrument())


def room_results(store: WorkshopStore, info, lang: str) -> dict | None:
    """The results of the workshop's current snapshot (see
    :func:`learn_core.workshop.room.room_results`); None below k or before a reveal."""
    return _results(info.code, info.snapshot_seq, info.min_group_size, info.title, lang, store)


@st.cache_data(ttl=1.0, max_entries=256, show_spinner=False)
def _state(code: str, _store: WorkshopStore):
    found, _ = live.attempt(_store.workshop, code)
    return found


def room_state(store: WorkshopStore, code: str):
    """The workshop's public facts (:class:`learn_core.workshop.WorkshopInfo`),
    read from the store at most once a second for all phones and presenter
    views of the process (what they poll); None when it cannot be read."""
    return _state(code, store)
