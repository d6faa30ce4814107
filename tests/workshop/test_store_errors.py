"""The workshop store's errors (learn_core/workshop/errors.py): each situation
raises its class with its code, keeps the builtin base callers rely on, reads
in English without German, and the pages catch these and nothing else."""

from __future__ import annotations

import sqlite3

import pytest
import sqlalchemy as sa

from learn_core.errors import WorkshopError, render_param
from learn_core.i18n import t
from learn_core.workshop import (
    StoreConflictError,
    StoreDatabaseError,
    StoreSchemaError,
    StoreSettingError,
    UnknownWorkshopError,
    WorkshopClosedError,
    WorkshopInputError,
    WorkshopKeyError,
    WorkshopStore,
)
from learn_core.workshop import room as live
from learn_core.workshop import store as ws
from learn_core.workshop.schema import make_engine

VALID = frozenset({"M-01", "F-02", "K-03", "L-04"})
#: Words that give a German sentence away (as tests/test_errors.py).
GERMAN = ("Die ", "Der ", " ist ", " und ", " nicht ", " gibt ", "ä", "ö", "ü", "ß", "„")


@pytest.fixture
def store(tmp_path):
    with WorkshopStore(data_dir=tmp_path, valid_ids=VALID) as s:
        yield s


@pytest.fixture
def made(store):
    return store.create_workshop("Klausur", ["Bauamt", "Kämmerei"], dots=3, dots_per_measure=2)


# each: what to call on (store, workshop), the class, its builtin base, the code and its params
CASES = {
    "unknown code": (lambda s, w: s.workshop("ZZZZZZ"), UnknownWorkshopError, KeyError,
                     "errors.workshop.unknown_code", {}),
    "no code at all": (lambda s, w: s.count("x"), UnknownWorkshopError, KeyError, "errors.workshop.unknown_code", {}),
    "wrong key": (lambda s, w: s.responses(w.code, "falsch"), WorkshopKeyError, PermissionError,
                  "errors.workshop.admin_key", {}),
    "empty title": (lambda s, w: s.create_workshop("  "), WorkshopInputError, ValueError,
                    "errors.workshop.title_length", {"most": 200}),
    "group twice": (lambda s, w: s.create_workshop("T", ["Bauamt", "bauamt"]), WorkshopInputError, ValueError,
                    "errors.workshop.group_twice", {"name": "bauamt"}),
    "k below 3": (lambda s, w: s.create_workshop("T", min_group_size=2), WorkshopInputError, ValueError,
                  "errors.workshop.k_too_small", {"floor": 3, "k": 2}),
    "version": (lambda s, w: s.create_workshop("T", instrument_version="3.0"), WorkshopInputError, ValueError,
                "errors.workshop.instrument_version", {"version": "3.0", "known": ["1.0", "2.0"]}),
    "no answer": (lambda s, w: s.submit(w.code, "p1", {}), WorkshopInputError, ValueError,
                  "errors.workshop.no_answer", {}),
    "answer 6": (lambda s, w: s.submit(w.code, "p1", {"M1": 6}), WorkshopInputError, ValueError,
                 "errors.workshop.answer_value", {"item": "M1", "low": 1, "high": 5, "value": "6"}),
    "unknown group": (lambda s, w: s.submit(w.code, "p1", {"M1": 3}, group="Bauhof"), WorkshopInputError,
                      ValueError, "errors.workshop.unknown_group", {"name": "Bauhof"}),
    "bad participant": (lambda s, w: s.vote(w.code, "p 1", []), WorkshopInputError, ValueError,
                        "errors.workshop.participant_id", {}),
    "four dots": (lambda s, w: s.vote(w.code, "p1", ["M-01", "F-02", "K-03", "L-04"]), WorkshopInputError,
                  ValueError, "errors.workshop.too_many_dots", {"most": 3, "given": 4}),
    "three on one": (lambda s, w: s.vote(w.code, "p1", ["M-01"] * 3), WorkshopInputError, ValueError,
                     "errors.workshop.too_many_on_one", {"most": 2, "given": 3}),
    "unknown measure": (lambda s, w: s.vote(w.code, "p1", ["X-99"]), WorkshopInputError, ValueError,
                        "errors.workshop.unknown_measure", {"measure": "X-99"}),
    "retention": (lambda s, w: s.purge_closed(0), WorkshopInputError, ValueError,
                  "errors.workshop.retention_days", {"days": "0"}),
    "address": (lambda s, w: s.set_join_base(w.code, w.admin_key, "learn.stadt.de"), WorkshopInputError,
                ValueError, "errors.workshop.address", {}),
}


