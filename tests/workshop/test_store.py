"""The live-workshop store (learn_core/workshop/store.py), on SQLite and PostgreSQL.

Every test that takes ``url`` runs against an SQLite file and, when the
environment variable LEARN_TEST_POSTGRES_URL names a server (``.ci/postgres
start`` sets it), against PostgreSQL in a throwaway schema.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import multiprocessing
import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from learn_core.analysis import analyse
from learn_core.instrument import default_instrument, instrument_version
from learn_core.reading import read_survey, survey_from_frame
from learn_core.workshop import (
    CODE_ALPHABET,
    StoreDatabaseError,
    StoreSchemaError,
    StoreUnavailableError,
    WorkshopClosedError,
    WorkshopStore,
)
from learn_core.workshop import store as ws
from tests.conftest import frame_of

ROOT = Path(__file__).resolve().parents[2]
#: new workshops ask the default instrument (2.0): M1, M7, M3, M8 (reversed), M4, M5, F1, …
INST = default_instrument()
ITEMS = INST.item_ids
V1 = instrument_version("1.0")
VALID = frozenset({"M-01", "F-02", "K-03", "L-04"})
GROUPS = ("Bauamt", "Kämmerei")
PG_ENV = "LEARN_TEST_POSTGRES_URL"
N_PROCESSES = 8
_BARRIER = None  # set in each worker process by _init_worker

BACKENDS = [
    "sqlite",
    pytest.param(
        "postgresql",
        marks=[
            pytest.mark.postgres,
            pytest.mark.skipif(
                not os.environ.get(PG_ENV),
                reason=f"no PostgreSQL server: set {PG_ENV} (e.g. eval \"$(.ci/postgres start)\")",
            ),
        ],
    ),
]


def answers_of(value: int, blank: tuple[str, ...] = (), instrument=INST) -> dict:
    """Every item of ``instrument`` answered so that every dimension scores
    (value − 1) × 25 (reverse items get 6 − value); items in ``blank`` are left out."""
    return {it.id: 6 - value if it.reverse else value for it in instrument.items if it.id not in blank}


@pytest.fixture(scope="module")
def pg_base_url():
    url = os.environ.get(PG_ENV)
    if not url:
        pytest.skip(f"no PostgreSQL server: set {PG_ENV}")
    return sa.make_url(url)


@contextmanager
def pg_schema(base: sa.URL) -> Iterator[str]:
    """The URL of a new, empty schema on the server; dropped afterwards."""
    schema = f"learn_test_{uuid.uuid4().hex[:12]}"
    engine = sa.create_engine(base)
    with engine.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    try:
        yield base.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(False)
    finally:
        with engine.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        engine.dispose()


@pytest.fixture(scope="module")
def pg_url(pg_base_url):
    with pg_schema(pg_base_url) as url:
        yield url


@pytest.fixture(scope="module", params=BACKENDS)
def url(request, tmp_path_factory):
    """A database of each backend for this module: an SQLite file, or a
    PostgreSQL schema. Tests keep apart by their own workshops' codes."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('store') / 'workshops.sqlite3'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture(params=BACKENDS)
