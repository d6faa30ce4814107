"""Präsentation: the presenter view for the projector (``/?present=CODE``).

Only what the room may see, large: the way in (QR code, code, short
address, live count) until the facilitator reveals; then the room's radar
and its four dimensions; then the dot-vote ranking once the facilitator
shows it. The facilitator's controls stay on the laptop (Live-Workshop);
this view follows them by itself.
"""

import html

import streamlit as st

from learn_core.i18n import fmt_int
from learn_core.workshop import WorkshopInputError
from learn_core.workshop import room as live
from pages.room import QUIET_CSS, room_results, room_state
from pages.shell import escape_md, lang, tr, workshop_store

CSS = """<style>
header[data-testid="stHeader"] { display: none !important; }
.block-container { padding: 1.2rem 2.5rem 0.5rem !important; max-width: 100% !important; }
h1 { font-size: clamp(1.8rem, 5vh, 3.4rem) !important; padding: 0 0 0.6rem !important; }
.st-key-present_qr img { height: min(70vh, 46vw) !important; width: auto !important; }
.learn-label { font-size: clamp(1.3rem, 3.6vh, 2.4rem); color: #1b1f24; margin: 0; }
.learn-code { font-size: clamp(3rem, 13vh, 9rem); font-weight: 800; letter-spacing: 0.08em; line-height: 1.05; margin: 0; }
.learn-address { font-size: clamp(1.2rem, 3.4vh, 2.2rem); font-weight: 600; word-break: break-all; margin: 0 0 1rem; }
.learn-count { font-size: clamp(2.6rem, 10vh, 7rem); font-weight: 800; line-height: 1.1; margin: 0; }
.learn-dim { font-size: clamp(1.3rem, 3.6vh, 2.4rem); margin: 0.2rem 0 0; }
.learn-score { font-size: clamp(2.2rem, 8vh, 5.5rem); font-weight: 800; line-height: 1.05; margin: 0; }
.learn-rank { font-size: clamp(1.3rem, 3.8vh, 2.5rem); margin: 0.3rem 0 0; }
.st-key-present_radar canvas, .st-key-present_radar svg { max-height: 78vh !important; width: auto !important; height: auto !important; }
[data-testid="stProgress"] > div > div { height: 1.1rem !important; }
</style>"""
st.markdown(CSS + QUIET_CSS, unsafe_allow_html=True)  # static CSS, no user data
store = workshop_store()
info, error = live.attempt(store.workshop, st.query_params.get(live.PRESENT_PARAM, ""), lang=lang())
if info is None:
    st.error(error)
    st.stop()


def _phase(now) -> tuple:
    return now.revealed, now.snapshot_seq, now.ranking_shown, now.closed, now.counter_paused, now.join_base


@st.fragment(run_every="1.5s")
def _watch(seen: tuple) -> None:
    """Follow the facilitator: a new view when reveal, ranking, pause or address change."""
    now = room_state(store, info.code)
    if now is not None and _phase(now) != seen:
        st.rerun()


def _p(css: str, text: str, live_region: bool = False) -> None:
    role = ' role="status" aria-live="polite"' if live_region else ""  # a screen reader says the new count, unhurried
    st.html(f'<p class="{css}"{role}>{html.escape(text)}</p>')  # text from data, escaped; no script


@st.fragment(run_every="2s")
def _count() -> None:
    n, _ = live.attempt(store.count, info.code)
    _p("learn-label", tr("praesentation.count"))
    _p("learn-count", fmt_int(n or 0, lang()), live_region=True)


def _join() -> None:
    try:
        url = live.join_url(live.join_base(live.base_url(st.context.url), info.join_base), info.code)
    except WorkshopInputError:  # no address known: the facilitator sets one on the laptop
        st.warning(tr("errors.workshop.address"))
        _p("learn-code", info.code)
        return
    if live.is_local(url):
        st.warning(tr("workshop2.local_warning", url=url))
    left, right = st.columns([5, 4], gap="large", vertical_alignment="center")
    with left, st.container(key="present_qr"):
        st.image(live.qr_png(url, scale=12), caption=None, alt=tr("workshop2.qr_alt", url=url))
    with right:
        _p("learn-label", tr("praesentation.join"))
        _p("learn-label", tr("praesentation.or_type"))
        _p("learn-address", live.short_address(url))
        _p("learn-label", tr("praesentation.code"))
        _p("learn-code", info.code)
        if info.counter_paused:
            _p("learn-label", tr("praesentation.paused"))
        else:
            _count()


def _results() -> None:
    results = room_results(store, info, lang())
    if results is None:
        _p("learn-rank", tr("praesentation.too_few", k=info.min_group_size))
        return
    left, right = st.columns([3, 2], gap="large", vertical_alignment="center")
    with left, st.container(key="present_radar"):
        st.vega_lite_chart(results["radar_large"], theme=None, width="content", alt=tr("praesentation.results"))
    with right:
        _p("learn-label", tr("praesentation.results_n", n=fmt_int(results["n"], lang())))
        for row in results["table"].to_dict("records"):
            level = str(row[tr("col.level")])
            band = level.split(":")[0]
            if "–" in band:  # an uncertain band: "Stufe 2–5" (its long wording is on the phones and in the table)
                level = band
            _p("learn-dim", f"{row[tr('col.dimension')]} · {level}")
            _p("learn-score", row[tr("col.score")])


@st.fragment(run_every="2s")
def _ranking() -> None:
    votes, _ = live.attempt(store.votes, info.code)
    table = live.ranking(votes or [], lang(), info.instrument)
    if table.empty:
        _p("learn-rank", tr("praesentation.ranking_none"))
        return
    most = int(table.iloc[0, 3])
    for rank, measure, _dimension, dots in table.head(8).itertuples(index=False):
        _p("learn-rank", f"{rank}. {measure} · {fmt_int(dots, lang())}")
        st.progress(dots / most)


_watch(_phase(info))
st.title(escape_md(info.title) + (f" · {tr('praesentation.closed')}" if info.closed else ""))
if info.ranking_shown:
    _p("learn-label", tr("praesentation.ranking"))
    _ranking()
elif info.revealed:
    _results()
else:
    _join()