@pytest.mark.parametrize("case", CASES)
def test_the_store_raises_its_class_with_the_code(store, made, case):
    call, cls, base, code, params = CASES[case]
    with pytest.raises(cls) as raised:
        call(store, made)
    exc = raised.value
    assert isinstance(exc, WorkshopError) and isinstance(exc, base)
    assert (exc.code, exc.params) == (code, params)
    assert str(exc) == t(code, "de", **{k: render_param(v, "de") for k, v in params.items()})
    english = exc.message("en")
    assert english == live.friendly_error(exc, "en") and not any(word in english for word in GERMAN), english


def test_a_closed_workshop_refuses_answers_and_votes(store, made):
    store.close_workshop(made.code, made.admin_key)
    for call in (lambda: store.submit(made.code, "p1", {"M1": 3}), lambda: store.vote(made.code, "p1", ["M-01"])):
        with pytest.raises(WorkshopClosedError) as raised:
            call()
        assert raised.value.code == "errors.workshop.closed" and isinstance(raised.value, PermissionError)
    assert raised.value.message("en") == "This workshop is closed and accepts no more answers or dots."


def test_sentences_name_what_was_given_in_both_languages(store):
    with pytest.raises(WorkshopInputError) as raised:
        store.create_workshop("T", ["Bauamt", "=SUMME(A1)"])
    assert str(raised.value) == "Der Gruppenname „=SUMME(A1)“ darf nicht mit =, +, - oder @ beginnen."
    assert raised.value.message("en") == "The group name “=SUMME(A1)” must not start with =, +, - or @."
    with pytest.raises(WorkshopInputError) as raised:
        store.create_workshop("T", expected=10_001)
    assert str(raised.value).endswith("von 1 bis 10.000 sein.")
    assert raised.value.message("en").endswith("from 1 to 10,000.")


def test_a_database_failure_is_a_store_database_error_with_the_drivers_cause(tmp_path, store, made):
    with sqlite3.connect(tmp_path / "workshops.sqlite3") as db:  # another program breaks the tables
        db.execute("DROP TABLE workshop_votes")
    with pytest.raises(StoreDatabaseError) as raised:
        store.votes(made.code)
    exc = raised.value
    assert exc.code == "errors.workshop.database" and not isinstance(exc, StoreConflictError)
    assert isinstance(exc.__cause__, sa.exc.OperationalError) and "no such table" in str(exc.__cause__)
    assert live.attempt(store.votes, made.code, lang="en") == (None, t("errors.workshop.database", "en"))
    assert store.count(made.code) == 0  # the other tables still answer


def test_a_taken_code_is_drawn_again(store, made, monkeypatch):
    drawn = iter([made.code, made.code, "ABC234"])
    monkeypatch.setattr(ws, "_new_code", lambda: next(drawn))
    assert store.create_workshop("Zweiter").code == "ABC234"  # the conflict reached the retry, twice
    assert store.workshop(made.code).title == "Klausur"  # the first workshop is untouched


def test_no_free_code_after_every_try(store, made, monkeypatch):
    monkeypatch.setattr(ws, "_new_code", lambda: made.code)
    with pytest.raises(StoreConflictError) as raised:
        store.create_workshop("Kein Platz")
    exc = raised.value
    assert exc.code == "errors.workshop.no_free_code"
    assert isinstance(exc.__cause__, StoreConflictError) and isinstance(exc.__cause__.__cause__, sa.exc.IntegrityError)
    assert exc.message("en") == "No free workshop code could be found – please try again."