def empty_url(request, tmp_path):
    """A new, empty database of each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'workshops.sqlite3'}"
        return
    with pg_schema(request.getfixturevalue("pg_base_url")) as url:
        yield url


@pytest.fixture(scope="module")
def store(url):
    with WorkshopStore(url, valid_ids=VALID) as s:
        yield s


@pytest.fixture
def grouped(store):
    return store.create_workshop("Workshop Bauamt & Kämmerei", GROUPS, dots=3)


# --------------------------------------------------------------------------- creating


def test_create_workshop_fields(store):
    w = store.create_workshop("  Klausur   Verwaltungsspitze ", ["Bauamt", " Kämmerei "], dots=2)
    assert len(w.code) == 6 and set(w.code) <= set(CODE_ALPHABET)
    assert (w.title, w.groups, w.dots, w.closed, w.revealed) == (
        "Klausur Verwaltungsspitze", ("Bauamt", "Kämmerei"), 2, False, False,
    )  # fmt: skip
    assert w.created_at.utcoffset().total_seconds() == 0
    assert w.admin_key not in repr(w)
    with pytest.raises(dataclasses.FrozenInstanceError):
        w.closed = True  # type: ignore[misc]
    info = store.workshop(w.code)
    assert (info.code, info.title, info.groups, info.dots, info.responses) == (w.code, w.title, w.groups, 2, 0)
    assert info.created_at == w.created_at
    assert not hasattr(info, "admin_key")
    assert store.create_workshop("Ohne Gruppen").groups == ()


def test_code_alphabet_has_no_ambiguous_characters():
    assert len(set(CODE_ALPHABET)) == len(CODE_ALPHABET) == 31
    assert not set(CODE_ALPHABET) & set("0O1IL") and CODE_ALPHABET == CODE_ALPHABET.upper()
    drawn = "".join(ws._new_code() for _ in range(3000))
    assert set(drawn) == set(CODE_ALPHABET)  # every character is used, no other


def test_codes_unique_and_admin_keys_strong(store):
    made = [store.create_workshop(f"W{i}") for i in range(40)]
    assert len({w.code for w in made}) == 40 and len({w.admin_key for w in made}) == 40
    for w in made:
        assert re.fullmatch(r"[A-Za-z0-9_-]{43,}", w.admin_key)
        assert len(base64.urlsafe_b64decode(w.admin_key + "=")) * 8 >= 128


def test_code_collision_draws_again(store, monkeypatch):
    first = store.create_workshop("Erster")
    fresh = next(c for c in iter(ws._new_code, None) if c != first.code)
    drawn = iter([first.code, first.code, fresh])
    monkeypatch.setattr(ws, "_new_code", lambda: next(drawn))
    assert store.create_workshop("Zweiter").code == fresh
    assert store.workshop(first.code).title == "Erster"


def test_only_a_hash_of_the_admin_key_is_stored(store, url):
    w = store.create_workshop("Geheim")
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        row = conn.execute(sa.text("SELECT * FROM workshops WHERE code = :c"), {"c": w.code}).one()
    engine.dispose()
    assert w.admin_key not in [str(v) for v in row]
    assert row.admin_hash == hashlib.sha256(w.admin_key.encode()).hexdigest()


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"title": ""}, "Titel"),
        ({"title": "   "}, "Titel"),
        ({"title": "x" * 201}, "Titel"),
        ({"title": None}, "Titel"),
        ({"groups": "Bauamt"}, "Liste"),
        ({"groups": ["Bauamt", "bauamt"]}, "doppelt"),
        ({"groups": ["Bauamt", " "]}, "Gruppenname"),
        ({"groups": ["=HYPERLINK(1)"]}, "beginnen"),
        ({"groups": [f"G{i}" for i in range(51)]}, "höchstens"),
        ({"dots": 0}, "Punkte"),
        ({"dots": 11}, "Punkte"),
        ({"dots": True}, "Punkte"),
        ({"dots": 2.0}, "Punkte"),
    ],
)
def test_create_workshop_rejects(store, kwargs, fragment):
    with pytest.raises(ValueError, match=fragment):
        store.create_workshop(**{"title": "Workshop", **kwargs})


# --------------------------------------------------------------------------- codes and keys


@pytest.mark.parametrize("typed", ["{c}", "{l}", " {a} {b} ", "{a}-{b}", "\t{l}\n"])
def test_code_lookup_ignores_case_and_spaces(store, grouped, typed):
    c = grouped.code
    text = typed.format(c=c, l=c.lower(), a=c[:3], b=c[3:].lower())
    assert store.workshop(text).code == c
    store.submit(text, "p1", {"M1": 3})
    assert store.count(text) == 1


@pytest.mark.parametrize("code", ["ZZZZZZ", "", "ABC", "0O1IL5", None, 123])
def test_unknown_code_raises_key_error(store, grouped, code):
    calls = [
        lambda: store.workshop(code),
        lambda: store.count(code),
        lambda: store.submit(code, "p1", {"M1": 3}),
        lambda: store.responses(code, grouped.admin_key),
        lambda: store.export(code, grouped.admin_key),
        lambda: store.check_admin(code, grouped.admin_key),
        lambda: store.close_workshop(code, grouped.admin_key),
        lambda: store.vote(code, "p1", ["M-01"]),
        lambda: store.votes(code),
    ]
    for call in calls:
        with pytest.raises(KeyError):
            call()


def test_wrong_admin_key_is_refused(store, grouped):
    other = store.create_workshop("Anderer")
    for key in ["falsch", "", None, other.admin_key, grouped.admin_key[:-1], grouped.admin_key + "x"]:
        assert store.check_admin(grouped.code, key) is False
        for call in (store.responses, store.export, store.close_workshop, store.reopen_workshop):
            with pytest.raises(PermissionError) as exc:
                call(grouped.code, key)
            assert not isinstance(exc.value, WorkshopClosedError)
        with pytest.raises(PermissionError):
            store.set_revealed(grouped.code, key, True)
    assert store.check_admin(grouped.code, grouped.admin_key) is True
    assert store.check_admin(grouped.code.lower(), grouped.admin_key) is True
    assert not store.workshop(grouped.code).closed


# --------------------------------------------------------------------------- answers


def test_submit_responses_shape_and_order(store, grouped):
    store.submit(grouped.code, "first", {"M1": 4, "F6": 2, "L8": None}, group="Kämmerei")
    store.submit(grouped.code, "second", {"K2": np.int64(5)})
    store.submit(grouped.code, "first", {"M1": 1}, group=" Bauamt ")  # replaces, keeps its place
    frame = store.responses(grouped.code, grouped.admin_key)
    assert list(frame.columns) == ["Abteilung", *ITEMS]
    assert frame["Abteilung"].tolist() == ["Bauamt", None]
    assert frame.iloc[0].tolist() == ["Bauamt", 1] + [None] * 23
    row = frame.iloc[1]
    assert row["K2"] == 5 and type(row["K2"]) is int
    assert row.drop("K2").isna().all()
    assert store.count(grouped.code) == 2 == store.workshop(grouped.code).responses


def test_resubmission_replaces(store, grouped):
    for value in (1, 2, 5):
        store.submit(grouped.code, "p1", answers_of(value), group=GROUPS[value % 2])
    frame = store.responses(grouped.code, grouped.admin_key)
    assert len(frame) == 1 and store.count(grouped.code) == 1
    assert frame.iloc[0].tolist() == [GROUPS[1], *answers_of(5).values()]


def test_workshop_without_groups(store):
    w = store.create_workshop("Ohne Gruppen")
    store.submit(w.code, "p1", {"M1": 2})
    with pytest.raises(ValueError, match="keine Gruppen"):
        store.submit(w.code, "p2", {"M1": 2}, group="Bauamt")
    frame = store.responses(w.code, w.admin_key)
    assert list(frame.columns) == list(ITEMS) and len(frame) == 1


def test_empty_workshop_gives_empty_table(store, grouped):
    frame = store.responses(grouped.code, grouped.admin_key)
    assert list(frame.columns) == ["Abteilung", *ITEMS] and frame.empty
    assert store.votes(grouped.code) == [] and store.count(grouped.code) == 0


@pytest.mark.parametrize(
    ("bad", "fragment"),
    [
        ({"M1": 7}, "M1"),
        ({"M1": 0}, "M1"),
        ({"M1": -1}, "M1"),
        ({"M1": 3.5}, "M1"),
        ({"M1": 3.0}, "M1"),
        ({"M1": "3"}, "M1"),
        ({"M1": "x"}, "M1"),
        ({"M1": True}, "M1"),
        ({"M1": False}, "M1"),
        ({"M1": np.bool_(True)}, "M1"),
        ({"M1": float("nan")}, "M1"),
        ({"M1": 4, "F7": 9}, "F7"),
        ({"X9": 3}, "X9"),
        ({"m1": 3}, "m1"),
        ({1: 3}, "1"),
        ({}, "mindestens"),
        ({"M1": None}, "mindestens"),
        ([("M1", 3)], "Zuordnung"),
    ],
)
def test_invalid_answers_store_nothing(store, grouped, bad, fragment):
    store.submit(grouped.code, "p1", {"M1": 4}, group="Bauamt")
    for pid in ("p1", "p2"):
        with pytest.raises(ValueError, match=fragment):
            store.submit(grouped.code, pid, bad, group="Kämmerei")
    frame = store.responses(grouped.code, grouped.admin_key)
    assert len(frame) == 1 and frame.iloc[0]["M1"] == 4 and frame.iloc[0]["Abteilung"] == "Bauamt"


@pytest.mark.parametrize("pid", ["", "a" * 65, "a b", "ä", "a/b", "a.b", None, 5])
def test_bad_participant_ids(store, grouped, pid):
    with pytest.raises(ValueError, match="Kennung"):
        store.submit(grouped.code, pid, {"M1": 3})
    with pytest.raises(ValueError, match="Kennung"):
        store.vote(grouped.code, pid, [])
    assert store.count(grouped.code) == 0


def test_good_participant_ids(store, grouped):
    for pid in ("a" * 64, "Zx-_09", "x"):
        store.submit(grouped.code, pid, {"M1": 3})
    assert store.count(grouped.code) == 3


@pytest.mark.parametrize("group", ["Ordnungsamt", "bauamt", "", 3])
def test_unknown_group_is_refused(store, grouped, group):
    with pytest.raises(ValueError, match="Gruppe"):
        store.submit(grouped.code, "p1", {"M1": 3}, group=group)
    assert store.count(grouped.code) == 0


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(st.sampled_from(ITEMS), st.one_of(st.none(), st.integers(1, 5)), min_size=1))
def test_answers_round_trip(store, grouped, answers):
    if all(v is None for v in answers.values()):
        return
    store.submit(grouped.code, "roundtrip", answers)
    row = store.responses(grouped.code, grouped.admin_key).iloc[0]
    assert [row[i] if row[i] is not None else None for i in ITEMS] == [answers.get(i) for i in ITEMS]


# --------------------------------------------------------------------------- facilitator


def test_close_reopen_and_reveal(store, grouped):
    code, key = grouped.code, grouped.admin_key
    store.submit(code, "p1", {"M1": 3})
    store.vote(code, "p1", ["M-01"])
    store.close_workshop(code, key)
    assert store.workshop(code).closed
    for call in (lambda: store.submit(code, "p2", {"M1": 3}), lambda: store.submit(code, "p1", {"M1": 5}),
                 lambda: store.vote(code, "p1", ["F-02"])):  # fmt: skip
        with pytest.raises(WorkshopClosedError, match="geschlossen"):
            call()
    assert issubclass(WorkshopClosedError, PermissionError)
    assert store.count(code) == 1 and store.responses(code, key).iloc[0]["M1"] == 3
    assert store.votes(code) == [("M-01", 1)]
    store.reopen_workshop(code, key)
    store.submit(code, "p2", {"M1": 3})
    assert store.count(code) == 2 and not store.workshop(code).closed
    store.set_revealed(code, key, True)
    assert store.workshop(code).revealed
    store.set_revealed(code, key, False)
    assert not store.workshop(code).revealed
    with pytest.raises(TypeError):
        store.set_revealed(code, key, "ja")


def test_revealed_responses_only_while_revealed(store, grouped):
    code, key = grouped.code, grouped.admin_key
    store.submit(code, "p1", answers_of(4), group="Bauamt")
    assert store.revealed_responses(code) is None  # hidden: nothing for participants
    store.set_revealed(code, key, True)
    from pandas.testing import assert_frame_equal

    assert_frame_equal(store.revealed_responses(code.lower()), store.responses(code, key))
    store.set_revealed(code, key, False)
    assert store.revealed_responses(code) is None
    with pytest.raises(KeyError):
        store.revealed_responses("ZZZZZZ")

def test_dot_voting(store, grouped):
    code = grouped.code
    store.vote(code, "p1", ["K-03", "K-03", "M-01"])
    store.vote(code, "p2", ["M-01"])
    store.vote(code, "p3", ("L-04",))
    assert store.votes(code) == [("K-03", 2), ("M-01", 2), ("L-04", 1)]
    store.vote(code, "p1", ["F-02"])  # replaces p1's dots
    assert store.votes(code) == [("F-02", 1), ("L-04", 1), ("M-01", 1)]
    store.vote(code, "p3", [])  # withdraws
    assert store.votes(code) == [("F-02", 1), ("M-01", 1)]


@pytest.mark.parametrize(
    ("ids", "fragment"),
    [
        (["M-01"] * 4, "höchstens 3"),
        (["M-01", "F-02", "K-03", "L-04"], "höchstens 3"),
        (["M-99"], "M-99"),
        (["M-01", None], "None"),
        ("M-01", "Liste"),
        (None, "Liste"),
    ],
)
def test_invalid_votes_store_nothing(store, grouped, ids, fragment):
    store.vote(grouped.code, "p1", ["L-04"])
    with pytest.raises(ValueError, match=fragment):
        store.vote(grouped.code, "p1", ids)
    assert store.votes(grouped.code) == [("L-04", 1)]


def test_votes_check_the_builtin_catalogue(url):
    from learn_core.recommendations import catalogue

    first = catalogue()[0].id
    with WorkshopStore(url) as s:
        w = s.create_workshop("Katalog", dots=1)
        s.vote(w.code, "p1", [first])
        with pytest.raises(ValueError):
            s.vote(w.code, "p1", ["keine-solche-massnahme"])
        assert s.votes(w.code) == [(first, 1)]


# --------------------------------------------------------------------------- analysis

# (group, value, blank items): every dimension of a person scores (value − 1) × 25
PEOPLE = [
    ("Bauamt", 5, ("F1", "F8", "F6")),  # 3 of 6 Führung items: no Führung score
    ("Bauamt", 4, ()),
    ("Bauamt", 4, ()),
    ("Kämmerei", 2, ()),
    ("Kämmerei", 3, ("L7", "L6")),  # 4 of 6: still a Lernerfolg score
    ("Kämmerei", 1, ()),
]


def _rounded(value):
    """Floats to 9 decimals, in nested dicts and lists (sums in another order differ in the last bits)."""
    if isinstance(value, float):
        return round(value, 9)
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    return value


def test_workshop_answers_score_like_a_file(store):
    grouped = store.create_workshop("Wie eine Datei", GROUPS, min_group_size=3)  # 3 a department: both named
    for i, (group, value, blank) in enumerate(PEOPLE):
        store.submit(grouped.code, f"p{i}", answers_of(value, blank), group=group)
    frame = store.responses(grouped.code, grouped.admin_key)
    result = analyse(survey_from_frame(frame), 3).result.to_json()

    # by hand: person scores 100, 75, 75 | 25, 50, 0 (Führung without the first)
    org = result["organisation"]["dimensions"]
    for key in ("motivation", "kompetenz", "lernerfolg"):
        assert org[key]["n"] == 6 and org[key]["score"] == pytest.approx(325 / 6)
    assert org["fuehrung"]["n"] == 5 and org["fuehrung"]["score"] == pytest.approx(225 / 5)  # the whole room: shown
    assert result["organisation"]["index"] == pytest.approx((3 * 325 / 6 + 45) / 4)
    assert org["motivation"]["favourable"] == pytest.approx(18 / 36 * 100)
    assert org["fuehrung"]["favourable"] == pytest.approx(15 / 33 * 100)  # 3 + 12 of 3 + 12 + 18
    bau, kae = result["groups"]["Bauamt"]["dimensions"], result["groups"]["Kämmerei"]["dimensions"]
    assert bau["motivation"]["score"] == pytest.approx(250 / 3)
    assert kae["motivation"]["score"] == 25 and kae["lernerfolg"]["score"] == 25
    # only two in the Bauamt have a Führung score (fewer than k = 3): hidden; and the
    # Kämmerei's too, or the organisation minus the Kämmerei would give the Bauamt's
    assert bau["fuehrung"]["hidden"] == "min_size" and bau["fuehrung"]["score"] is None
    assert kae["fuehrung"]["hidden"] == "complementary" and kae["fuehrung"]["score"] is None
    assert result["respondents"] == 6 and result["suppressed_groups"] == []

    # the same answers typed into a file give the same result
    rows = [{**answers_of(v, b), "Abteilung": g} for g, v, b in PEOPLE]
    assert analyse(survey_from_frame(frame_of(rows, "Abteilung", INST)), 3).result.to_json() == result
    from_csv = analyse(read_survey(store.export(grouped.code, grouped.admin_key), file_name="w.csv"), 3)
    assert _rounded({**from_csv.result.to_json(), "file": ""}) == _rounded(result)  # the export's rows are shuffled


def test_export_is_excel_friendly_csv(store):
    w = store.create_workshop("CSV", GROUPS, min_group_size=3)
    for i in range(3):
        store.submit(w.code, f"k{i}", {"M1": 4, "L6": 1}, group="Kämmerei")
        store.submit(w.code, f"n{i}", {"K2": 5})
    data = store.export(w.code, w.admin_key)
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data[3:].decode("utf-8").split("\r\n")
    assert lines[0] == ";".join(["Abteilung", *ITEMS]) and lines[-1] == ""
    # version 2.0's columns: M1 the 1st item, K2 the 13th, L6 the 20th of 24
    assert sorted(lines[1:-1]) == sorted(["Kämmerei;4" + ";" * 19 + "1" + ";" * 4] * 3 + [";" * 13 + "5" + ";" * 11] * 3)


# --------------------------------------------------------------------------- files and engines


def test_data_persists_across_stores(url):
    with WorkshopStore(url, valid_ids=VALID) as s:
        w = s.create_workshop("Dauerhaft", GROUPS)
        s.submit(w.code, "p1", {"M1": 2}, group="Bauamt")
    with WorkshopStore(url, valid_ids=VALID) as s:
        assert s.count(w.code) == 1 and s.check_admin(w.code, w.admin_key)


def test_data_dir_argument_env_and_default(tmp_path, monkeypatch):
    monkeypatch.setenv("LEARN_DATA_DIR", str(tmp_path / "env"))
    with WorkshopStore(data_dir=tmp_path / "arg" / "deep"):
        pass
    assert (tmp_path / "arg" / "deep" / "workshops.sqlite3").is_file()
    with WorkshopStore():
        pass
    assert (tmp_path / "env" / "workshops.sqlite3").is_file()
    monkeypatch.delenv("LEARN_DATA_DIR")
    monkeypatch.chdir(tmp_path)
    with WorkshopStore():
        pass
    assert (tmp_path / "data" / "workshops.sqlite3").is_file()


def test_sqlite_settings(tmp_path):
    with WorkshopStore(data_dir=tmp_path) as s, s._engine.connect() as conn:
        pragma = {p: conn.exec_driver_sql(f"PRAGMA {p}").scalar() for p in
                  ("journal_mode", "synchronous", "busy_timeout", "foreign_keys")}  # fmt: skip
    assert pragma == {"journal_mode": "wal", "synchronous": 2, "busy_timeout": 30000, "foreign_keys": 1}


def test_other_schema_version_is_refused(tmp_path):
    WorkshopStore(data_dir=tmp_path).close()
    with sqlite3.connect(tmp_path / "workshops.sqlite3") as db:
        db.execute("UPDATE workshop_schema SET version = 99")
    with pytest.raises(StoreSchemaError, match="99"):
        WorkshopStore(data_dir=tmp_path)


@pytest.mark.parametrize("bad", ["sqlite://", "sqlite:///:memory:", "mysql://u@h/db"])
def test_unsupported_urls(bad):
    with pytest.raises(ValueError):
        WorkshopStore(bad)


# --------------------------------------------------------------------------- processes


def _init_worker(barrier) -> None:
    global _BARRIER
    _BARRIER = barrier


def _submit_many(url: str, code: str, worker: int, n: int) -> int:
    """In a worker process: wait for all workers, then submit and vote ``n`` times."""
    with WorkshopStore(url, valid_ids=VALID) as s:
        s.count(code)  # connected before the start
        _BARRIER.wait(timeout=60)
        for i in range(n):
            pid = f"w{worker}-p{i}"
            s.submit(code, pid, answers_of(1 + (worker + i) % 5), group=GROUPS[i % 2])
            s.vote(code, pid, ["M-01", "K-03"])
    return worker


def _open_and_create(url: str, worker: int) -> str:
    _BARRIER.wait(timeout=60)
    with WorkshopStore(url, valid_ids=VALID) as s:
        return s.create_workshop(f"Prozess {worker}").code


@pytest.fixture(scope="module")
def pool():
    """Eight worker processes. Like 'spawn' workers they start clean, without
    the parent's engines or connections: they are forked from a fresh server
    process that has imported this module once, so starting them does not
    cost eight imports of pandas (Python 3.11's server reads the module path
    from PYTHONPATH only). Without the preload they import it themselves."""
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload([__name__])
    path = os.pathsep.join(p for p in sys.path if p)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PYTHONPATH", path)
        workers = ctx.Pool(N_PROCESSES, initializer=_init_worker, initargs=(ctx.Barrier(N_PROCESSES),))
    with workers:
        yield workers


def test_concurrent_first_open(empty_url, pool):
    codes = pool.starmap(_open_and_create, [(empty_url, w) for w in range(N_PROCESSES)], chunksize=1)
    with WorkshopStore(empty_url, valid_ids=VALID) as s:
        assert sorted(s.workshop(c).title for c in codes) == [f"Prozess {w}" for w in range(N_PROCESSES)]


def test_concurrent_submissions_lose_nothing(store, grouped, url, pool):
    n = 10
    done = pool.starmap(_submit_many, [(url, grouped.code, w, n) for w in range(N_PROCESSES)], chunksize=1)
    assert sorted(done) == list(range(N_PROCESSES))
    assert store.count(grouped.code) == N_PROCESSES * n
    frame = store.responses(grouped.code, grouped.admin_key)
    expected = sorted(1 + (w + i) % 5 for w in range(N_PROCESSES) for i in range(n))
    assert sorted(frame["M1"]) == expected
    assert store.votes(grouped.code) == [("K-03", 80), ("M-01", 80)]


def test_threads_share_one_store(store, grouped):
    def submit(n: int) -> None:
        store.submit(grouped.code, f"t{n}", answers_of(1 + n % 5), group=GROUPS[n % 2])

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(24)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert store.count(grouped.code) == 24


KILL_CHILD = """
import sys
from learn_core.workshop import WorkshopStore
store = WorkshopStore(sys.argv[1], valid_ids=())
i = 0
while True:
    store.submit(sys.argv[2], f"k{i}", {"M1": 1 + i % 5, "L6": 5 - i % 5})
    print(f"ACK k{i}", flush=True)
    i += 1
