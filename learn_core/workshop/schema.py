"""The workshop store's tables, their schema version and the migrations of
older databases, and the engines for SQLite and PostgreSQL.

Versions:

1. workshops, answers and dot votes.
2. a workshop's minimum group size k (fixed when it is created; 5 for
   workshops of version 1), the expected room size, the snapshot of the
   answers shown to the room at the last "Ergebnisse freigeben" and, per
   answer, what that snapshot held of it (to count new answers since then).
   Workshops of version 1 that were revealed are hidden again: they have no
   snapshot yet.
3. the dot vote's rule (at most how many dots on one measure; version-2
   workshops keep "all on one"), whether the ranking is shown to the room,
   the join address the facilitator set and whether the presenter view's
   live counter is paused.
4. the instrument version a workshop's questionnaire is of (fixed when it
   is created); workshops of earlier versions were made with "1.0".

:func:`prepare` creates the tables of a new database and migrates an older
one step by step in the same transaction; a version newer than this code
knows raises :class:`StoreSchemaError`.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from learn_core.analysis.privacy import DEFAULT_MIN_GROUP_SIZE
from learn_core.errors import shown
from learn_core.settings import read_settings
from learn_core.workshop.errors import StoreDatabaseError, StoreSchemaError, StoreSettingError

__all__ = ["DATA_DIR_ENV", "DB_FILE_NAME", "SCHEMA_VERSION", "Schema", "StoreSchemaError", "make_engine",
           "prepare", "schema"]  # fmt: skip

SCHEMA_VERSION = 4
DATA_DIR_ENV = "LEARN_DATA_DIR"
DB_FILE_NAME = "workshops.sqlite3"
CODE_LENGTH = 6
MAX_TITLE, MAX_GROUP_NAME, MAX_JOIN_BASE, MAX_VERSION = 200, 80, 300, 20
BUSY_TIMEOUT_SECONDS = 30
WRITE_OPTION = "learn_write_transaction"
#: The instrument version of the workshops created before schema version 4.
FIRST_INSTRUMENT_VERSION = "1.0"
_LOG = logging.getLogger(__name__)
_PG_SCHEMA_LOCK = 0x4C4541524E  # advisory lock held while creating or migrating the tables


@dataclass(frozen=True)
class Schema:
    meta: sa.MetaData
    version: sa.Table
    workshops: sa.Table
    responses: sa.Table
    votes: sa.Table


def schema() -> Schema:
    """The tables of :data:`SCHEMA_VERSION`."""
    meta, ts, code = sa.MetaData(), sa.DateTime(timezone=True), sa.String(CODE_LENGTH)

    def code_fk() -> sa.ForeignKey:
        return sa.ForeignKey("workshops.code", ondelete="CASCADE")

    return Schema(
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
                 sa.Column("revealed", sa.Boolean, nullable=False),
                 # version 2
                 sa.Column("min_group_size", sa.Integer, nullable=False, server_default=str(DEFAULT_MIN_GROUP_SIZE)),
                 sa.Column("expected", sa.Integer),  # room size the facilitator expects, or NULL
                 sa.Column("snapshot", sa.Text),  # JSON [[group, {item: value}], …] in random order, or NULL
                 sa.Column("snapshot_n", sa.Integer, nullable=False, server_default="0"),
                 sa.Column("snapshot_seq", sa.Integer, nullable=False, server_default="0"),
                 # version 3
                 sa.Column("dots_per_measure", sa.Integer, nullable=False, server_default="10"),
                 sa.Column("ranking_shown", sa.Boolean, nullable=False, server_default=sa.false()),
                 sa.Column("join_base", sa.String(MAX_JOIN_BASE)),
                 sa.Column("counter_paused", sa.Boolean, nullable=False, server_default=sa.false()),
                 # version 4: what the workshops of earlier versions were made with
                 sa.Column("instrument_version", sa.String(MAX_VERSION), nullable=False,
                           server_default=sa.text(f"'{FIRST_INSTRUMENT_VERSION}'"))),
        sa.Table("workshop_responses", meta,
                 sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),  # submission order
                 sa.Column("code", code, code_fk(), nullable=False),
                 sa.Column("participant_id", sa.String(64), nullable=False),
                 sa.Column("group_name", sa.String(MAX_GROUP_NAME)),
                 sa.Column("answers", sa.Text, nullable=False),  # JSON {item id: 1–5}
                 sa.Column("submitted_at", ts, nullable=False),
                 sa.Column("updated_at", ts, nullable=False),
                 # version 2: group and answers as the last snapshot with figures held them
                 sa.Column("shown_group", sa.String(MAX_GROUP_NAME)),
                 sa.Column("shown_answers", sa.Text),
                 sa.UniqueConstraint("code", "participant_id", name="uq_workshop_response")),
        sa.Table("workshop_votes", meta,
                 sa.Column("code", code, code_fk(), primary_key=True),
                 sa.Column("participant_id", sa.String(64), primary_key=True),
                 sa.Column("recommendation_ids", sa.Text, nullable=False),  # JSON list
                 sa.Column("updated_at", ts, nullable=False)),
    )  # fmt: skip


# --------------------------------------------------------------------------- migrations


def _add_columns(conn: sa.Connection, table: sa.Table, names: list[str]) -> None:
    """ALTER TABLE … ADD COLUMN for columns of the current schema (SQLite and PostgreSQL)."""
    preparer = conn.dialect.identifier_preparer
    for name in names:
        column = table.c[name]
        ddl = f"ALTER TABLE {preparer.format_table(table)} ADD COLUMN {preparer.format_column(column)} "
        ddl += column.type.compile(dialect=conn.dialect)
        if isinstance(column.server_default, sa.DefaultClause):
            default = column.server_default.arg
            ddl += " DEFAULT " + (default if isinstance(default, str) else
                                  str(default.compile(dialect=conn.dialect)))  # fmt: skip
        if not column.nullable:
            ddl += " NOT NULL"
        conn.exec_driver_sql(ddl)


def _v1_to_v2(conn: sa.Connection, t: Schema) -> None:
    _add_columns(conn, t.workshops, ["min_group_size", "expected", "snapshot", "snapshot_n", "snapshot_seq"])
    _add_columns(conn, t.responses, ["shown_group", "shown_answers"])
    # a revealed workshop of version 1 showed the live answers; it has no snapshot to show now
    conn.execute(sa.update(t.workshops).values(revealed=False))


def _v2_to_v3(conn: sa.Connection, t: Schema) -> None:
    _add_columns(conn, t.workshops, ["dots_per_measure", "ranking_shown", "join_base", "counter_paused"])
    w = t.workshops
    conn.execute(sa.update(w).values(dots_per_measure=w.c.dots))  # as before: all dots on one measure allowed


def _v3_to_v4(conn: sa.Connection, t: Schema) -> None:
    _add_columns(conn, t.workshops, ["instrument_version"])  # existing rows get the default "1.0"


#: version → the step that brings a database of that version to the next one
MIGRATIONS: dict[int, Callable[[sa.Connection, Schema], None]] = {1: _v1_to_v2, 2: _v2_to_v3, 3: _v3_to_v4}


def prepare(conn: sa.Connection, t: Schema, *, postgres: bool) -> int:
    """Create the tables of a new database or migrate an older one, in the
    caller's write transaction. Returns the version found (0 for a new database).

    Raises
    ------
    StoreSchemaError
        for a version newer than :data:`SCHEMA_VERSION` or one no migration starts from.
    """
    if postgres:  # several processes may start at once
        conn.execute(sa.select(sa.func.pg_advisory_xact_lock(_PG_SCHEMA_LOCK)))
    v = t.version
    if not sa.inspect(conn).has_table(v.name):
        t.meta.create_all(conn)
        conn.execute(sa.insert(v).values(name="workshop", version=SCHEMA_VERSION))
        return 0
    found = conn.execute(sa.select(v.c.version).where(v.c.name == "workshop")).scalar()
    if found is None:
        t.meta.create_all(conn)
        conn.execute(sa.insert(v).values(name="workshop", version=SCHEMA_VERSION))
        return 0
    if found > SCHEMA_VERSION or (found < SCHEMA_VERSION and found not in MIGRATIONS):
        raise StoreSchemaError(code="errors.workshop.schema", params={"found": found, "newest": SCHEMA_VERSION})
    for step in range(found, SCHEMA_VERSION):
        MIGRATIONS[step](conn, t)
    t.meta.create_all(conn)  # tables that a later version added
    conn.execute(sa.update(v).where(v.c.name == "workshop").values(version=SCHEMA_VERSION))
    return int(found)


# --------------------------------------------------------------------------- engines


def _sqlite_connect(dbapi_connection, _record) -> None:
    # The driver must not open transactions itself: _sqlite_begin does, so a
    # write transaction takes the write lock at BEGIN and waits for it under the
    # busy timeout, instead of failing when another process wrote after its
    # first read (SQLITE_BUSY_SNAPSHOT).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_SECONDS * 1000}")
    # Switching a new file to WAL needs a moment alone with it: while another
    # process creates the same file, SQLite can refuse at once ("database is
    # locked") without waiting on the busy timeout, so it is retried within it.
    deadline = time.monotonic() + BUSY_TIMEOUT_SECONDS
    while True:
        try:
            cursor.execute("PRAGMA journal_mode = WAL")
            break
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)
    for pragma in ("synchronous = FULL", "foreign_keys = ON"):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def _sqlite_begin(conn: sa.Connection) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(WRITE_OPTION) else "BEGIN")


def make_engine(url: str | sa.URL | None, data_dir: str | os.PathLike | None) -> sa.Engine:
    """The engine of a store URL, or of the SQLite file in ``data_dir``
    (default ``LEARN_DATA_DIR``, else ``./data``; created when missing).

    Raises
    ------
    StoreSettingError
        for a database other than SQLite or PostgreSQL, an in-memory SQLite
        URL, a URL that is none or a database driver that is not installed.
    StoreDatabaseError
        when the folder of the SQLite file cannot be made (the OSError is its cause).
    """
    if url is None:
        directory = Path(data_dir or read_settings().text(DATA_DIR_ENV))
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            _LOG.error("The folder of the workshop database cannot be made: %s", exc)
            raise StoreDatabaseError(code="errors.workshop.database") from exc
        url = sa.URL.create("sqlite+pysqlite", database=str(directory / DB_FILE_NAME))
    try:
        url = sa.make_url(url)
    except sa.exc.ArgumentError as exc:
        raise StoreSettingError(code="errors.workshop.bad_url") from exc
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    backend = url.get_backend_name()
    if backend == "postgresql":  # at most 10 connections a process; more threads queue
        try:
            return sa.create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5)
        except (sa.exc.ArgumentError, ImportError) as exc:  # a driver SQLAlchemy does not know, or not installed
            raise StoreSettingError(code="errors.workshop.bad_url") from exc
    if backend != "sqlite":
        raise StoreSettingError(code="errors.workshop.unsupported_database", params={"backend": shown(backend)})
    if url.database in (None, "", ":memory:"):
        raise StoreSettingError(code="errors.workshop.in_memory")
    engine = sa.create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_SECONDS})
    sa.event.listen(engine, "connect", _sqlite_connect)
    sa.event.listen(engine, "begin", _sqlite_begin)
    return engine
