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
import os
import secrets
from collections.abc import Mapping
from urllib.parse import urlencode, urlsplit, urlunsplit

import pandas as pd
import segno
from sqlalchemy.exc import SQLAlchemyError

from learn_core.analysis import Analysis, analyse
from learn_core.i18n import t
from learn_core.instrument import Instrument, default_instrument
from learn_core.reading import survey_from_frame
from learn_core.recommendations import Recommendation, catalogue
from learn_core.workshop.store import (
    DATA_DIR_ENV,
    StoreSchemaError,
    WorkshopClosedError,
    WorkshopStore,
)

__all__ = [
    "DATABASE_URL_ENV", "JOIN_PARAM", "NO_ANSWER", "STORE_ERRORS",
    "answer_options", "answered", "attempt", "base_url", "clean_answers", "dots_used",
    "frame_digest", "friendly_error", "join_url", "new_participant_id", "parse_groups",
    "qr_png", "qr_svg", "ranking", "resume", "room_analysis", "store_settings", "top_measures", "vote_ids",
]  # fmt: skip

#: Environment variable with an SQLAlchemy URL of the workshop database
#: (for example PostgreSQL); without it an SQLite file in ``LEARN_DATA_DIR``.
DATABASE_URL_ENV = "LEARN_DATABASE_URL"
#: Query parameter of the participants' link: ``https://host/?join=ABC234``.
JOIN_PARAM = "join"
#: The answer option "keine Angabe" (stored as no answer).
NO_ANSWER = 0
PARTICIPANT_ID_BYTES = 16  # 128 random bits, 22 URL-safe characters
#: Everything a store call may raise because of the user or the database.
STORE_ERRORS = (KeyError, ValueError, PermissionError, StoreSchemaError, SQLAlchemyError, OSError)


# --------------------------------------------------------------------------- store and errors


def store_settings(environ: Mapping[str, str] | None = None) -> tuple[str | None, str | None]:
    """The store's ``(url, data_dir)`` from ``LEARN_DATABASE_URL`` and
    ``LEARN_DATA_DIR`` (None where unset: SQLite in ``./data``)."""
    env = os.environ if environ is None else environ
    return env.get(DATABASE_URL_ENV) or None, env.get(DATA_DIR_ENV) or None


def friendly_error(exc: BaseException, lang: str = "de", *, opening: bool = False) -> str:
    """One sentence for the user about a failed store call.

    The store's own sentences for wrong input are German; in English a
    general sentence stands in for them. ``opening``: the error came from
    opening the store, where a ValueError or StoreSchemaError means a wrong
    setting, not wrong input.
    """
    if opening and isinstance(exc, ValueError | StoreSchemaError):
        return t("workshop2.err_setup", lang)
    if isinstance(exc, WorkshopClosedError):
        return t("workshop2.err_closed", lang)
    if isinstance(exc, PermissionError):
        return t("workshop2.err_key", lang)
    if isinstance(exc, KeyError):
        return t("workshop2.err_unknown", lang)
    if isinstance(exc, ValueError):
        return str(exc) if lang == "de" else t("workshop2.err_input", lang)
    return t("workshop2.err_db", lang)


def attempt(call, *args: object, lang: str = "de", **kwargs: object) -> tuple[object, str | None]:
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
    ValueError
        when ``base`` is not an http(s) address with a host.
    """
    parts = urlsplit(base.strip() if isinstance(base, str) else "")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("Die Adresse muss mit http:// oder https:// und einem Servernamen beginnen.")
    path = parts.path.rstrip("/") + "/"
    return urlunsplit((parts.scheme, parts.netloc, path, urlencode({JOIN_PARAM: code}), ""))


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
    KeyError
        for an unknown code.
    PermissionError
        when the admin key does not fit.
    """
    if not store.check_admin(code, admin_key):
        raise PermissionError("Der Admin-Schlüssel passt nicht zu diesem Workshop.")
    return store.workshop(code).code


def new_participant_id() -> str:
    """A random id for one participant's browser session (22 URL-safe characters)."""
    return secrets.token_urlsafe(PARTICIPANT_ID_BYTES)


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
    return {i: (None if answers.get(i) in (None, NO_ANSWER) else int(answers[i])) for i in ids}


def answered(answers: Mapping[str, int | None]) -> int:
    """How many items have an answer on the scale ("keine Angabe" does not count)."""
    return sum(1 for v in answers.values() if v not in (None, NO_ANSWER))


def dots_used(allocation: Mapping[str, int | None]) -> int:
    """Dots given in ``allocation`` (measure id → dots; None counts as 0)."""
    return sum(int(v or 0) for v in allocation.values())


def vote_ids(allocation: Mapping[str, int | None], budget: int) -> list[str]:
    """The vote for the store: each id as often as it has dots, in id order.

    Raises
    ------
    ValueError
        for a negative number of dots or more dots than ``budget``.
    """
    if any(int(v or 0) < 0 for v in allocation.values()):
        raise ValueError("Die Zahl der Punkte kann nicht negativ sein.")
    if dots_used(allocation) > budget:
        raise ValueError(f"Jede Person hat höchstens {budget} Punkte, nicht {dots_used(allocation)}.")
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

    Raises
    ------
    ValueError
        as :func:`learn_core.analysis.analyse` and
        :func:`learn_core.reading.survey_from_frame` (whose ReadError is one).
    """
    survey = survey_from_frame(frame, instrument or default_instrument(), file_name=name)
    return analyse(survey, min_group_size)


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