"""


def test_acknowledged_answers_survive_sigkill(store, grouped, url):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    child = subprocess.Popen([sys.executable, "-c", KILL_CHILD, url, grouped.code],
                             stdout=subprocess.PIPE, text=True, env=env)  # fmt: skip
    acked: list[str] = []
    deadline = time.monotonic() + 60
    try:
        while len(acked) < 3 and time.monotonic() < deadline:
            line = child.stdout.readline()
            if not line:
                break
            acked.append(line.split()[1])
        os.kill(child.pid, signal.SIGKILL)  # mid-way through the next submission
    finally:
        child.kill()
        rest = child.stdout.read()
        child.wait()
    acked += [line.split()[1] for line in rest.splitlines() if line.startswith("ACK")]
    assert len(acked) >= 3 and child.returncode == -signal.SIGKILL

    with WorkshopStore(url, valid_ids=VALID) as again:
        assert again.count(grouped.code) >= len(acked)
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        stored = set(conn.execute(sa.text("SELECT participant_id FROM workshop_responses WHERE code = :c"),
                                  {"c": grouped.code}).scalars())  # fmt: skip
        if engine.dialect.name == "sqlite":
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    engine.dispose()
    assert set(acked) <= stored


# --------------------------------------------------------------------------- privacy attacks (issue 11)


def _person_scores(frame) -> dict:
    """The room's dimension scores (k = 3 so that nothing else hides them)."""
    org = analyse(survey_from_frame(frame), 3).result.to_json()["organisation"]
    return {key: d["score"] for key, d in org["dimensions"].items()}


