"""The live-workshop store: workshops, participants' answers and dot votes.

A facilitator creates a workshop with its minimum group size k and gets a
short code for the participants and a secret admin key (only its SHA-256
hash is stored). Participants submit answers under the code, one row per
participant (a new submission replaces the old one), and put dots on Kaizen
measures. With the admin key, :meth:`WorkshopStore.responses` gives the
answers in the shape of a survey file, so they are read and scored exactly
like an upload. The room sees only snapshots taken at "Ergebnisse
freigeben", under the rules of :mod:`learn_core.workshop.disclosure`.

SQLAlchemy Core over an embedded SQLite file (WAL, ``synchronous=FULL``, busy
timeout, write transactions ``BEGIN IMMEDIATE``: several processes may write
at once, and a write is on disk when the call returns) or PostgreSQL
(``postgresql+psycopg://…``), with the same code for both. Tables and
migrations: :mod:`learn_core.workshop.schema`.
"""

from __future__ import annotations

import hmac
import json
import logging
import os
import secrets
import threading
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from learn_core.analysis.privacy import DEFAULT_MIN_GROUP_SIZE
from learn_core.errors import shown
from learn_core.instrument import (
    DEFAULT_VERSION,
    Instrument,
    instrument_version,
    instrument_versions,
)
from learn_core.recommendations import catalogue
from learn_core.workshop import checks
from learn_core.workshop.checks import CODE_ALPHABET, MAX_DOTS
from learn_core.workshop.disclosure import (
    Reveal,
    blank_groups,
    count_changes,
    decide_reveal,
    shuffled,
)
from learn_core.workshop.errors import (
    StoreConflictError,
    StoreDatabaseError,
    StoreUnavailableError,
    UnknownWorkshopError,
    WorkshopClosedError,
    WorkshopInputError,
    WorkshopKeyError,
)
from learn_core.workshop.schema import (
    CODE_LENGTH,
    DATA_DIR_ENV,
    MAX_TITLE,
    SCHEMA_VERSION,
    WRITE_OPTION,
    make_engine,
    prepare,
    schema,
)

__all__ = [
    "CODE_ALPHABET", "CODE_LENGTH", "DATA_DIR_ENV", "GROUP_COLUMN", "MAX_DOTS", "SCHEMA_VERSION",
    "Reveal", "Workshop", "WorkshopInfo", "WorkshopStore",
]  # fmt: skip

_LOG = logging.getLogger(__name__)

ADMIN_KEY_BYTES = 32  # 256 random bits, 43 URL-safe characters
#: Header of the group column of :meth:`WorkshopStore.responses`.
GROUP_COLUMN = "Abteilung"
_CODE_ATTEMPTS = 20


@dataclass(frozen=True)
class _Facts:
    code: str
    title: str
    groups: tuple[str, ...]
    created_at: datetime
    closed: bool
    revealed: bool
    dots: int
    min_group_size: int
    expected: int | None
    dots_per_measure: int
    #: the built-in instrument version of the workshop's questionnaire (fixed at creation)
    instrument_version: str

    @property
    def instrument(self) -> Instrument:
        """The built-in instrument of :attr:`instrument_version`: the statements
        the phones ask and every score of the workshop is computed with."""
        return instrument_version(self.instrument_version)


@dataclass(frozen=True)
class Workshop(_Facts):
    """A new workshop as its facilitator gets it: the only time the key is shown."""

    admin_key: str = field(repr=False)


@dataclass(frozen=True)
class WorkshopInfo(_Facts):
    """What anyone with the code may see of a workshop (no key, no answers).

    ``responses``: distinct participants who submitted; ``snapshot_n``:
    answers in the snapshot the room sees (0 before the first reveal);
    ``snapshot_seq``: number of snapshots taken (changes with each new one);
    ``ranking_shown``: whether the room sees the dot-vote ranking;
    ``join_base``: the address the facilitator set for the join link (or None);
    ``counter_paused``: whether the presenter view's live counter stands still.
    """

    responses: int
    snapshot_n: int
    snapshot_seq: int
    ranking_shown: bool
    join_base: str | None
    counter_paused: bool