@pytest.mark.parametrize(("url", "code", "params"), [
    ("mysql://u@h/db", "errors.workshop.unsupported_database", {"backend": "mysql"}),
    ("sqlite:///:memory:", "errors.workshop.in_memory", {}),
    ("sqlite://", "errors.workshop.in_memory", {}),
    ("kein Datenbank-URL", "errors.workshop.bad_url", {}),
])  # fmt: skip
def test_a_wrong_database_setting_is_a_store_setting_error(url, code, params):
    with pytest.raises(StoreSettingError) as raised:
        WorkshopStore(url)
    assert (raised.value.code, raised.value.params) == (code, params) and isinstance(raised.value, ValueError)
    assert live.friendly_error(raised.value, "en", opening=True) == t("workshop2.err_setup", "en")


def test_a_folder_that_cannot_be_made_is_a_database_error(tmp_path):
    (tmp_path / "datei").write_text("kein Ordner")
    with pytest.raises(StoreDatabaseError) as raised:  # a file stands where the folder should be (also for root)
        make_engine(None, tmp_path / "datei" / "daten")
    assert isinstance(raised.value.__cause__, OSError) and raised.value.code == "errors.workshop.database"


def test_an_unknown_schema_version_has_its_code(tmp_path):
    WorkshopStore(data_dir=tmp_path).close()
    with sqlite3.connect(tmp_path / "workshops.sqlite3") as db:
        db.execute("UPDATE workshop_schema SET version = 99")
    with pytest.raises(StoreSchemaError) as raised:
        WorkshopStore(data_dir=tmp_path)
    assert raised.value.code == "errors.workshop.schema" and raised.value.params["found"] == 99
    assert "schema version 99" in raised.value.message("en")


def test_attempt_gives_the_english_sentence_of_the_actual_problem(store, made):
    _, error = live.attempt(store.create_workshop, "T", ["Bauamt", "Bauamt"], lang="en")
    assert error == "The group “Bauamt” is given twice."
    assert live.attempt(store.workshop, "ZZZZZZ", lang="en") == (None, t("errors.workshop.unknown_code", "en"))


@pytest.mark.parametrize("bug", [KeyError("Abteilung"), ValueError("bad json"), OSError("disk")])
def test_a_builtin_error_of_a_bug_inside_a_store_call_is_not_swallowed(store, made, monkeypatch, bug):
    def broken(self, row, records):
        raise bug

    monkeypatch.setattr(WorkshopStore, "_frame", broken)
    with pytest.raises(type(bug)) as raised:
        live.attempt(store.responses, made.code, made.admin_key, lang="en")
    assert raised.value is bug


def test_the_room_helpers_raise_input_errors_with_codes():
    with pytest.raises(WorkshopInputError) as raised:
        live.add_dot({"M-01": 2, "F-02": 1}, "K-03", 3, 2)
    assert (raised.value.code, raised.value.params) == ("errors.workshop.all_dots_given", {"most": 3})
    with pytest.raises(WorkshopInputError) as raised:
        live.add_dot({"M-01": 2}, "M-01", 3, 2)
    assert raised.value.message("en") == "At most 2 dots fit on one measure."
    with pytest.raises(WorkshopInputError) as raised:
        live.vote_ids({"M-01": -1}, 3)
    assert raised.value.code == "errors.workshop.negative_dots"
    with pytest.raises(WorkshopInputError) as raised:
        live.join_url("ftp://host", "ABC234")
    assert raised.value.code == "errors.workshop.address"


def test_resume_with_a_wrong_key(store, made):
    with pytest.raises(WorkshopKeyError):
        live.resume(store, made.code, "falsch")
    assert live.attempt(live.resume, store, made.code, "falsch", lang="en") == (None, t("errors.workshop.admin_key", "en"))