def test_a_late_answer_cannot_be_worked_out_from_two_reveals(store):
    """Results shown after 5 answers and again after 6 must not give the 6th
    person's score as 6·new − 5·old."""
    w = store.create_workshop("Zwei Freigaben", GROUPS)
    for i in range(5):
        store.submit(w.code, f"p{i}", answers_of(2 + i % 3), group=GROUPS[i % 2])
    store.set_revealed(w.code, w.admin_key, True)
    old = _person_scores(store.revealed_responses(w.code))
    store.set_revealed(w.code, w.admin_key, False)
    store.submit(w.code, "late", answers_of(5), group="Bauamt")  # the 6th person scores 100 everywhere
    store.set_revealed(w.code, w.admin_key, True)
    new_frame = store.revealed_responses(w.code)
    new = _person_scores(new_frame)
    worked_out = {key: 6 * new[key] - 5 * old[key] for key in old}
    assert worked_out != pytest.approx({key: 100.0 for key in old})
    assert len(new_frame) == 5 and new == old  # the room keeps the first snapshot


def test_the_export_names_no_department_below_k_and_keeps_no_order(store):
    """The only participant of a department must not be identified by the CSV."""
    w = store.create_workshop("Export", ("Bauamt", "Kämmerei", "Bürgerbüro"))
    store.submit(w.code, "first", answers_of(1), group="Bürgerbüro")  # alone in the Bürgerbüro
    for i in range(5):
        store.submit(w.code, f"p{i}", answers_of(3), group="Bauamt")
    for i in range(5):
        store.submit(w.code, f"q{i}", answers_of(4), group="Kämmerei")
    text = store.export(w.code, w.admin_key).decode("utf-8-sig")
    assert "Bürgerbüro" not in text
    rows = [line.split(";") for line in text.splitlines()[1:]]
    # the lone person's row is blank, and so is the smallest named department (Bauamt before
    # Kämmerei by name): otherwise the one blank row would be the Bürgerbüro's
    assert len(rows) == 11 and sorted(r[0] for r in rows) == [""] * 6 + ["Kämmerei"] * 5
    assert next(r for r in rows if r[1] == "1")[0] == ""
    # not in submission order: the lone first submitter is not always the first row
    places = {[line.split(";")[1] for line in store.export(w.code, w.admin_key).decode("utf-8-sig").splitlines()[1:]]
              .index("1") for _ in range(10)}  # fmt: skip
    assert places != {0}