def _built_in_version(version: object) -> str:
    """``version`` when it is a built-in instrument version; else
    WorkshopInputError naming those that are."""
    known = [inst.version for inst in instrument_versions()]
    if version not in known:
        raise WorkshopInputError(code="errors.workshop.instrument_version",
                                 params={"version": shown(version), "known": known})
    return str(version)


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


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
    valid_ids
        recommendation ids a vote may name; default the built-in catalogue's.

    Raises
    ------
    StoreSettingError
        for an unsupported database, an in-memory SQLite URL or a URL that is none.
    StoreSchemaError
        when the tables are of a schema version this code does not know
        (older versions are migrated).
    StoreDatabaseError
        when the database cannot be reached (or the folder of its file made).

    Every method raises StoreDatabaseError when the database fails the call
    (SQLAlchemy's error is its ``__cause__``) and StoreUnavailableError when
    the SQLite file was deleted or replaced; all errors a method raises for
    the caller's input or the database are
    :class:`~learn_core.errors.WorkshopError` (see
    :mod:`learn_core.workshop.errors`).
    """

    def __init__(
        self,
        url: str | sa.URL | None = None,
        *,
        data_dir: str | os.PathLike | None = None,
        valid_ids: Iterable[str] | None = None,
    ) -> None:
        self._valid_ids = frozenset(valid_ids) if valid_ids is not None else None
        self._t = schema()
        self._engine = make_engine(url, data_dir)
        self._postgres = self._engine.dialect.name == "postgresql"
        self._write_lock = threading.Lock()
        self._file: str | None = None
        self._identity: tuple[int, int] | None = None
        self._lost = False
        try:
            with self._tx(write=True) as conn:
                prepare(conn, self._t, postgres=self._postgres)
        except BaseException:
            self._engine.dispose()
            raise
        if not self._postgres:  # the file as opened: every later call checks that it is still this one
            database = self._engine.url.database
            if database is None:  # never: an SQLite store without a file is refused when its engine is made
                raise ValueError("an SQLite store needs a database file")
            self._file = os.path.abspath(database)
            self._identity = self._stat()

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

    def _stat(self) -> tuple[int, int] | None:
        if self._file is None:
            return None
        try:
            info = os.stat(self._file)
        except OSError:
            return None
        return info.st_dev, info.st_ino

    def _check_file(self) -> None:
        """Raise StoreUnavailableError when the SQLite file is gone or another
        file now has its name (writes would go to a file no longer on disk)."""
        if self._identity is None:
            return
        if not self._lost and self._stat() != self._identity:
            self._lost = True
            _LOG.error("The workshop database file %s was deleted or replaced while the server runs; answers "
                       "and votes are refused until the server is restarted.", self._file)
        if self._lost:
            raise StoreUnavailableError(code="errors.workshop.lost")

    @contextmanager
    def _tx(self, *, write: bool = False) -> Iterator[sa.Connection]:
        # SQLite writes one transaction at a time anyway; queueing this
        # process's writers on a lock (woken at once) instead of in SQLite's
        # busy handler (which sleeps up to 100 ms a try) keeps the waits short.
        with self._write_lock if write and not self._postgres else nullcontext():
            self._check_file()
            try:
                with self._engine.connect() as conn:
                    if write:
                        conn.execution_options(**{WRITE_OPTION: True})
                    with conn.begin():
                        yield conn
            except sa.exc.SQLAlchemyError as exc:
                # the driver's own message only: SQLAlchemy's text would hold the statement's parameters
                _LOG.error("The workshop database refused a %s: %s: %s", "write" if write else "read",
                           type(getattr(exc, "orig", None) or exc).__name__, getattr(exc, "orig", None) or "")
                # a broken constraint is its own class: create_workshop draws another code on it
                error = StoreConflictError if isinstance(exc, sa.exc.IntegrityError) else StoreDatabaseError
                raise error(code="errors.workshop.database") from exc
            if write:  # committed: acknowledge only when it went into the file that is on disk
                self._check_file()

    def _upsert(self, conn: sa.Connection, table: sa.Table, values: dict, update: list[str]) -> None:
        stmt = (postgresql.insert if self._postgres else sqlite.insert)(table).values(**values)
        keys = [c for c in table.c if c.name in ("code", "participant_id")]
        conn.execute(stmt.on_conflict_do_update(index_elements=keys, set_={k: stmt.excluded[k] for k in update}))

    def _row(self, conn: sa.Connection, code: object, *, lock: bool = False) -> sa.Row:
        w = self._t.workshops
        stmt = sa.select(w).where(w.c.code == checks.normal_code(code))
        if lock:  # FOR SHARE on PostgreSQL: closing waits for running submissions
            stmt = stmt.with_for_update(read=True)
        row = conn.execute(stmt).first()
        if row is None:
            raise UnknownWorkshopError(code="errors.workshop.unknown_code")
        return row

    def _open_row(self, conn: sa.Connection, code: object) -> sa.Row:
        row = self._row(conn, code, lock=True)
        if row.closed:
            raise WorkshopClosedError(code="errors.workshop.closed")
        return row

    def _admin_row(self, conn: sa.Connection, code: object, admin_key: object) -> sa.Row:
        row = self._row(conn, code)
        if not (isinstance(admin_key, str) and hmac.compare_digest(checks.hash_key(admin_key), row.admin_hash)):
            raise WorkshopKeyError(code="errors.workshop.admin_key")
        return row

    def _count(self, conn: sa.Connection, code: str) -> int:
        r = self._t.responses
        return int(conn.execute(sa.select(sa.func.count()).where(r.c.code == code)).scalar_one())

    def _valid(self) -> frozenset[str]:
        return self._valid_ids if self._valid_ids is not None else frozenset(r.id for r in catalogue())

    def _update(self, code: str, admin_key: str, **values: object) -> None:
        w = self._t.workshops
        with self._tx(write=True) as conn:
            row = self._admin_row(conn, code, admin_key)
            conn.execute(sa.update(w).where(w.c.code == row.code).values(**values))

    @staticmethod
    def _instrument(row: sa.Row) -> Instrument:
        """The instrument of the workshop in ``row`` (the version it was created with)."""
        return instrument_version(row.instrument_version)

    def _frame(self, row: sa.Row, records: list[tuple[str | None, dict]]) -> pd.DataFrame:
        """The workshop's answers as a survey table: its groups column if it has
        groups, then the items of its own instrument version."""
        item_ids = list(self._instrument(row).item_ids)
        groups = [GROUP_COLUMN] if json.loads(row.groups) else []
        rows = [[group][: len(groups)] + [answers.get(i) for i in item_ids] for group, answers in records]
        return pd.DataFrame(rows, columns=groups + item_ids, dtype=object)

    def _records(self, conn: sa.Connection, code: str) -> list[tuple[str | None, dict]]:
        r = self._t.responses
        stored = conn.execute(sa.select(r.c.group_name, r.c.answers).where(r.c.code == code).order_by(r.c.id))
        return [(group, json.loads(text)) for group, text in stored]

    # ------------------------------------------------------------------ facilitator

    def create_workshop(self, title: str, groups: Iterable[str] | None = None, dots: int = 3, *,
                        min_group_size: int = DEFAULT_MIN_GROUP_SIZE, expected: int | None = None,
                        dots_per_measure: int | None = None,
                        instrument_version: str = DEFAULT_VERSION) -> Workshop:  # fmt: skip
        """Create a workshop with a fresh code and admin key.

        Parameters
        ----------
        title
            shown to the participants (1–200 characters).
        groups
            the groups (departments) participants choose from; None or empty: none.
        dots
            dots per participant in the dot vote (1–10).
        min_group_size
            the workshop's k, fixed for its life: every phone and the
            projector show figures only from k answers (never below
            :data:`learn_core.analysis.privacy.LOWEST_MIN_GROUP_SIZE`).
        expected
            how many participants the facilitator expects (1–10,000), or None.
        dots_per_measure
            at most this many of a person's dots on one measure: 1 = one
            each, ``dots`` (the default) = all on one.
        instrument_version
            the built-in questionnaire version the phones ask (default
            :data:`~learn_core.instrument.DEFAULT_VERSION`), fixed for the
            workshop's life: its answers, snapshots and export are of it.

        Returns
        -------
        Workshop
            ``code``: 6 random characters of :data:`CODE_ALPHABET` (unique);
            ``admin_key``: 256 random bits, URL-safe, shown only here.

        Raises
        ------
        WorkshopInputError
            (a ValueError)
            for a bad title, bad or duplicate group names, dots outside 1–10,
            a k below the floor, a bad expected size or an instrument version
            that is not built in.
        """
        title = checks.check_text(title, MAX_TITLE, "errors.workshop.title_length")
        groups, dots = checks.clean_groups(groups), checks.check_dots(dots)
        k, expected = checks.check_k(min_group_size), checks.check_expected(expected)
        per_measure = checks.check_per_measure(dots if dots_per_measure is None else dots_per_measure, dots)
        version = _built_in_version(instrument_version)
        admin_key, created = secrets.token_urlsafe(ADMIN_KEY_BYTES), datetime.now(UTC)
        taken: StoreConflictError | None = None
        for _ in range(_CODE_ATTEMPTS):
            code = _new_code()
            try:
                with self._tx(write=True) as conn:
                    conn.execute(sa.insert(self._t.workshops).values(
                        code=code, title=title, groups=json.dumps(list(groups)), dots=dots,
                        admin_hash=checks.hash_key(admin_key), created_at=created, closed=False, revealed=False,
                        min_group_size=k, expected=expected, snapshot=None, snapshot_n=0, snapshot_seq=0,
                        dots_per_measure=per_measure, ranking_shown=False, join_base=None, counter_paused=False,
                        instrument_version=version))  # fmt: skip
            except StoreConflictError as exc:  # the code is taken: draw another one
                taken = exc
                continue
            return Workshop(code, title, groups, created, False, False, dots, k, expected, per_measure, version,
                            admin_key)  # fmt: skip
        raise StoreConflictError(code="errors.workshop.no_free_code") from taken

    def purge_closed(self, days: int, *, now: datetime | None = None) -> int:
        """Delete the closed workshops in which nothing happened for ``days``
        days (created, and every answer and vote changed, before then), with
        their answers, votes and snapshot; the retention period of the
        setting ``LEARN_RETENTION_DAYS``. Returns how many were deleted.

        Raises
        ------
        WorkshopInputError
            (a ValueError)
            when ``days`` is not a whole number of at least 1.
        """
        if isinstance(days, bool) or not isinstance(days, int) or days < 1:
            raise WorkshopInputError(code="errors.workshop.retention_days", params={"days": shown(days)})
        cutoff = (now or datetime.now(UTC)) - timedelta(days=days)
        w, r, v = self._t.workshops, self._t.responses, self._t.votes
        active = sa.union(sa.select(r.c.code).where(r.c.updated_at >= cutoff),
                          sa.select(v.c.code).where(v.c.updated_at >= cutoff))
        old = sa.select(w.c.code).where(w.c.closed.is_(True), w.c.created_at < cutoff, w.c.code.not_in(active))
        with self._tx(write=True) as conn:
            codes = list(conn.execute(old).scalars())
            for table in (r, v, w):  # explicitly, not through the foreign keys' cascade
                conn.execute(sa.delete(table).where(table.c.code.in_(codes)))
        if codes:
            _LOG.info("retention: %d closed workshops older than %d days deleted", len(codes), days)
        return len(codes)

    def check_admin(self, code: str, admin_key: str) -> bool:
        """Whether ``admin_key`` is the workshop's admin key (KeyError for an unknown code)."""
        with self._tx() as conn:
            try:
                self._admin_row(conn, code, admin_key)
            except WorkshopKeyError:
                return False
        return True

    def close_workshop(self, code: str, admin_key: str) -> None:
        """Close the workshop to answers and votes (KeyError, PermissionError as :meth:`responses`)."""
        self._update(code, admin_key, closed=True)

    def reopen_workshop(self, code: str, admin_key: str) -> None:
        """Open a closed workshop again (KeyError, PermissionError as :meth:`responses`)."""
        self._update(code, admin_key, closed=False)

    def set_expected(self, code: str, admin_key: str, expected: int | None) -> None:
        """Set the room size the facilitator expects, or None (ValueError for
        a bad number; KeyError, PermissionError as :meth:`responses`)."""
        self._update(code, admin_key, expected=checks.check_expected(expected))

    def set_ranking_shown(self, code: str, admin_key: str, shown: bool) -> None:
        """Show or hide the dot-vote ranking on the presenter view (TypeError
        when ``shown`` is not a bool; KeyError, PermissionError as :meth:`responses`)."""
        if not isinstance(shown, bool):
            raise TypeError("shown must be True or False")
        self._update(code, admin_key, ranking_shown=shown)

    def set_counter_paused(self, code: str, admin_key: str, paused: bool) -> None:
        """Pause or resume the presenter view's live counter (as :meth:`set_ranking_shown`)."""
        if not isinstance(paused, bool):
            raise TypeError("paused must be True or False")
        self._update(code, admin_key, counter_paused=paused)

    def set_join_base(self, code: str, admin_key: str, base: str | None) -> None:
        """The address the phones reach the server by, for the join link on
        every view of the workshop; None: the address the browser uses.

        Raises
        ------
        WorkshopInputError
            (a ValueError)
            when ``base`` is not an http(s) address with a host (at most 300 characters).
        KeyError, PermissionError
            as :meth:`responses`.
        """
        self._update(code, admin_key, join_base=checks.check_base(base))

    def set_revealed(self, code: str, admin_key: str, revealed: bool) -> Reveal | None:
        """Show the results to the room (:meth:`reveal`, whose outcome is
        returned) or hide them (None; the snapshot is kept).

        Raises
        ------
        TypeError
            when ``revealed`` is not a bool; KeyError, PermissionError as :meth:`responses`.
        """
        if not isinstance(revealed, bool):
            raise TypeError("revealed must be True or False")
        if revealed:
            return self.reveal(code, admin_key)
        self._update(code, admin_key, revealed=False)
        return None

    def reveal(self, code: str, admin_key: str) -> Reveal:
        """"Ergebnisse freigeben": show the room a snapshot of the answers.

        A new snapshot is taken only under the rules of
        :mod:`learn_core.workshop.disclosure` (at least k new or changed
        answers since the last snapshot with figures, and 0 or at least k in
        every dimension); otherwise the room keeps the last one. Either way
        the results are shown.

        Returns
        -------
        Reveal
            what happened and why, for the facilitator.

        Raises
        ------
        KeyError, PermissionError
            as :meth:`responses`.
        """
        w, r = self._t.workshops, self._t.responses
        with self._tx(write=True) as conn:
            row = self._admin_row(conn, code, admin_key)
            k = int(row.min_group_size)
            stored = conn.execute(sa.select(r.c.id, r.c.group_name, r.c.answers, r.c.shown_group, r.c.shown_answers)
                                  .where(r.c.code == row.code).order_by(r.c.id)).all()  # fmt: skip
            rows = [(s.group_name, json.loads(s.answers), s.shown_group,
                     json.loads(s.shown_answers) if s.shown_answers is not None else None) for s in stored]  # fmt: skip
            changed, per_dim = count_changes(rows, self._instrument(row))
            baseline = row.snapshot is not None and row.snapshot_n >= k
            outcome = decide_reveal(changed, per_dim, k, n_now=len(rows), n_shown=int(row.snapshot_n),
                                    baseline=baseline)  # fmt: skip
            values: dict[str, object] = {"revealed": True}
            if outcome.released:
                snapshot = shuffled([[group, answers] for group, answers, _, _ in rows])
                values.update(snapshot=json.dumps(snapshot), snapshot_n=len(rows), snapshot_seq=row.snapshot_seq + 1)
                if len(rows) >= k:  # the baseline of the next reveal
                    conn.execute(sa.update(r).where(r.c.code == row.code)
                                 .values(shown_group=r.c.group_name, shown_answers=r.c.answers))  # fmt: skip
            conn.execute(sa.update(w).where(w.c.code == row.code).values(**values))
        return outcome

    def responses(self, code: str, admin_key: str) -> pd.DataFrame:
        """The answers in the shape of a survey file (for the facilitator).

        Returns
        -------
        pandas.DataFrame
            one row per participant, in the order of first submission: the
            column ``Abteilung`` (group or None) when the workshop has groups,
            then the items of the workshop's instrument version
            (:attr:`WorkshopInfo.instrument_version`) as ints or None. Passes
            through :func:`learn_core.reading.survey_from_frame` like a file.

        Raises
        ------
        UnknownWorkshopError
            (a KeyError) for an unknown code.
        WorkshopKeyError
            (a PermissionError) for a wrong admin key.
        """
        with self._tx() as conn:
            row = self._admin_row(conn, code, admin_key)
            return self._frame(row, self._records(conn, row.code))

    def revealed_responses(self, code: str) -> pd.DataFrame | None:
        """The snapshot of the last reveal, for anyone with the code, while
        the results are shown.

        Every phone and the projector score this same table with the
        workshop's k (:attr:`WorkshopInfo.min_group_size`), like an upload.

        Returns
        -------
        pandas.DataFrame or None
            shaped as :meth:`responses`, rows in random order; None while the
            results are hidden or before the first reveal.

        Raises
        ------
        KeyError
            for an unknown code.
        """
        with self._tx() as conn:
            row = self._row(conn, code)
        if not row.revealed or row.snapshot is None:
            return None
        return self._frame(row, [(g, a) for g, a in json.loads(row.snapshot)])

    def snapshot(self, code: str) -> tuple[int, pd.DataFrame] | None:
        """``(snapshot_seq, table)`` of the last reveal's snapshot, shown or
        hidden (pages show it only while :attr:`WorkshopInfo.revealed`); the
        table of a given number never changes, so it may be cached by it.
        None before the first reveal (KeyError for an unknown code)."""
        with self._tx() as conn:
            row = self._row(conn, code)
        if row.snapshot is None:
            return None
        return int(row.snapshot_seq), self._frame(row, [(g, a) for g, a in json.loads(row.snapshot)])

    def export(self, code: str, admin_key: str) -> bytes:
        """The answers as CSV for German Excel, safe to pass on.

        No department is named that fewer than k participants chose (and, if
        those together are 1 to k − 1, the smallest named one is left blank
        too: :func:`learn_core.workshop.disclosure.blank_groups`); rows in
        random order; no ids, no times.

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
        with self._tx() as conn:
            row = self._admin_row(conn, code, admin_key)
            records = self._records(conn, row.code)
        counts = Counter(g for g, _ in records if g is not None)
        blank = blank_groups(counts, sum(1 for g, _ in records if g is None), int(row.min_group_size))
        records = shuffled([(None if g in blank else g, a) for g, a in records])
        frame = self._frame(row, records)
        return frame.to_csv(sep=";", index=False, lineterminator="\r\n").encode("utf-8-sig")

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
                            bool(row.closed), bool(row.revealed), int(row.dots), int(row.min_group_size),
                            row.expected, int(row.dots_per_measure), row.instrument_version, n, int(row.snapshot_n),
                            int(row.snapshot_seq),
                            bool(row.ranking_shown), row.join_base, bool(row.counter_paused))  # fmt: skip

    def count(self, code: str) -> int:
        """Number of distinct participants who have submitted answers (KeyError for an unknown code)."""
        with self._tx() as conn:
            return self._count(conn, self._row(conn, code).code)

    def has_submitted(self, code: str, participant_id: str) -> bool:
        """Whether this participant has answers stored (KeyError for an unknown
        code, ValueError for a bad id). Their answers are never given back."""
        pid, r = checks.check_participant(participant_id), self._t.responses
        with self._tx() as conn:
            row = self._row(conn, code)
            stmt = sa.select(r.c.id).where(r.c.code == row.code, r.c.participant_id == pid)
            return conn.execute(stmt).first() is not None

    def submit(self, code: str, participant_id: str, answers: Mapping[str, int | None],
               group: str | None = None) -> None:  # fmt: skip
        """Store or replace one participant's answers, atomically.

        Parameters
        ----------
        participant_id
            opaque id of the participant (1–64 letters, digits, ``-``, ``_``);
            a new submission under it replaces the old.
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
            for an item the workshop's instrument version does not have, an
            answer that is not an integer 1–5 (a bool never is), no answer at
            all, a bad participant id or a group the workshop does not have.
            Nothing is stored.
        WorkshopClosedError
            when the workshop is closed.
        """
        pid = checks.check_participant(participant_id)
        with self._tx(write=True) as conn:
            row = self._open_row(conn, code)
            values = json.dumps(checks.check_answers(answers, self._instrument(row)))
            group_name = checks.check_group(group, tuple(json.loads(row.groups)))
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
            measure, up to the workshop's ``dots_per_measure``); at most the
            workshop's ``dots``; empty withdraws the vote.

        Raises
        ------
        KeyError
            for an unknown code.
        ValueError
            for too many dots (in all or on one measure), an unknown
            recommendation id or a bad participant id. Nothing is stored.
        WorkshopClosedError
            when the workshop is closed.
        """
        pid = checks.check_participant(participant_id)
        ids = checks.check_recommendations(recommendation_ids, self._valid())
        with self._tx(write=True) as conn:
            row = self._open_row(conn, code)
            if len(ids) > row.dots:
                raise WorkshopInputError(code="errors.workshop.too_many_dots",
                                         params={"most": int(row.dots), "given": len(ids)})
            most = max(Counter(ids).values(), default=0)
            if most > row.dots_per_measure:
                raise WorkshopInputError(code="errors.workshop.too_many_on_one",
                                         params={"most": int(row.dots_per_measure), "given": most})
            self._upsert(conn, self._t.votes,
                         dict(code=row.code, participant_id=pid, recommendation_ids=json.dumps(ids),
                              updated_at=datetime.now(UTC)),
                         ["recommendation_ids", "updated_at"])  # fmt: skip

    def vote_of(self, code: str, participant_id: str) -> list[str]:
        """One participant's own dots (the ids, as :meth:`vote` stored them;
        empty without a vote), so a reloaded phone shows its dots again."""
        pid, v = checks.check_participant(participant_id), self._t.votes
        with self._tx() as conn:
            row = self._row(conn, code)
            text = conn.execute(sa.select(v.c.recommendation_ids)
                                .where(v.c.code == row.code, v.c.participant_id == pid)).scalar()  # fmt: skip
        return json.loads(text) if text else []

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
