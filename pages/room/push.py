"""Reveal, hide, a new snapshot and close reach the phones without each phone
asking: one watcher thread per server reads the watched workshops' state
from the store four times a second (one read per workshop), computes the
room's results of a new reveal once, and then reruns exactly the phones
whose page is out of date, as Streamlit reruns a page whose source
changed. A phone then costs the server a run only when something changed
for it; its own timed check stays as a slow fallback (``FALLBACK``).

Uses Streamlit's runtime (the sessions of this server), which a page cannot
reach otherwise; where there is none (AppTest), nothing is pushed and the
fallback check does the work.
"""

from __future__ import annotations

import logging
import threading
import time

import streamlit as st
from streamlit import runtime
from streamlit.runtime.scriptrunner import get_script_run_ctx

from learn_core.workshop import WorkshopStore
from learn_core.workshop import room as live
from learn_core.workshop.memo import PhoneWatch, RoomMemo
from pages.room import memo, room_results

#: Seconds between two looks of the watcher at the watched workshops.
INTERVAL = 0.25
#: A phone's own timed check, in case a push did not reach it (e.g. while it reconnected).
FALLBACK = "10s"

_LOG = logging.getLogger(__name__)


def _wake(session_id: str) -> bool:
    """Rerun the page of session ``session_id`` with its last address and page
    (no widget change, no click); False when the session is gone."""
    info = runtime.get_instance()._session_mgr.get_active_session_info(session_id)
    if info is None:
        return False
    session = info.session
    session._event_loop.call_soon_threadsafe(session.request_rerun, session._client_state)
    return True


def _loop(watch: PhoneWatch, store: WorkshopStore, results: RoomMemo) -> None:
    def read(code: str):  # the store itself, not the memo: a change is seen within INTERVAL
        return live.attempt(store.workshop, code)[0]

    def prepare(info) -> None:  # the room's results once, before the phones ask for them all at once
        if info.revealed:
            try:
                room_results(store, info, "de", held=results)
            except Exception:  # the phones compute them themselves and show the error they get
                _LOG.exception("The room's results could not be prepared.")

    while True:
        time.sleep(INTERVAL)
        try:
            for session_id in watch.due(read, prepare):
                if not _wake(session_id):
                    watch.forget(session_id)
        except Exception:  # the watcher must outlive one bad look (the fallback check covers the phones)
            _LOG.exception("The workshop watcher could not wake the phones this time.")


@st.cache_resource(show_spinner=False)
def _watcher(_store: WorkshopStore) -> PhoneWatch:
    """The server's one watcher (a daemon thread) and its register of phones."""
    watch = PhoneWatch()
    threading.Thread(target=_loop, args=(watch, _store, memo()), name="learn-workshop-watcher", daemon=True).start()
    return watch


def watch_phone(store: WorkshopStore, code: str, phase: tuple) -> None:
    """This session's phone shows ``phase`` of workshop ``code``: wake it when that changes."""
    ctx = get_script_run_ctx()
    if not runtime.exists() or ctx is None:
        return
    _watcher(store).watch(ctx.session_id, code, phase)