@pytest.mark.parametrize(("late", "released"), [(4, False), (5, True)])  # k − 1 and k new answers
def test_a_new_snapshot_needs_k_new_answers(store, late, released):
    w = store.create_workshop("Nachzügler", min_group_size=5)
    for i in range(5):
        store.submit(w.code, f"p{i}", answers_of(2))
    first = store.reveal(w.code, w.admin_key)
    assert (first.status, first.n, store.workshop(w.code).snapshot_seq) == ("first", 5, 1)
    for i in range(late):
        store.submit(w.code, f"late{i}", answers_of(5))
    again = store.set_revealed(w.code, w.admin_key, True)
    assert again.released is released and again.changed == late
    assert again.status == ("new" if released else "too_few_new")
    shown = store.revealed_responses(w.code)
    assert len(shown) == (5 + late if released else 5) == again.n
    info = store.workshop(w.code)
    assert info.revealed and info.snapshot_n == len(shown) and info.snapshot_seq == (2 if released else 1)


def test_changed_answers_count_as_new_and_per_dimension(store):
    w = store.create_workshop("Änderungen", min_group_size=3)
    for i in range(3):
        store.submit(w.code, f"p{i}", answers_of(3))
    store.reveal(w.code, w.admin_key)
    assert store.reveal(w.code, w.admin_key).status == "unchanged"  # nothing new: the same snapshot
    for i in range(3):  # three people change a Motivation answer, one of them a Führung answer too
        store.submit(w.code, f"p{i}", {**answers_of(3), "M1": 5, **({"F1": 1} if i == 0 else {})})
    outcome = store.reveal(w.code, w.admin_key)
    assert (outcome.status, outcome.dimension, outcome.changed) == ("too_few_in_dimension", "fuehrung", 1)
    assert {store.revealed_responses(w.code)["M1"].iloc[i] for i in range(3)} == {3}
    for i in (1, 2):
        store.submit(w.code, f"p{i}", {**answers_of(3), "M1": 5, "F1": 1})
    outcome = store.reveal(w.code, w.admin_key)
    assert outcome.status == "new" and set(store.revealed_responses(w.code)["F1"]) == {1}


