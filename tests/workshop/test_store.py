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
from learn_core.instrument import default_instrument
from learn_core.reading import read_survey, survey_from_frame
from learn_core.workshop import (
    CODE_ALPHABET,
    StoreSchemaError,
    WorkshopClosedError,
    WorkshopStore,
)
from learn_core.workshop import store as ws
from tests.conftest import dim_answers, frame_of

ROOT = Path(__file__).resolve().parents[2]
ITEMS = default_instrument().item_ids
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


def answers_of(value: int, blank: tuple[str, ...] = ()) -> dict:
    """Every item answered so that every dimension scores (value − 1) × 25
    (reverse items get 6 − value); items in ``blank`` are left out."""
    out: dict = {}
    for p in "MFKL":
        out.update(dim_answers(p, [value] * 5 + [6 - value]))
    return {k: v for k, v in out.items() if k not in blank}


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
    store.submit(grouped.code, "first", {"M1": 4, "F6": 2, "L3": None}, group="Kämmerei")
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
        ({"M1": 4, "F2": 9}, "F2"),
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
    ("Bauamt", 5, ("F1", "F2", "F3")),  # 3 of 6 Führung items: no Führung score
    ("Bauamt", 4, ()),
    ("Bauamt", 4, ()),
    ("Kämmerei", 2, ()),
    ("Kämmerei", 3, ("L1", "L2")),  # 4 of 6: still a Lernerfolg score
    ("Kämmerei", 1, ()),
]


def test_workshop_answers_score_like_a_file(store, grouped):
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
    assert analyse(survey_from_frame(frame_of(rows, "Abteilung")), 3).result.to_json() == result
    from_csv = analyse(read_survey(store.export(grouped.code, grouped.admin_key), file_name="w.csv"), 3)
    assert {**from_csv.result.to_json(), "file": ""} == result


def test_export_is_excel_friendly_csv(store, grouped):
    store.submit(grouped.code, "p1", {"M1": 4, "L6": 1}, group="Kämmerei")
    store.submit(grouped.code, "p2", {"K2": 5})
    data = store.export(grouped.code, grouped.admin_key)
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data[3:].decode("utf-8").split("\r\n")
    assert lines[0] == ";".join(["Abteilung", *ITEMS])
    assert lines[1] == "Kämmerei;4" + ";" * 23 + "1"
    assert lines[2] == ";" * 14 + "5" + ";" * 10 and lines[3] == ""


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
