"""What the live-workshop pages compute: the store's settings, the join link
and its QR code, the answers of the questionnaire steps, the dot budget, the
room's results (scored like an upload, so the minimum group size holds), the
vote ranking and one friendly sentence for every error of the store.

The two workshop pages only show what these functions return; nothing here
draws a widget or keeps state.
"""

from __future__ import annotations

import hashlib
import io
import ipaddress
import logging
import math
import re
import secrets
from collections.abc import Callable, Mapping
from typing import TypedDict, TypeVar
from urllib.parse import urlencode, urlsplit, urlunsplit

import pandas as pd
import segno

from learn_core.analysis import Analysis, analyse
from learn_core.display.chartdata import screen_spec
from learn_core.display.charts import radar_chart
from learn_core.display.views import dimension_table, matched_for, radar_series
from learn_core.errors import LearnError, WorkshopError
from learn_core.i18n import fmt_int, t
from learn_core.instrument import Instrument, default_instrument
from learn_core.reading import survey_from_frame
from learn_core.recommendations import Recommendation, catalogue
from learn_core.settings import SettingError, read_settings
from learn_core.workshop.disclosure import Reveal
from learn_core.workshop.errors import (
    StoreSchemaError,
    StoreSettingError,
    UnknownWorkshopError,
    WorkshopInputError,
    WorkshopKeyError,
)
from learn_core.workshop.guard import JoinGuard
from learn_core.workshop.store import DATA_DIR_ENV, WorkshopInfo, WorkshopStore

__all__ = [
    "DATABASE_URL_ENV", "JOIN_PARAM", "NO_ANSWER", "PRESENT_PARAM", "PUBLIC_URL_ENV", "STORE_ERRORS", "Reveal",
    "add_dot", "is_local", "join_base", "presenter_url", "room_results", "short_address", "take_dot",
    "allocation_of", "answer_options", "answered", "attempt", "base_url", "find_workshop", "clean_answers", "dots_used",
    "frame_digest", "friendly_error", "identity_script", "join_url", "known_participant", "new_participant_id",
    "parse_groups", "participant_cookie", "participants_line", "qr_png", "qr_svg", "ranking", "resume",
    "reveal_message", "room_analysis", "store_settings", "top_measures", "vote_ids",
]  # fmt: skip

#: Environment variable with an SQLAlchemy URL of the workshop database
#: (for example PostgreSQL); without it an SQLite file in ``LEARN_DATA_DIR``.
DATABASE_URL_ENV = "LEARN_DATABASE_URL"
#: Query parameter of the participants' link: ``https://host/?join=ABC234``.
JOIN_PARAM = "join"
#: Query parameter of the presenter view for the projector: ``https://host/?present=ABC234``.
PRESENT_PARAM = "present"
#: Environment variable with the address the phones reach the server by (``https://learn.stadt.de``).
PUBLIC_URL_ENV = "LEARN_PUBLIC_URL"
#: The answer option "keine Angabe" (stored as no answer).
NO_ANSWER = 0
PARTICIPANT_ID_BYTES = 16  # 128 random bits, 22 URL-safe characters
#: How long a phone's browser keeps its participant cookie (seconds): a workshop day and the next.
COOKIE_MAX_AGE = 2 * 24 * 3600
_COOKIE_PREFIX = "learn_workshop_"
_COOKIE_VALUE = re.compile(r"[A-Za-z0-9_-]{22}")
#: Everything a store call (or opening the store with its settings) may raise
#: because of the user or the database: our own errors only, so a builtin
#: KeyError, ValueError or OSError of a bug is not turned into a sentence.
STORE_ERRORS = (WorkshopError, SettingError)
_LOG = logging.getLogger(__name__)
_T = TypeVar("_T")


# --------------------------------------------------------------------------- store and errors


def store_settings(environ: Mapping[str, str] | None = None) -> tuple[str | None, str]:
    """The store's ``(url, data_dir)`` from the settings ``LEARN_DATABASE_URL``
    (None where unset: SQLite) and ``LEARN_DATA_DIR`` (default ``data``).

    Raises SettingError (a ValueError) for a bad setting."""
    values = read_settings(environ)
    return values.text(DATABASE_URL_ENV) or None, values.text(DATA_DIR_ENV)