def test_a_snapshot_below_k_does_not_hold_back_the_first_result(store):
    w = store.create_workshop("Zu früh", min_group_size=5)
    for i in range(3):
        store.submit(w.code, f"p{i}", answers_of(2))
    assert store.reveal(w.code, w.admin_key).status == "first"  # 3 answers: the phones show no figure
    for i in range(3, 6):
        store.submit(w.code, f"p{i}", answers_of(4))
    outcome = store.reveal(w.code, w.admin_key)
    assert (outcome.status, outcome.n) == ("first", 6) and len(store.revealed_responses(w.code)) == 6


def test_hiding_keeps_the_snapshot_and_later_answers_stay_out(store):
    w = store.create_workshop("Verbergen", min_group_size=3)
    for i in range(3):
        store.submit(w.code, f"p{i}", answers_of(2))
    store.reveal(w.code, w.admin_key)
    assert store.set_revealed(w.code, w.admin_key, False) is None
    assert store.revealed_responses(w.code) is None
    store.submit(w.code, "p0", answers_of(5))  # changed while hidden: not in what the room sees
    store.reveal(w.code, w.admin_key)
    assert set(store.revealed_responses(w.code)["M1"]) == {2}


@pytest.mark.parametrize("k", [3, 8, 20])
def test_the_workshops_k_is_fixed_when_it_is_made(store, k):
    w = store.create_workshop("k", min_group_size=k, expected=12)
    assert (w.min_group_size, w.expected) == (k, 12)
    info = store.workshop(w.code)
    assert (info.min_group_size, info.expected) == (k, 12)
    assert store.create_workshop("Standard").min_group_size == 5


@pytest.mark.parametrize(("kwargs", "fragment"), [
    ({"min_group_size": 2}, "mindestens 3"), ({"min_group_size": 0}, "mindestens 3"),
    ({"min_group_size": 4.0}, "ganze Zahl"), ({"min_group_size": True}, "ganze Zahl"),
    ({"expected": 0}, "erwartete"), ({"expected": 10_001}, "erwartete"), ({"expected": "20"}, "erwartete"),
])  # fmt: skip
def test_k_below_the_floor_or_a_bad_room_size_is_refused(store, kwargs, fragment):
    with pytest.raises(ValueError, match=fragment):
        store.create_workshop("k", **kwargs)


def test_expected_room_size_can_be_set_later(store, grouped):
    store.set_expected(grouped.code, grouped.admin_key, 25)
    assert store.workshop(grouped.code).expected == 25
    store.set_expected(grouped.code, grouped.admin_key, None)
    assert store.workshop(grouped.code).expected is None
    with pytest.raises(PermissionError):
        store.set_expected(grouped.code, "falsch", 3)
    with pytest.raises(ValueError):
        store.set_expected(grouped.code, grouped.admin_key, -1)


def test_a_participant_is_known_again_without_their_answers(store, grouped):
    assert not store.has_submitted(grouped.code, "phone")
    store.submit(grouped.code, "phone", answers_of(4))
    assert store.has_submitted(grouped.code, "phone") and not store.has_submitted(grouped.code, "other")
    assert store.vote_of(grouped.code, "phone") == []
    store.vote(grouped.code, "phone", ["K-03", "K-03"])
    assert store.vote_of(grouped.code, "phone") == ["K-03", "K-03"]
    with pytest.raises(ValueError, match="Kennung"):
        store.has_submitted(grouped.code, "a b")
    with pytest.raises(KeyError):
        store.vote_of("ZZZZZZ", "phone")


# --------------------------------------------------------------------------- migration


def _v1_tables() -> sa.MetaData:
    """The tables as schema version 1 had them."""
    meta, ts, code = sa.MetaData(), sa.DateTime(timezone=True), sa.String(6)
    sa.Table("workshop_schema", meta, sa.Column("name", sa.String(40), primary_key=True),
             sa.Column("version", sa.Integer, nullable=False))
    sa.Table("workshops", meta, sa.Column("code", code, primary_key=True),
             sa.Column("title", sa.String(200), nullable=False), sa.Column("groups", sa.Text, nullable=False),
             sa.Column("dots", sa.Integer, nullable=False), sa.Column("admin_hash", sa.String(64), nullable=False),
             sa.Column("created_at", ts, nullable=False), sa.Column("closed", sa.Boolean, nullable=False),
             sa.Column("revealed", sa.Boolean, nullable=False))
    sa.Table("workshop_responses", meta, sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
             sa.Column("code", code, sa.ForeignKey("workshops.code", ondelete="CASCADE"), nullable=False),
             sa.Column("participant_id", sa.String(64), nullable=False), sa.Column("group_name", sa.String(80)),
             sa.Column("answers", sa.Text, nullable=False), sa.Column("submitted_at", ts, nullable=False),
             sa.Column("updated_at", ts, nullable=False),
             sa.UniqueConstraint("code", "participant_id", name="uq_workshop_response"))
    sa.Table("workshop_votes", meta,
             sa.Column("code", code, sa.ForeignKey("workshops.code", ondelete="CASCADE"), primary_key=True),
             sa.Column("participant_id", sa.String(64), primary_key=True),
             sa.Column("recommendation_ids", sa.Text, nullable=False), sa.Column("updated_at", ts, nullable=False))
    return meta  # fmt: skip


