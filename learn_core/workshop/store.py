"""The live-workshop store: workshops, participants' answers and dot votes.

A facilitator creates a workshop and gets a short code for the participants
and a secret admin key (only its SHA-256 hash is stored). Participants submit
answers under the code, one row per browser session (a new submission
replaces the old one), and put dots on Kaizen measures. With the admin key,
:meth:`WorkshopStore.responses` gives the answers in the shape of a survey
file, so they are read and scored exactly like an upload.

SQLAlchemy Core over an embedded SQLite file (WAL, ``synchronous=FULL``, busy
timeout, write transactions ``BEGIN IMMEDIATE``: several processes may write
at once, and a write is on disk when the call returns) or PostgreSQL
(``postgresql+psycopg://…``), with the same code for both.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import numbers
import os
import re
import secrets
import threading
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from learn_core.instrument import Instrument, default_instrument
from learn_core.recommendations import catalogue

__all__ = [
    "CODE_ALPHABET", "CODE_LENGTH", "DATA_DIR_ENV", "GROUP_COLUMN", "SCHEMA_VERSION",
    "StoreSchemaError", "Workshop", "WorkshopClosedError", "WorkshopInfo", "WorkshopStore",
]  # fmt: skip

#: Characters of a workshop code: no 0/O, 1/I/L that people mix up.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
ADMIN_KEY_BYTES = 32  # 256 random bits, 43 URL-safe characters
SCHEMA_VERSION = 1
DATA_DIR_ENV = "LEARN_DATA_DIR"
DB_FILE_NAME = "workshops.sqlite3"
#: Header of the group column of :meth:`WorkshopStore.responses`.
GROUP_COLUMN = "Abteilung"
MAX_TITLE, MAX_GROUPS, MAX_GROUP_NAME, MAX_DOTS = 200, 50, 80, 10
BUSY_TIMEOUT_SECONDS = 30
_CODE_ATTEMPTS = 20
_PARTICIPANT_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
_WRITE = "learn_write_transaction"
_PG_SCHEMA_LOCK = 0x4C4541524E  # advisory lock held while creating the tables


class WorkshopClosedError(PermissionError):
    """The workshop is closed and accepts no answers or votes."""


class StoreSchemaError(RuntimeError):
    """The database holds the tables of another schema version."""


@dataclass(frozen=True)
class _Facts:
    code: str
    title: str
    groups: tuple[str, ...]
    created_at: datetime
    closed: bool
    revealed: bool
    dots: int


@dataclass(frozen=True)
class Workshop(_Facts):
    """A new workshop as its facilitator gets it: the only time the key is shown."""

    admin_key: str = field(repr=False)


@dataclass(frozen=True)
class WorkshopInfo(_Facts):
    """What anyone with the code may see of a workshop (no key, no answers)."""

    responses: int


@dataclass(frozen=True)
class _Schema:
    meta: sa.MetaData
    version: sa.Table
    workshops: sa.Table
    responses: sa.Table
    votes: sa.Table


def _schema() -> _Schema:
    meta, ts, code = sa.MetaData(), sa.DateTime(timezone=True), sa.String(CODE_LENGTH)

    def code_fk() -> sa.ForeignKey:
        return sa.ForeignKey("workshops.code", ondelete="CASCADE")

    return _Schema(
        meta,
        sa.Table("workshop_schema", meta, sa.Column("name", sa.String(40), primary_key=True),
                 sa.Column("version", sa.Integer, nullable=False)),
        sa.Table("workshops", meta, sa.Column("code", code, primary_key=True),
                 sa.Column("title", sa.String(MAX_TITLE), nullable=False),
                 sa.Column("groups", sa.Text, nullable=False),  # JSON list
                 sa.Column("dots", sa.Integer, nullable=False),
                 sa.Column("admin_hash", sa.String(64), nullable=False),
                 sa.Column("created_at", ts, nullable=False),
                 sa.Column("closed", sa.Boolean, nullable=False),
                 sa.Column("revealed", sa.Boolean, nullable=False)),
        sa.Table("workshop_responses", meta,
                 sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),  # submission order
                 sa.Column("code", code, code_fk(), nullable=False),
                 sa.Column("participant_id", sa.String(64), nullable=False),
                 sa.Column("group_name", sa.String(MAX_GROUP_NAME)),
                 sa.Column("answers", sa.Text, nullable=False),  # JSON {item id: 1–5}
                 sa.Column("submitted_at", ts, nullable=False),
                 sa.Column("updated_at", ts, nullable=False),
                 sa.UniqueConstraint("code", "participant_id", name="uq_workshop_response")),
        sa.Table("workshop_votes", meta,
                 sa.Column("code", code, code_fk(), primary_key=True),
                 sa.Column("participant_id", sa.String(64), primary_key=True),
                 sa.Column("recommendation_ids", sa.Text, nullable=False),  # JSON list
                 sa.Column("updated_at", ts, nullable=False)),
    )  # fmt: skip


def _sqlite_connect(dbapi_connection, _record) -> None:
    # The driver must not open transactions itself: _sqlite_begin does, so a
    # write transaction takes the write lock at BEGIN and waits for it under the
    # busy timeout, instead of failing when another process wrote after its
    # first read (SQLITE_BUSY_SNAPSHOT).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    for pragma in (f"busy_timeout = {BUSY_TIMEOUT_SECONDS * 1000}", "journal_mode = WAL",
                   "synchronous = FULL", "foreign_keys = ON"):  # fmt: skip
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def _sqlite_begin(conn: sa.Connection) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(_WRITE) else "BEGIN")


def _engine(url: str | sa.URL | None, data_dir: str | os.PathLike | None) -> sa.Engine:
    if url is None:
        directory = Path(data_dir or os.environ.get(DATA_DIR_ENV) or "data")
        directory.mkdir(parents=True, exist_ok=True)
        url = sa.URL.create("sqlite+pysqlite", database=str(directory / DB_FILE_NAME))
    url = sa.make_url(url)
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    backend = url.get_backend_name()
    if backend == "postgresql":  # at most 10 connections a process; more threads queue
        return sa.create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5)
    if backend != "sqlite":
        raise ValueError(f"Die Datenbank „{backend}“ wird nicht unterstützt (nur SQLite und PostgreSQL).")
    if url.database in (None, "", ":memory:"):
        raise ValueError("Der Workshop-Speicher braucht eine SQLite-Datei, keine In-Memory-Datenbank.")
    engine = sa.create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_SECONDS})
    sa.event.listen(engine, "connect", _sqlite_connect)
    sa.event.listen(engine, "begin", _sqlite_begin)
    return engine


# --------------------------------------------------------------------------- checks


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def _hash_key(admin_key: str) -> str:
    # The key has 256 random bits, so a fast unsalted hash is enough.
    return hashlib.sha256(admin_key.encode("utf-8")).hexdigest()


def _normal_code(code: object) -> str:
    text = "".join(c for c in code if not c.isspace() and c != "-").upper() if isinstance(code, str) else ""
    if len(text) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in text):
        raise KeyError(f"Es gibt keinen Workshop mit dem Code „{code}“.")
    return text


def _text(value: object, limit: int, what: str) -> str:
    text = " ".join(value.split()) if isinstance(value, str) else ""
    if not text or len(text) > limit:
        raise ValueError(f"{what} muss aus 1 bis {limit} Zeichen bestehen.")
    return text


def _clean_groups(groups: Iterable[str] | None) -> tuple[str, ...]:
    if isinstance(groups, str) or not isinstance(groups, Iterable | None):
        raise ValueError("Die Gruppen müssen als Liste von Namen angegeben werden.")
    out: list[str] = []
    for name in groups or ():
        text = _text(name, MAX_GROUP_NAME, "Jeder Gruppenname")
        if text[0] in "=+-@":  # a spreadsheet would read it as a formula (CSV export)
            raise ValueError(f"Der Gruppenname „{text}“ darf nicht mit =, +, - oder @ beginnen.")
        if text.casefold() in {g.casefold() for g in out}:
            raise ValueError(f"Die Gruppe „{text}“ ist doppelt angegeben.")
        out.append(text)
    if len(out) > MAX_GROUPS:
        raise ValueError(f"Ein Workshop kann höchstens {MAX_GROUPS} Gruppen haben.")
    return tuple(out)


def _check_dots(dots: object) -> int:
    if isinstance(dots, bool) or not isinstance(dots, int) or not 1 <= dots <= MAX_DOTS:
        raise ValueError(f"Die Zahl der Punkte je Person muss eine ganze Zahl von 1 bis {MAX_DOTS} sein.")
    return dots


def _check_participant(participant_id: object) -> str:
    if not isinstance(participant_id, str) or not _PARTICIPANT_ID.fullmatch(participant_id):
        raise ValueError("Die Teilnehmer-Kennung muss aus 1 bis 64 Buchstaben, Ziffern, - oder _ bestehen.")
    return participant_id


def _check_group(group: object, groups: tuple[str, ...]) -> str | None:
    if group is None:
        return None
    if not groups:
        raise ValueError("Dieser Workshop hat keine Gruppen; bitte keine Gruppe angeben.")
    text = " ".join(group.split()) if isinstance(group, str) else None
    if text not in groups:
        raise ValueError(f"Die Gruppe „{group}“ gibt es in diesem Workshop nicht.")
    return text


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# --------------------------------------------------------------------------- store


class WorkshopStore:
    """Workshops, answers and dot votes in SQLite or PostgreSQL.

    Thread-safe: one store per process can serve every session; several
    processes may open the same database.

    Parameters
    ----------
    url
        SQLAlchemy URL (``sqlite:///file.sqlite3``, ``postgresql+psycopg://…``);
        None: the SQLite file ``workshops.sqlite3`` in ``data_dir``.
    data_dir
        folder of that file (created when missing); default the environment
        variable ``LEARN_DATA_DIR``, else ``./data``. A local disk (WAL).
    instrument
        the questionnaire whose items answers may name; default LEARN.
    valid_ids
        recommendation ids a vote may name; default the built-in catalogue's.

    Raises
    ------
    ValueError
        for an unsupported database or an in-memory SQLite URL.
    StoreSchemaError
        when the tables are of another schema version.
    sqlalchemy.exc.OperationalError
        when the database cannot be reached.
    """

    def __init__(
        self,
        url: str | sa.URL | None = None,
        *,
        data_dir: str | os.PathLike | None = None,
        instrument: Instrument | None = None,
        valid_ids: Iterable[str] | None = None,
    ) -> None:
        self._instrument = instrument or default_instrument()
        self._valid_ids = frozenset(valid_ids) if valid_ids is not None else None
        self._t = _schema()
        self._engine = _engine(url, data_dir)
        self._postgres = self._engine.dialect.name == "postgresql"
        self._write_lock = threading.Lock()
        try:
            self._create_tables()
        except BaseException:
            self._engine.dispose()
            raise

    @property
    def url(self) -> str:
        """The database URL, without password."""
        return self._engine.url.render_as_string(hide_password=True)

    def close(self) -> None:
        """Release the database connections."""
        self._engine.dispose()

    def __enter__(self) -> WorkshopStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ helpers

    @contextmanager
    def _tx(self, *, write: bool = False) -> Iterator[sa.Connection]:
        # SQLite writes one transaction at a time anyway; queueing this
        # process's writers on a lock (woken at once) instead of in SQLite's
        # busy handler (which sleeps up to 100 ms a try) keeps the waits short.
        with self._write_lock if write and not self._postgres else nullcontext():
            with self._engine.connect() as conn:
                if write:
                    conn.execution_options(**{_WRITE: True})
                with conn.begin():
                    yield conn

    def _upsert(self, conn: sa.Connection, table: sa.Table, values: dict, update: list[str]) -> None:
        stmt = (postgresql.insert if self._postgres else sqlite.insert)(table).values(**values)
        keys = [c for c in table.c if c.name in ("code", "participant_id")]
        conn.execute(stmt.on_conflict_do_update(index_elements=keys, set_={k: stmt.excluded[k] for k in update}))

    def _create_tables(self) -> None:
        v = self._t.version
        with self._tx(write=True) as conn:
            if self._postgres:  # several processes may start at once
                conn.execute(sa.select(sa.func.pg_advisory_xact_lock(_PG_SCHEMA_LOCK)))
            self._t.meta.create_all(conn)
            found = conn.execute(sa.select(v.c.version).where(v.c.name == "workshop")).scalar()
            if found is None:
                conn.execute(sa.insert(v).values(name="workshop", version=SCHEMA_VERSION))
            elif found != SCHEMA_VERSION:
                raise StoreSchemaError(
                    f"Die Datenbank hat das Workshop-Schema Version {found}, erwartet wird {SCHEMA_VERSION}."
                )

    def _row(self, conn: sa.Connection, code: object, *, lock: bool = False) -> sa.Row:
        w = self._t.workshops
        stmt = sa.select(w).where(w.c.code == _normal_code(code))
        if lock:  # FOR SHARE on PostgreSQL: closing waits for running submissions
            stmt = stmt.with_for_update(read=True)
        row = conn.execute(stmt).first()
        if row is None:
            raise KeyError(f"Es gibt keinen Workshop mit dem Code „{code}“.")
        return row

    def _open_row(self, conn: sa.Connection, code: object) -> sa.Row:
        row = self._row(conn, code, lock=True)
        if row.closed:
            raise WorkshopClosedError("Dieser Workshop ist geschlossen und nimmt nichts mehr an.")
        return row

    def _admin_row(self, conn: sa.Connection, code: object, admin_key: object) -> sa.Row:
        row = self._row(conn, code)
        if not (isinstance(admin_key, str) and hmac.compare_digest(_hash_key(admin_key), row.admin_hash)):
            raise PermissionError("Der Admin-Schlüssel passt nicht zu diesem Workshop.")
        return row

    def _count(self, conn: sa.Connection, code: str) -> int:
        r = self._t.responses
        return int(conn.execute(sa.select(sa.func.count()).where(r.c.code == code)).scalar_one())

    def _check_answers(self, answers: object) -> dict[str, int]:
        if not isinstance(answers, Mapping):
            raise ValueError("Die Antworten müssen eine Zuordnung von Item zu Wert sein.")
        low, high, ids = self._instrument.scale.minimum, self._instrument.scale.maximum, self._instrument.item_ids
        for item_id, value in answers.items():
            if item_id not in ids:
                raise ValueError(f"Das Item „{item_id}“ gibt es im Fragebogen nicht.")
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, numbers.Integral) or not low <= value <= high
            ):
                raise ValueError(f"Die Antwort auf {item_id} muss eine ganze Zahl von {low} bis {high} sein, nicht „{value}“.")
        out = {i: int(answers[i]) for i in ids if answers.get(i) is not None}
        if not out:
            raise ValueError("Bitte beantworten Sie mindestens eine Aussage.")
        return out

    def _check_recommendations(self, ids: object) -> list[str]:
        if isinstance(ids, str | bytes) or not isinstance(ids, Iterable):
            raise ValueError("Die Punkte müssen als Liste von Maßnahmen angegeben werden.")
        ids = list(ids)
        valid = self._valid_ids if self._valid_ids is not None else {r.id for r in catalogue()}
        for rid in ids:
            if not isinstance(rid, str) or rid not in valid:
                raise ValueError(f"Die Maßnahme „{rid}“ gibt es im Katalog nicht.")
        return ids

    def _set_flag(self, code: str, admin_key: str, column: str, value: bool) -> None:
        if not isinstance(value, bool):
            raise TypeError(f"„{column}“ muss True oder False sein.")
        w = self._t.workshops
        with self._tx(write=True) as conn:
            row = self._admin_row(conn, code, admin_key)
            conn.execute(sa.update(w).where(w.c.code == row.code).values({column: value}))

    # ------------------------------------------------------------------ facilitator

    def create_workshop(self, title: str, groups: Iterable[str] | None = None, dots: int = 3) -> Workshop:
        """Create a workshop with a fresh code and admin key.

        Parameters
        ----------
        title
            shown to the participants (1–200 characters).
        groups
            the groups (departments) participants choose from; None or empty: none.
        dots
            dots per participant in the dot vote (1–10).

        Returns
        -------
        Workshop
            ``code``: 6 random characters of :data:`CODE_ALPHABET` (unique);
            ``admin_key``: 256 random bits, URL-safe, shown only here.

        Raises
        ------
        ValueError
            for a bad title, bad or duplicate group names, or dots outside 1–10.
        """
        title = _text(title, MAX_TITLE, "Der Titel")
        groups, dots = _clean_groups(groups), _check_dots(dots)
        admin_key, created = secrets.token_urlsafe(ADMIN_KEY_BYTES), datetime.now(UTC)
        for _ in range(_CODE_ATTEMPTS):
            code = _new_code()
            try:
                with self._tx(write=True) as conn:
                    conn.execute(sa.insert(self._t.workshops).values(
                        code=code, title=title, groups=json.dumps(list(groups)), dots=dots,
                        admin_hash=_hash_key(admin_key), created_at=created, closed=False, revealed=False))  # fmt: skip
            except sa.exc.IntegrityError:  # the code is taken: draw another one
                continue
            return Workshop(code, title, groups, created, False, False, dots, admin_key)
        raise RuntimeError("Es konnte kein freier Workshop-Code gefunden werden.")

    def check_admin(self, code: str, admin_key: str) -> bool:
        """Whether ``admin_key`` is the workshop's admin key.

        Raises
        ------
        KeyError
            for an unknown code.
        """
        with self._tx() as conn:
            try:
                self._admin_row(conn, code, admin_key)
            except PermissionError:
                return False
        return True

    def close_workshop(self, code: str, admin_key: str) -> None:
        """Close the workshop to answers and votes (KeyError, PermissionError as :meth:`responses`)."""
        self._set_flag(code, admin_key, "closed", True)

    def reopen_workshop(self, code: str, admin_key: str) -> None:
        """Open a closed workshop again (KeyError, PermissionError as :meth:`responses`)."""
        self._set_flag(code, admin_key, "closed", False)

    def set_revealed(self, code: str, admin_key: str, revealed: bool) -> None:
        """Show or hide the results to the participants (KeyError, PermissionError
        as :meth:`responses`; TypeError when ``revealed`` is not a bool)."""
        self._set_flag(code, admin_key, "revealed", revealed)

    def responses(self, code: str, admin_key: str) -> pd.DataFrame:
        """The answers in the shape of a survey file.

        Returns
        -------
        pandas.DataFrame
            one row per participant, in the order of first submission: the
            column ``Abteilung`` (group or None) when the workshop has groups,
            then the instrument's items (M1 … L6) as ints or None. Passes
            through :func:`learn_core.reading.survey_from_frame` like a file.

        Raises
        ------
        KeyError
            for an unknown code.
        PermissionError
            for a wrong admin key.
        """
        with self._tx() as conn:
            row = self._admin_row(conn, code, admin_key)
            return self._frame(conn, row)

    def revealed_responses(self, code: str) -> pd.DataFrame | None:
        """The answers as :meth:`responses` gives them, for anyone with the code,
        but only while the facilitator has revealed the results.

        The participants' page scores them like an upload, so the minimum group
        size protects them as it protects a file.

        Returns
        -------
        pandas.DataFrame or None
            as :meth:`responses`; None while the results are hidden.

        Raises
        ------
        KeyError
            for an unknown code.
        """
        with self._tx() as conn:
            row = self._row(conn, code)
            return self._frame(conn, row) if row.revealed else None

    def _frame(self, conn: sa.Connection, row: sa.Row) -> pd.DataFrame:
        r = self._t.responses
        stored = conn.execute(
            sa.select(r.c.group_name, r.c.answers).where(r.c.code == row.code).order_by(r.c.id)
        ).all()
        item_ids = list(self._instrument.item_ids)
        groups = [GROUP_COLUMN] if json.loads(row.groups) else []
        records = []
        for group_name, text in stored:
            answers = json.loads(text)
            records.append([group_name][: len(groups)] + [answers.get(i) for i in item_ids])
        return pd.DataFrame(records, columns=groups + item_ids, dtype=object)

    def export(self, code: str, admin_key: str) -> bytes:
        """The answers of :meth:`responses` as CSV for German Excel.

        Returns
        -------
        bytes
            UTF-8 with byte order mark, ``;``-separated, CRLF line ends, empty
            cells for no answer.

        Raises
        ------
        KeyError, PermissionError
            as :meth:`responses`.
        """
        text = self.responses(code, admin_key).to_csv(sep=";", index=False, lineterminator="\r\n")
        return text.encode("utf-8-sig")

    # ------------------------------------------------------------------ participants

    def workshop(self, code: str) -> WorkshopInfo:
        """Public facts of a workshop for the participant page.

        ``code`` is compared case-insensitively; spaces and hyphens are ignored
        (this holds for every method).

        Raises
        ------
        KeyError
            for an unknown code.
        """
        with self._tx() as conn:
            row = self._row(conn, code)
            n = self._count(conn, row.code)
        return WorkshopInfo(row.code, row.title, tuple(json.loads(row.groups)), _utc(row.created_at),
                            bool(row.closed), bool(row.revealed), int(row.dots), n)  # fmt: skip

    def count(self, code: str) -> int:
        """Number of participants who have submitted answers (KeyError for an unknown code)."""
        with self._tx() as conn:
            return self._count(conn, self._row(conn, code).code)

    def submit(self, code: str, participant_id: str, answers: Mapping[str, int | None],
               group: str | None = None) -> None:  # fmt: skip
        """Store or replace one participant's answers, atomically.

        Parameters
        ----------
        participant_id
            opaque id of the participant's browser session (1–64 letters,
            digits, ``-``, ``_``); a new submission under it replaces the old.
        answers
            item id → integer 1–5, or None for no answer; items left out are
            not answered. At least one answer is needed.
        group
            one of the workshop's groups, or None.

        Raises
        ------
        KeyError
            for an unknown code.
        ValueError
            for an unknown item, an answer that is not an integer 1–5 (a bool
            never is), no answer at all, a bad participant id or a group the
            workshop does not have. Nothing is stored.
        WorkshopClosedError
            when the workshop is closed.
        """
        pid, values = _check_participant(participant_id), json.dumps(self._check_answers(answers))
        with self._tx(write=True) as conn:
            row = self._open_row(conn, code)
            group_name = _check_group(group, tuple(json.loads(row.groups)))
            now = datetime.now(UTC)
            self._upsert(conn, self._t.responses,
                         dict(code=row.code, participant_id=pid, group_name=group_name, answers=values,
                              submitted_at=now, updated_at=now),
                         ["group_name", "answers", "updated_at"])  # fmt: skip

    def vote(self, code: str, participant_id: str, recommendation_ids: Iterable[str]) -> None:
        """Store or replace one participant's dots.

        Parameters
        ----------
        recommendation_ids
            the measures to put a dot on; an id may repeat (two dots on one
            measure); at most the workshop's ``dots``; empty withdraws the vote.

        Raises
        ------
        KeyError
            for an unknown code.
        ValueError
            for too many dots, an unknown recommendation id or a bad
            participant id. Nothing is stored.
        WorkshopClosedError
            when the workshop is closed.
        """
        pid, ids = _check_participant(participant_id), self._check_recommendations(recommendation_ids)
        with self._tx(write=True) as conn:
            row = self._open_row(conn, code)
            if len(ids) > row.dots:
                raise ValueError(f"Jede Person hat höchstens {row.dots} Punkte, nicht {len(ids)}.")
            self._upsert(conn, self._t.votes,
                         dict(code=row.code, participant_id=pid, recommendation_ids=json.dumps(ids),
                              updated_at=datetime.now(UTC)),
                         ["recommendation_ids", "updated_at"])  # fmt: skip

    def votes(self, code: str) -> list[tuple[str, int]]:
        """The dot-vote result for the projector.

        Returns
        -------
        list of (recommendation id, dots)
            the measures with at least one dot, most dots first, ties by id.

        Raises
        ------
        KeyError
            for an unknown code.
        """
        v = self._t.votes
        with self._tx() as conn:
            row = self._row(conn, code)
            stored = conn.execute(sa.select(v.c.recommendation_ids).where(v.c.code == row.code)).scalars()
            counts = Counter(rid for text in stored for rid in json.loads(text))
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