def friendly_error(exc: BaseException, lang: str = "de", *, opening: bool = False) -> str:
    """One sentence for the user about a failed store call: the error's own
    sentence in ``lang`` (every error of :data:`STORE_ERRORS` has one), or
    the database's general one for anything else.

    ``opening``: the error came from opening the store, where a wrong
    setting (StoreSettingError, SettingError) or a schema this code does not
    know says that the store is not set up right (``workshop2.err_setup``;
    the details go to the server's log).
    """
    if opening and isinstance(exc, StoreSettingError | StoreSchemaError | SettingError):
        return t("workshop2.err_setup", lang)
    if isinstance(exc, LearnError):
        return exc.message(lang)
    return t("errors.workshop.database", lang)


def attempt(call: Callable[..., _T], *args: object, lang: str = "de", **kwargs: object) -> tuple[_T | None, str | None]:
    """``(call(*args, **kwargs), None)``, or ``(None, sentence)`` when the call
    raises one of :data:`STORE_ERRORS` (see :func:`friendly_error`)."""
    try:
        return call(*args, **kwargs), None
    except STORE_ERRORS as exc:
        return None, friendly_error(exc, lang)


# --------------------------------------------------------------------------- joining


def base_url(page_url: str | None, page_path: str = "") -> str:
    """The app's address from the address of one of its pages: scheme, host,
    port and base path, without ``page_path``, query and fragment; ``""`` when
    ``page_url`` is not an http(s) address."""
    parts = urlsplit(page_url or "")
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return ""
    path = parts.path.rstrip("/")
    if page_path and path.endswith("/" + page_path.strip("/")):
        path = path[: -len(page_path.strip("/")) - 1]
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def join_url(base: str, code: str) -> str:
    """The participants' link ``{base}/?join={code}``.

    Raises
    ------
    WorkshopInputError
        (a ValueError) when ``base`` is not an http(s) address with a host.
    """
    parts = urlsplit(base.strip() if isinstance(base, str) else "")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise WorkshopInputError(code="errors.workshop.address")
    path = parts.path.rstrip("/") + "/"
    return urlunsplit((parts.scheme, parts.netloc, path, urlencode({JOIN_PARAM: code}), ""))


def presenter_url(base: str, code: str) -> str:
    """The presenter view's address ``{base}/?present={code}`` (ValueError as :func:`join_url`)."""
    return join_url(base, code).replace(f"?{JOIN_PARAM}=", f"?{PRESENT_PARAM}=", 1)