def test_a_version_1_database_is_migrated(empty_url):
    import json
    from datetime import UTC, datetime

    meta, now = _v1_tables(), datetime.now(UTC)
    engine = sa.create_engine(empty_url)
    with engine.begin() as conn:
        meta.create_all(conn)
        conn.execute(meta.tables["workshop_schema"].insert().values(name="workshop", version=1))
        conn.execute(meta.tables["workshops"].insert().values(
            code="ABC234", title="Alt", groups=json.dumps(["Bauamt"]), dots=3,
            admin_hash=hashlib.sha256(b"key").hexdigest(), created_at=now, closed=False, revealed=True))
        for i in range(6):
            conn.execute(meta.tables["workshop_responses"].insert().values(
                code="ABC234", participant_id=f"p{i}", group_name="Bauamt", answers=json.dumps(answers_of(1 + i % 5, instrument=V1)),
                submitted_at=now, updated_at=now))
        conn.execute(meta.tables["workshop_votes"].insert().values(
            code="ABC234", participant_id="p0", recommendation_ids=json.dumps(["M-01"]), updated_at=now))  # fmt: skip
    engine.dispose()

    with WorkshopStore(empty_url, valid_ids=VALID) as s:
        info = s.workshop("ABC234")
        assert (info.title, info.min_group_size, info.expected, info.responses) == ("Alt", 5, None, 6)
        assert (info.dots_per_measure, info.ranking_shown, info.join_base, info.counter_paused) == (3, False, None, False)
        assert info.instrument_version == "1.0"  # what every workshop before schema version 4 asked
        s.vote("ABC234", "p1", ["M-01"] * 3)  # as in version 1: all dots on one measure
        assert not info.revealed and s.revealed_responses("ABC234") is None  # no snapshot yet: hidden
        assert list(s.responses("ABC234", "key")["M1"]) == [1 + i % 5 for i in range(6)]
        assert s.votes("ABC234") == [("M-01", 4)]  # p0 from version 1, p1 just now
        assert s.reveal("ABC234", "key").status == "first" and len(s.revealed_responses("ABC234")) == 6
        s.submit("ABC234", "p9", answers_of(3, instrument=V1), group="Bauamt")
        made = s.create_workshop("Neu", min_group_size=7)
        assert (made.min_group_size, made.instrument_version) == (7, "2.0")
    engine = sa.create_engine(empty_url)
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT version FROM workshop_schema")).scalar() == ws.SCHEMA_VERSION == 4
    engine.dispose()
    with WorkshopStore(empty_url, valid_ids=VALID) as s:  # opening again migrates nothing more
        assert s.count("ABC234") == 7


def _schema_3_store(url: str) -> None:
    """A store as schema version 3 left it: the current tables less the column
    version 4 added, one revealed workshop of 1.0 answers with its snapshot."""
    import json
    from datetime import UTC, datetime

    t, now = ws.schema(), datetime.now(UTC)
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        t.meta.create_all(conn)
        conn.exec_driver_sql("ALTER TABLE workshops DROP COLUMN instrument_version")
        conn.execute(t.version.insert().values(name="workshop", version=3))
        people = [("Bauamt", answers_of(4, instrument=V1)) for _ in range(3)]
        conn.execute(sa.text(  # the columns of version 3, without the one version 4 added
            "INSERT INTO workshops (code, title, groups, dots, admin_hash, created_at, closed, revealed, "
            "min_group_size, snapshot, snapshot_n, snapshot_seq, dots_per_measure, ranking_shown, counter_paused) "
            "VALUES (:code, 'Alt', :groups, 3, :hash, :now, :no, :yes, 3, :snap, 3, 1, 3, :no, :no)"),
            {"code": "WAS345", "groups": json.dumps(["Bauamt"]), "hash": hashlib.sha256(b"key").hexdigest(),
             "now": now, "no": False, "yes": True, "snap": json.dumps([list(p) for p in people])})
        for i, (group, answers) in enumerate(people):
            conn.execute(t.responses.insert().values(
                code="WAS345", participant_id=f"p{i}", group_name=group, answers=json.dumps(answers),
                submitted_at=now, updated_at=now, shown_group=group, shown_answers=json.dumps(answers)))
    engine.dispose()


def test_a_version_3_database_is_migrated_and_keeps_scoring_its_workshops_with_1_0(empty_url):
    from learn_core.workshop import room as live

    _schema_3_store(empty_url)
    with WorkshopStore(empty_url, valid_ids=VALID) as s:
        info = s.workshop("WAS345")
        assert (info.title, info.revealed, info.snapshot_seq, info.instrument_version) == ("Alt", True, 1, "1.0")
        assert info.instrument == V1
        # answers, snapshot and export are of the workshop's own 24 statements, not the default's
        assert list(s.responses("WAS345", "key").columns) == ["Abteilung", *V1.item_ids]
        shown = s.revealed_responses("WAS345")
        assert list(shown.columns) == ["Abteilung", *V1.item_ids] and set(shown["M6"]) == {2}  # 6 − 4
        room = live.room_analysis(shown, 3, "Alt", info.instrument).result.to_json()
        assert {k: d["score"] for k, d in room["organisation"]["dimensions"].items()} == dict.fromkeys(
            ("motivation", "fuehrung", "kompetenz", "lernerfolg"), 75.0)  # (4 − 1) × 25, M6 reversed
        exported = read_survey(s.export("WAS345", "key"), file_name="alt.csv")
        assert exported.instrument.version == "1.0" and len(exported.report.matched_columns) == 24
        s.submit("WAS345", "p3", {"M6": 1, "L3": 5}, group="Bauamt")  # items of 1.0 only
        with pytest.raises(ValueError, match="M7"):  # a statement of 2.0 is not in this workshop
            s.submit("WAS345", "p4", {"M7": 4})
        assert s.reveal("WAS345", "key").status == "too_few_new"  # 1 new answer, k = 3
        assert s.create_workshop("Neu").instrument_version == "2.0"
        assert s.workshop(s.create_workshop("Vergleich", instrument_version="1.0").code).instrument_version == "1.0"
    engine = sa.create_engine(empty_url)
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT version FROM workshop_schema")).scalar() == 4
        assert set(conn.execute(sa.text("SELECT instrument_version FROM workshops")).scalars()) == {"1.0", "2.0"}
    engine.dispose()


@pytest.mark.parametrize("version", ["3.0", "1", "", None, 2.0])
def test_a_workshop_needs_a_built_in_instrument_version(store, version):
    with pytest.raises(ValueError, match="Version"):
        store.create_workshop("Falsche Version", instrument_version=version)


def test_a_workshop_of_version_1_asks_and_scores_its_own_statements(store):
    w = store.create_workshop("Alte Fassung", min_group_size=3, instrument_version="1.0")
    assert w.instrument_version == "1.0" and w.instrument == V1
    for i in range(3):
        store.submit(w.code, f"p{i}", answers_of(2, instrument=V1))
    with pytest.raises(ValueError, match="M8"):
        store.submit(w.code, "new", {"M8": 3})
    assert list(store.responses(w.code, w.admin_key).columns) == list(V1.item_ids)
    assert store.reveal(w.code, w.admin_key).status == "first"
    frame = store.snapshot(w.code)[1]
    assert list(frame.columns) == list(V1.item_ids) and set(frame["M6"]) == {4}  # reversed: 6 − 2
    survey = survey_from_frame(frame)  # the reader tells the version from the columns
    assert survey.instrument.version == "1.0" and not survey.report.missing_items