def is_local(url: str | None) -> bool:
    """Whether an address names this computer only (``localhost``, 127.x, ``::1``,
    ``0.0.0.0``): a phone that opens it reaches itself, not the server."""
    host = (urlsplit(url or "").hostname or "").lower()
    if host in ("localhost", "0.0.0.0", "::1", "::") or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def join_base(detected: str, stored: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """The address for the join link: what the facilitator set for this
    workshop, else the server setting ``LEARN_PUBLIC_URL``, else the address
    the browser uses (``detected``). When the administrator locked
    ``LEARN_PUBLIC_URL``, it wins over the workshop's own address."""
    values = read_settings(environ)
    public = values.text(PUBLIC_URL_ENV)
    if public and values.is_locked(PUBLIC_URL_ENV):
        return public
    return stored or public or detected


def short_address(url: str) -> str:
    """The join link as people type it: without ``https://`` (browsers add
    it), with ``http://`` kept (they would try https first)."""
    return url[len("https://"):] if url.startswith("https://") else url


def _qr(text: str) -> segno.QRCode:
    # a full QR code (no Micro QR, which not every phone reads), medium error correction
    return segno.make_qr(text, error="m")


def qr_png(text: str, scale: int = 16) -> bytes:
    """A QR code of ``text`` as PNG, ``scale`` pixels a module, with the
    standard quiet zone (about 600 pixels for a join link of 35 characters)."""
    buf = io.BytesIO()
    _qr(text).save(buf, kind="png", scale=scale, border=4)
    return buf.getvalue()


def qr_svg(text: str) -> bytes:
    """The same QR code as SVG (for printing), UTF-8."""
    buf = io.BytesIO()
    _qr(text).save(buf, kind="svg", scale=10, border=4, title="LEARN-Workshop")
    return buf.getvalue()


def resume(store: WorkshopStore, code: str, admin_key: str) -> str:
    """The workshop's code as the store writes it, for a facilitator who
    resumes on another device with code and admin key.

    Raises
    ------
    UnknownWorkshopError
        (a KeyError) for an unknown code.
    WorkshopKeyError
        (a PermissionError) when the admin key does not fit.
    """
    if not store.check_admin(code, admin_key):
        raise WorkshopKeyError(code="errors.workshop.admin_key")
    return store.workshop(code).code


def find_workshop(store: WorkshopStore, code: str, guard: JoinGuard, keys: list[str],
                  lang: str = "de") -> tuple[WorkshopInfo | None, str | None]:  # fmt: skip
    """A participant's join: the workshop of ``code``, or one sentence why not.

    Wrong codes count against each of ``keys`` (the browser session first,
    then e.g. the client address) in ``guard``; while one of them has to
    wait, the store is not asked at all. Each wrong code is logged (without
    the code typed). A right code forgets the session's failures only: an
    address that a whole room shares keeps its count.
    """
    wait = guard.wait(keys)
    if wait > 0:
        return None, t("teilnehmen.too_many", lang, seconds=math.ceil(wait))
    try:
        info = store.workshop(code)
    except UnknownWorkshopError as exc:
        failures = guard.failed(keys)
        _LOG.warning("A wrong workshop code was tried on the join page (%d failed tries of this session "
                     "or client address).", failures)
        return None, exc.message(lang)
    except STORE_ERRORS as exc:
        return None, friendly_error(exc, lang)
    guard.succeeded(keys[:1])
    return info, None


def new_participant_id() -> str:
    """A random id for one participant (22 URL-safe characters)."""
    return secrets.token_urlsafe(PARTICIPANT_ID_BYTES)


# --------------------------------------------------------------------------- participant identity
#
# A participant must stay one participant across reloads and reconnects of the
# same browser, without a login. The id lives in a cookie of the phone's browser,
# one per workshop (so ids of two workshops cannot be linked), set once from the
# page and read back from the next session's handshake. A token in the join URL
# would do it without JavaScript, but a URL is forwarded, bookmarked and shown
# on screens: whoever has it could replace that person's answers.


def participant_cookie(code: str) -> str:
    """The name of the cookie that holds this workshop's participant id."""
    return _COOKIE_PREFIX + code


def known_participant(cookies: Mapping[str, str] | None, code: str) -> str | None:
    """The participant id this browser was given for the workshop, or None
    (no cookie, or one that is not an id this page made)."""
    value = (cookies or {}).get(participant_cookie(code))
    return value if isinstance(value, str) and _COOKIE_VALUE.fullmatch(value) else None


def identity_script(code: str, participant_id: str, extra: str = "") -> str:
    """A ``<script>`` that stores the participant id in the browser's cookie
    for this workshop (first-party, ``SameSite=Strict``, ``Secure`` over
    HTTPS, :data:`COOKIE_MAX_AGE`), followed by the static JavaScript ``extra``.

    Raises
    ------
    ValueError
        for an id or code that is not URL-safe (nothing else may reach the script).
    """
    if not _COOKIE_VALUE.fullmatch(participant_id or "") or not re.fullmatch(r"[A-Z0-9]{1,12}", code or ""):
        raise ValueError("the participant id or the workshop code is not URL-safe")
    cookie = f"{participant_cookie(code)}={participant_id}; path=/; max-age={COOKIE_MAX_AGE}; SameSite=Strict"
    return (f"<script>document.cookie = '{cookie}' + (location.protocol === 'https:' ? '; Secure' : '');"
            f"{extra}</script>")


def participants_line(n: int, expected: int | None, lang: str = "de") -> str:
    """"12 Teilnehmende" or "12 von 20 erwarteten Teilnehmenden" for the
    facilitator, with a note when more answered than expected."""
    if expected is None:
        return t("workshop2.participants", lang, n=fmt_int(n, lang))
    key = "workshop2.participants_over" if n > expected else "workshop2.participants_of"
    return t(key, lang, n=fmt_int(n, lang), expected=fmt_int(expected, lang))


def reveal_message(outcome: Reveal, lang: str = "de", instrument: Instrument | None = None) -> str:
    """One sentence for the facilitator on what the room now sees and why."""
    names = {d.key: d.name(lang) for d in (instrument or default_instrument()).dimensions}
    return t(f"workshop2.reveal_{outcome.status}", lang, n=outcome.n, changed=outcome.changed, k=outcome.k,
             dimension=names.get(outcome.dimension or "", ""))


def parse_groups(text: str | None) -> list[str]:
    """Department names, one a line (blank lines skipped); the store checks them."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


# --------------------------------------------------------------------------- answers and dots


def answer_options(instrument: Instrument | None = None) -> list[int]:
    """The answer values of the scale, then :data:`NO_ANSWER` ("keine Angabe")."""
    scale = (instrument or default_instrument()).scale
    return [*range(scale.minimum, scale.maximum + 1), NO_ANSWER]


def clean_answers(answers: Mapping[str, int | None], instrument: Instrument | None = None) -> dict[str, int | None]:
    """Every item of the instrument with its answer; "keine Angabe" and
    untouched items become None (the store's "no answer")."""
    ids = (instrument or default_instrument()).item_ids
    return {i: (None if (a := answers.get(i)) is None or a == NO_ANSWER else int(a)) for i in ids}


def answered(answers: Mapping[str, int | None]) -> int:
    """How many items have an answer on the scale ("keine Angabe" does not count)."""
    return sum(1 for v in answers.values() if v not in (None, NO_ANSWER))


def dots_used(allocation: Mapping[str, int | None]) -> int:
    """Dots given in ``allocation`` (measure id → dots; None counts as 0)."""
    return sum(int(v or 0) for v in allocation.values())


def allocation_of(ids: list[str]) -> dict[str, int]:
    """A stored vote (ids, repeated per dot) as measure id → dots."""
    out: dict[str, int] = {}
    for rid in ids:
        out[rid] = out.get(rid, 0) + 1
    return out


def add_dot(allocation: Mapping[str, int | None], rid: str, budget: int, per_measure: int) -> dict[str, int]:
    """``allocation`` with one more dot on ``rid``.

    Raises
    ------
    WorkshopInputError
        (a ValueError) when no dot is left or ``rid`` already has ``per_measure`` dots.
    """
    out = {k: int(v or 0) for k, v in allocation.items()}
    if dots_used(out) >= budget:
        raise WorkshopInputError(code="errors.workshop.all_dots_given", params={"most": budget})
    if out.get(rid, 0) >= per_measure:
        raise WorkshopInputError(code="errors.workshop.measure_full", params={"most": per_measure})
    out[rid] = out.get(rid, 0) + 1
    return out


def take_dot(allocation: Mapping[str, int | None], rid: str) -> dict[str, int]:
    """``allocation`` with one dot less on ``rid`` (unchanged when it has none)."""
    out = {k: int(v or 0) for k, v in allocation.items()}
    if out.get(rid, 0) > 0:
        out[rid] -= 1
    return {k: v for k, v in out.items() if v}


def vote_ids(allocation: Mapping[str, int | None], budget: int) -> list[str]:
    """The vote for the store: each id as often as it has dots, in id order.

    Raises
    ------
    WorkshopInputError
        (a ValueError) for a negative number of dots or more dots than ``budget``.
    """
    if any(int(v or 0) < 0 for v in allocation.values()):
        raise WorkshopInputError(code="errors.workshop.negative_dots")
    if dots_used(allocation) > budget:
        raise WorkshopInputError(code="errors.workshop.too_many_dots",
                                 params={"most": budget, "given": dots_used(allocation)})
    return [rid for rid in sorted(allocation) for _ in range(int(allocation[rid] or 0))]


# --------------------------------------------------------------------------- results


def frame_digest(frame: pd.DataFrame) -> str:
    """SHA-256 of the table's CSV text: the same answers give the same digest."""
    return hashlib.sha256(frame.to_csv(index=False).encode("utf-8")).hexdigest()


def room_analysis(frame: pd.DataFrame, min_group_size: int, name: str = "",
                  instrument: Instrument | None = None) -> Analysis:  # fmt: skip
    """The room's answers scored exactly like an uploaded file (group column
    recognised by its header, minimum group size applied): the organisation
    is None below ``min_group_size`` answers, hidden groups have no figures.
    ``instrument``: the workshop's (:attr:`WorkshopInfo.instrument`); None:
    the built-in version the table's columns are of.

    Raises
    ------
    ValueError
        as :func:`learn_core.analysis.analyse` and
        :func:`learn_core.reading.survey_from_frame` (whose ReadError is one).
    """
    survey = survey_from_frame(frame, instrument, file_name=name)
    return analyse(survey, min_group_size)


#: The radar charts :func:`room_results` can build: the phone's and the projector's.
class _RadarSize(TypedDict):
    size: int
    large: bool


RADARS: dict[str, _RadarSize] = {"radar": {"size": 330, "large": False}, "radar_large": {"size": 760, "large": True}}


def room_results(frame: pd.DataFrame, min_group_size: int, title: str, lang: str = "de",
                 instrument: Instrument | None = None, charts: tuple[str, ...] = tuple(RADARS)) -> dict | None:  # fmt: skip
    """What the phones and the projector show of a reveal snapshot, computed
    once for all of them: ``None`` below the workshop's k, else ``n``,
    ``table`` (:func:`learn_core.display.views.dimension_table`),
    ``measures`` (the matched recommendations for the dot vote) and, for
    each name of ``charts`` (keys of :data:`RADARS`), a Vega-Lite spec of the
    radar whose series is labelled "dieser Workshop" (a phone needs only
    ``radar``, the projector ``radar_large``: each costs most of the time).

    Raises
    ------
    KeyError
        for a chart name not in :data:`RADARS`.
    """
    unknown = set(charts) - set(RADARS)
    if unknown:
        raise KeyError(f"unknown chart(s) {sorted(unknown)}; known: {sorted(RADARS)}")
    analysis = room_analysis(frame, min_group_size, title, instrument)
    if analysis.organisation is None:
        return None
    inst = analysis.survey.instrument
    series = [(t("teilnehmen.this_workshop", lang), values) for _, values in radar_series(analysis, [], lang)[:1]]
    labels = {d.key: d.name(lang) for d in inst.dimensions}
    # the builders are validated against the Vega-Lite schema in their tests; here only the same dict, faster
    specs = {name: screen_spec(radar_chart(series, labels, lang=lang, **RADARS[name]).to_dict(validate=False), lang)
             for name in charts}
    return {"n": analysis.organisation.n, "table": dimension_table(analysis, inst, lang),
            "measures": matched_for(analysis)[1], **specs}  # fmt: skip


def _by_id() -> dict[str, Recommendation]:
    return {r.id: r for r in catalogue()}


def ranking(votes: list[tuple[str, int]], lang: str = "de",
            instrument: Instrument | None = None) -> pd.DataFrame:  # fmt: skip
    """The dot vote as a table for the projector: rank, measure, dimension,
    dots (most first); ids the catalogue no longer has are left out."""
    names = {d.key: d.name(lang) for d in (instrument or default_instrument()).dimensions}
    recs = _by_id()
    rows = [(recs[rid], dots) for rid, dots in votes if rid in recs]
    return pd.DataFrame(
        [{t("workshop2.col_rank", lang): i, t("workshop2.col_measure", lang): r.title(lang),
          t("col.dimension", lang): names.get(r.dimension, r.dimension), t("workshop2.col_dots", lang): dots}
         for i, (r, dots) in enumerate(rows, start=1)],
        columns=[t("workshop2.col_rank", lang), t("workshop2.col_measure", lang), t("col.dimension", lang),
                 t("workshop2.col_dots", lang)],
    )  # fmt: skip


def top_measures(votes: list[tuple[str, int]], count: int) -> list[Recommendation]:
    """The ``count`` measures with most dots (the store's order), as catalogue entries."""
    recs = _by_id()
    return [recs[rid] for rid, _ in votes if rid in recs][: max(0, count)]