@pytest.mark.parametrize("version", [0, 5, 99])
def test_unknown_schema_versions_are_refused(tmp_path, version):
    WorkshopStore(data_dir=tmp_path).close()
    with sqlite3.connect(tmp_path / "workshops.sqlite3") as db:
        db.execute("UPDATE workshop_schema SET version = ?", (version,))
    with pytest.raises(StoreSchemaError, match=f"Version {version}"):
        WorkshopStore(data_dir=tmp_path)


# --------------------------------------------------------------------------- store faults (issue 12)


def _sqlite_files(folder: Path) -> list[Path]:
    return [folder / f"workshops.sqlite3{suffix}" for suffix in ("", "-wal", "-shm")]


def test_a_deleted_database_file_refuses_answers_and_says_so_in_the_log(tmp_path, caplog):
    with WorkshopStore(data_dir=tmp_path, valid_ids=VALID) as s:
        w = s.create_workshop("Gelöscht")
        s.submit(w.code, "p1", answers_of(3))
        for path in _sqlite_files(tmp_path):
            path.unlink(missing_ok=True)
        caplog.set_level("WARNING", logger="learn_core.workshop.store")
        for call in (lambda: s.submit(w.code, "p2", answers_of(4)), lambda: s.vote(w.code, "p1", ["M-01"]),
                     lambda: s.count(w.code)):  # fmt: skip
            with pytest.raises(StoreUnavailableError, match="gelöscht oder ersetzt"):
                call()
        assert any("deleted or replaced" in r.getMessage() for r in caplog.records if r.levelname == "ERROR")
        assert all(w.code not in r.getMessage() and "p2" not in r.getMessage() for r in caplog.records)
        assert not (tmp_path / "workshops.sqlite3").exists()  # nothing was written to a new file either


def test_a_replaced_database_file_refuses_answers(tmp_path):
    with WorkshopStore(data_dir=tmp_path, valid_ids=VALID) as s:
        w = s.create_workshop("Ersetzt")
        s.submit(w.code, "p1", answers_of(3))
        db = tmp_path / "workshops.sqlite3"
        copy = tmp_path / "copy.sqlite3"
        with sqlite3.connect(db) as source, sqlite3.connect(copy) as target:
            source.backup(target)
        os.replace(copy, db)  # the same content under the same name, but another file
        with pytest.raises(StoreUnavailableError):
            s.submit(w.code, "p2", answers_of(4))
    with WorkshopStore(data_dir=tmp_path, valid_ids=VALID) as again:  # a restart opens the new file
        assert again.count(w.code) == 1


def test_a_file_deleted_during_the_write_is_not_acknowledged(tmp_path, monkeypatch):
    """The check after the commit: the answer went into a file no longer on disk."""
    with WorkshopStore(data_dir=tmp_path, valid_ids=VALID) as s:
        w = s.create_workshop("Während")
        checked = s._check_file
        calls = []

        def delete_after_first_check() -> None:
            checked()
            calls.append(1)
            if len(calls) == 1:  # after the check before the write: delete the file
                for path in _sqlite_files(tmp_path):
                    path.unlink(missing_ok=True)

        monkeypatch.setattr(s, "_check_file", delete_after_first_check)
        with pytest.raises(StoreUnavailableError):
            s.submit(w.code, "p1", answers_of(3))
        assert len(calls) == 1  # the check before the write passed; the one after the commit refused


def test_a_database_that_cannot_be_written_is_refused_and_logged(tmp_path, caplog):
    with WorkshopStore(data_dir=tmp_path, valid_ids=VALID) as s:
        w = s.create_workshop("Voll")

        def read_only(dbapi_connection, _record) -> None:  # as a read-only disk: SQLite refuses the write
            dbapi_connection.execute("PRAGMA query_only = ON")

        s._engine.dispose()
        sa.event.listen(s._engine, "connect", read_only)
        caplog.set_level("WARNING", logger="learn_core.workshop.store")
        with pytest.raises(StoreDatabaseError) as refused:
            s.submit(w.code, "secret-participant", answers_of(2))
        assert isinstance(refused.value.__cause__, sa.exc.OperationalError)  # the driver's error is kept as the cause
        s._engine.dispose()
        sa.event.remove(s._engine, "connect", read_only)
        assert s.count(w.code) == 0  # nothing acknowledged, nothing stored
        messages = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
        assert any("refused a write" in m and "readonly" in m for m in messages)
        assert all("secret-participant" not in m and '"M1"' not in m for m in messages)  # no personal data


# --------------------------------------------------------------------------- dot-vote rule, room settings (issue 22)


@pytest.mark.parametrize(("per_measure", "ids", "ok"), [
    (1, ["M-01", "F-02", "K-03"], True), (1, ["M-01", "M-01"], False),
    (2, ["M-01", "M-01", "K-03"], True), (2, ["M-01"] * 3, False), (3, ["M-01"] * 3, True),
])  # fmt: skip
def test_dots_per_measure(store, per_measure, ids, ok):
    w = store.create_workshop("Regel", dots=3, dots_per_measure=per_measure)
    assert store.workshop(w.code).dots_per_measure == per_measure == w.dots_per_measure
    if ok:
        store.vote(w.code, "p1", ids)
        assert sum(n for _, n in store.votes(w.code)) == len(ids)
    else:
        with pytest.raises(ValueError, match="eine Maßnahme"):
            store.vote(w.code, "p1", ids)
        assert store.votes(w.code) == []


@pytest.mark.parametrize("per_measure", [0, 4, True, 1.0])
def test_bad_dots_per_measure(store, per_measure):
    with pytest.raises(ValueError, match="je Maßnahme"):
        store.create_workshop("Regel", dots=3, dots_per_measure=per_measure)


def test_room_settings(store, grouped):
    code, key = grouped.code, grouped.admin_key
    info = store.workshop(code)
    assert (info.ranking_shown, info.join_base, info.counter_paused, info.dots_per_measure) == (False, None, False, 3)
    store.set_ranking_shown(code, key, True)
    store.set_counter_paused(code, key, True)
    store.set_join_base(code, key, " https://learn.stadt.de/dashboard/ ")
    info = store.workshop(code)
    assert (info.ranking_shown, info.join_base, info.counter_paused) == (True, "https://learn.stadt.de/dashboard", True)
    store.set_join_base(code, key, None)
    assert store.workshop(code).join_base is None
    for bad in ("learn.stadt.de", "javascript:alert(1)", "https://x.de/?join=1", "https://" + "x" * 300 + ".de"):
        with pytest.raises(ValueError, match="http"):
            store.set_join_base(code, key, bad)
    with pytest.raises(TypeError):
        store.set_ranking_shown(code, key, "ja")
    with pytest.raises(PermissionError):
        store.set_counter_paused(code, "falsch", False)
