"""The live-workshop pages' logic (learn_core/workshop/room.py): join links, QR
codes, answers, the dot budget, the room's results with privacy, errors."""

from __future__ import annotations

import io
import re

import pandas as pd
import pytest
import sqlalchemy as sa
from PIL import Image

from learn_core.i18n import t
from learn_core.instrument import instrument_version
from learn_core.recommendations import catalogue
from learn_core.settings import SettingError
from learn_core.workshop import (
    StoreDatabaseError,
    StoreSchemaError,
    StoreSettingError,
    StoreUnavailableError,
    UnknownWorkshopError,
    WorkshopClosedError,
    WorkshopInputError,
    WorkshopKeyError,
    WorkshopStore,
)
from learn_core.workshop import room as live
from learn_core.workshop.guard import JoinGuard
from tests.conftest import frame_of, full_row

INST = instrument_version("1.0")  # the rows of tests.conftest are of version 1.0


@pytest.mark.parametrize(
    ("page_url", "page_path", "expected"),
    [
        ("http://localhost:8501/live-workshop", "live-workshop", "http://localhost:8501"),
        ("https://learn.stadt.de/dashboard/live-workshop/", "live-workshop", "https://learn.stadt.de/dashboard"),
        ("https://learn.stadt.de/", "live-workshop", "https://learn.stadt.de"),
        ("https://learn.stadt.de/x?join=A#f", "", "https://learn.stadt.de/x"),
        ("http://[::1]:8501/live-workshop", "live-workshop", "http://[::1]:8501"),
        (None, "live-workshop", ""),
        ("", "", ""),
        ("ftp://host/live-workshop", "live-workshop", ""),
        ("learn.stadt.de", "", ""),
    ],
)
def test_base_url(page_url, page_path, expected):
    assert live.base_url(page_url, page_path) == expected


@pytest.mark.parametrize(
    ("base", "expected"),
    [
        ("http://localhost:8501", "http://localhost:8501/?join=ABC234"),
        (" https://learn.stadt.de/dashboard/ ", "https://learn.stadt.de/dashboard/?join=ABC234"),
        ("http://192.168.1.20:8501", "http://192.168.1.20:8501/?join=ABC234"),
    ],
)
def test_join_url(base, expected):
    assert live.join_url(base, "ABC234") == expected


@pytest.mark.parametrize("base", ["", "learn.stadt.de", "javascript:alert(1)", "http://", "file:///etc", None])
def test_join_url_refuses_what_is_no_web_address(base):
    with pytest.raises(ValueError, match="http"):
        live.join_url(base, "ABC234")


def test_qr_codes_are_large_and_stable():
    url = "https://learn.stadt.de/?join=ABC234"
    png = live.qr_png(url)
    image = Image.open(io.BytesIO(png))
    assert image.size[0] == image.size[1] >= 400  # readable from the back of a room
    svg = live.qr_svg(url).decode("utf-8")
    assert "<svg" in svg and "LEARN-Workshop" in svg
    assert live.qr_png(url) == png  # same link, same picture


def test_participant_ids_are_random_and_valid_for_the_store():
    ids = {live.new_participant_id() for _ in range(200)}
    assert len(ids) == 200
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{22}", i) for i in ids)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Bauamt\n  Kämmerei \n\n", ["Bauamt", "Kämmerei"]),
        ("Bürger-, Ordnungsamt", ["Bürger-, Ordnungsamt"]),  # commas stay in a name
        ("", []),
        (None, []),
    ],
)
def test_parse_groups(text, expected):
    assert live.parse_groups(text) == expected


def test_answers_options_and_cleaning():
    assert live.answer_options(INST) == [1, 2, 3, 4, 5, live.NO_ANSWER]
    cleaned = live.clean_answers({"M1": 4, "M2": live.NO_ANSWER, "M3": None, "XX": 3}, INST)
    assert list(cleaned) == list(INST.item_ids)
    assert (cleaned["M1"], cleaned["M2"], cleaned["M3"], cleaned["L6"]) == (4, None, None, None)
    assert live.answered({"M1": 4, "M2": live.NO_ANSWER, "M3": None}) == 1


@pytest.mark.parametrize(
    ("allocation", "budget", "expected"),
    [
        ({}, 3, []),
        ({"K-03": 2, "M-01": 1}, 3, ["K-03", "K-03", "M-01"]),  # at the budget
        ({"M-01": 0, "F-02": None, "K-03": 1}, 3, ["K-03"]),
        ({"M-01": 3}, 3, ["M-01", "M-01", "M-01"]),
    ],
)
def test_vote_ids_within_budget(allocation, budget, expected):
    assert live.dots_used(allocation) == len(expected)
    assert live.vote_ids(allocation, budget) == expected


@pytest.mark.parametrize(("allocation", "budget"), [({"K-03": 2, "M-01": 2}, 3), ({"M-01": 1}, 0), ({"M-01": -1}, 3)])
def test_vote_ids_over_budget_or_negative(allocation, budget):
    with pytest.raises(ValueError, match="Punkte"):
        live.vote_ids(allocation, budget)


@pytest.mark.parametrize(("n", "reported"), [(4, False), (5, True)])  # k − 1 and k
def test_room_results_keep_the_minimum_group_size(n, reported):
    rows = [full_row(2 + i % 3, group="Bauamt" if i < n - 1 else "Kämmerei") for i in range(n)]
    analysis = live.room_analysis(frame_of(rows, "Abteilung"), 5, "Raum", INST)
    assert (analysis.organisation is not None) is reported
    assert analysis.groups == {}  # no department reaches k here: none gets a figure
    assert analysis.result.to_json()["file"] == "Raum" and analysis.result.to_json()["group_column"] == "Abteilung"


def test_frame_digest_follows_the_answers():
    a = frame_of([full_row(3)])
    assert live.frame_digest(a) == live.frame_digest(a.copy())
    assert live.frame_digest(a) != live.frame_digest(frame_of([full_row(4)]))


def test_ranking_and_top_measures():
    recs = catalogue()
    votes = [(recs[2].id, 5), (recs[0].id, 3), ("GONE-99", 2), (recs[1].id, 1)]
    table = live.ranking(votes, "en", INST)
    assert list(table.columns) == ["Rank", "Measure", "Dimension", "Dots"]
    assert list(table["Measure"]) == [recs[2].title("en"), recs[0].title("en"), recs[1].title("en")]
    assert list(table["Rank"]) == [1, 2, 3] and list(table["Dots"]) == [5, 3, 1]
    assert live.ranking([], "de").empty
    assert [r.id for r in live.top_measures(votes, 2)] == [recs[2].id, recs[0].id]
    assert live.top_measures(votes, 0) == []


@pytest.mark.parametrize(
    ("exc", "key"),
    [
        (WorkshopClosedError(code="errors.workshop.closed"), "errors.workshop.closed"),
        (WorkshopKeyError(code="errors.workshop.admin_key"), "errors.workshop.admin_key"),
        (UnknownWorkshopError(code="errors.workshop.unknown_code"), "errors.workshop.unknown_code"),
        (StoreDatabaseError(code="errors.workshop.database"), "errors.workshop.database"),
        (StoreUnavailableError(code="errors.workshop.lost"), "errors.workshop.lost"),
        (WorkshopInputError(code="errors.workshop.no_answer"), "errors.workshop.no_answer"),
    ],
)
@pytest.mark.parametrize("lang", ["de", "en"])
def test_friendly_error_is_the_errors_own_sentence(exc, key, lang):
    assert live.friendly_error(exc, lang) == t(key, lang)
    assert isinstance(exc, live.STORE_ERRORS)


@pytest.mark.parametrize("exc", [KeyError("ABC"), ValueError("kaputt"), PermissionError("x"), OSError("read-only"),
                                 sa.exc.OperationalError("SELECT 1", {}, Exception("refused"))])  # fmt: skip
def test_builtin_and_driver_errors_are_not_store_errors(exc):
    assert not isinstance(exc, live.STORE_ERRORS)  # the store wraps what it means; the rest is a bug


@pytest.mark.parametrize("exc", [
    StoreSettingError(code="errors.workshop.unsupported_database", params={"backend": "mysql"}),
    StoreSchemaError(code="errors.workshop.schema", params={"found": 2, "newest": 1}),
    SettingError("LEARN_DATA_DIR ist leer."),
])  # fmt: skip
def test_a_wrong_setting_when_opening_the_store(exc):
    assert live.friendly_error(exc, "en", opening=True) == t("workshop2.err_setup", "en")
    assert "LEARN_DATABASE_URL" in live.friendly_error(exc, "de", opening=True)


def test_a_database_fault_when_opening_the_store_is_not_a_setting():
    exc = StoreDatabaseError(code="errors.workshop.database")
    assert live.friendly_error(exc, "en", opening=True) == t("errors.workshop.database", "en")


def test_friendly_error_gives_the_input_problem_in_the_pages_language():
    exc = WorkshopInputError(code="errors.workshop.group_twice", params={"name": "Bauamt"})
    assert live.friendly_error(exc, "de") == str(exc) == "Die Gruppe „Bauamt“ ist doppelt angegeben."
    assert live.friendly_error(exc, "en") == "The group “Bauamt” is given twice."


def test_attempt():
    assert live.attempt(lambda a, b=0: a + b, 1, b=2) == (3, None)
    with pytest.raises(ZeroDivisionError):  # a programming error is not hidden
        live.attempt(lambda: 1 / 0)
    with pytest.raises(KeyError):  # nor a builtin KeyError: only the store's UnknownWorkshopError is a sentence
        live.attempt({}.__getitem__, "x", lang="en")


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, (None, "data")),
        ({"LEARN_DATA_DIR": "/srv/learn"}, (None, "/srv/learn")),
        ({"LEARN_DATABASE_URL": "postgresql://u@db/learn", "LEARN_DATA_DIR": ""}, ("postgresql://u@db/learn", "data")),
    ],
)
def test_store_settings(env, expected):
    assert live.store_settings(env) == expected


def test_store_settings_read_the_environment(monkeypatch):
    monkeypatch.setenv("LEARN_DATABASE_URL", "sqlite:////tmp/x.sqlite3")
    monkeypatch.delenv("LEARN_DATA_DIR", raising=False)
    assert live.store_settings() == ("sqlite:////tmp/x.sqlite3", "data")


def test_room_analysis_of_an_empty_room():
    empty = pd.DataFrame(columns=["Abteilung", *INST.item_ids], dtype=object)
    assert live.room_analysis(empty, 5).organisation is None


def test_resume_gives_the_code_only_with_the_right_key(tmp_path):
    with WorkshopStore(data_dir=tmp_path) as store:
        made = store.create_workshop("Klausur")
        assert live.resume(store, f" {made.code.lower()[:3]}-{made.code[3:]} ", made.admin_key) == made.code
        with pytest.raises(PermissionError):
            live.resume(store, made.code, "falsch")
        with pytest.raises(KeyError):
            live.resume(store, "ZZZZZZ", made.admin_key)


# --------------------------------------------------------------------------- identity, reveals (issue 11)


def test_a_participant_cookie_is_read_back_per_workshop():
    pid = live.new_participant_id()
    cookies = {live.participant_cookie("ABC234"): pid, "other": "x"}
    assert live.known_participant(cookies, "ABC234") == pid
    assert live.known_participant(cookies, "XYZ789") is None  # another workshop: another participant
    assert live.known_participant({}, "ABC234") is None and live.known_participant(None, "ABC234") is None


@pytest.mark.parametrize("value", ["", "short", "a" * 23, "<script>alert(1)</scr", "a;b=c" + "x" * 17, "ä" * 22])
def test_a_cookie_this_page_did_not_make_is_ignored(value):
    assert live.known_participant({live.participant_cookie("ABC234"): value}, "ABC234") is None


def test_identity_script_sets_only_the_id():
    pid = live.new_participant_id()
    script = live.identity_script("ABC234", pid, "window.x = 1;")
    assert script.startswith("<script>") and script.endswith("window.x = 1;</script>")
    assert f"learn_workshop_ABC234={pid}; path=/; max-age={live.COOKIE_MAX_AGE}; SameSite=Strict" in script
    assert "Secure" in script  # over HTTPS
    for code, value in (("ABC234", "x'; alert(1); '" + "a" * 8), ("AB'C", pid), ("", pid)):
        with pytest.raises(ValueError):
            live.identity_script(code, value)


@pytest.mark.parametrize(
    ("n", "expected", "lang", "text"),
    [
        (3, None, "de", "3 Teilnehmende haben geantwortet."),
        (3, 20, "de", "3 von 20 erwarteten Teilnehmenden haben geantwortet."),
        (21, 20, "de", "21 Teilnehmende haben geantwortet – mehr als die 20 erwarteten."),
        (1200, 1500, "en", "1,200 of 1,500 expected participants have answered."),
    ],
)
def test_participants_line(n, expected, lang, text):
    assert live.participants_line(n, expected, lang).startswith(text)


@pytest.mark.parametrize(
    ("outcome", "fragments"),
    [
        (live.Reveal("first", 3, 3, 5), ["3 Antworten", "ab 5"]),
        (live.Reveal("new", 11, 6, 5), ["11 Antworten", "davon 6 neu"]),
        (live.Reveal("unchanged", 5, 0, 5), ["keine neuen Antworten", "aus 5 Antworten"]),
        (live.Reveal("too_few_new", 5, 1, 5), ["aus 5 Antworten", "erst 1 Antworten", "ab 5", "Unterschied"]),
        (live.Reveal("too_few_in_dimension", 5, 2, 5, "fuehrung"), ["„Führung“", "erst 2", "mindestens 5"]),
    ],
)
def test_reveal_message(outcome, fragments):
    text = live.reveal_message(outcome, "de", INST)
    assert all(f in text for f in fragments), text
    assert "{" not in live.reveal_message(outcome, "en", INST)


def test_allocation_of_a_stored_vote():
    assert live.allocation_of(["K-03", "M-01", "K-03"]) == {"K-03": 2, "M-01": 1}
    assert live.vote_ids(live.allocation_of(["K-03", "M-01", "K-03"]), 3) == ["K-03", "K-03", "M-01"]
    assert live.allocation_of([]) == {}


# --------------------------------------------------------------------------- joining with a rate limit (issue 12)


class _Clock:
    now = 0.0

    def __call__(self) -> float:
        return self.now


def test_wrong_codes_are_rate_limited_and_logged(tmp_path, caplog):
    clock = _Clock()
    guard = JoinGuard(free=3, first_wait=4, clock=clock)
    caplog.set_level("WARNING", logger="learn_core.workshop.room")
    with WorkshopStore(data_dir=tmp_path) as store:
        made = store.create_workshop("Richtig")
        keys = ["session:a", "address:10.1.2.3"]
        for _ in range(4):
            assert live.find_workshop(store, "ZZZZZZ", guard, keys) == (None, t("errors.workshop.unknown_code", "de"))
        info, error = live.find_workshop(store, made.code, guard, keys)  # even the right code waits now
        assert info is None and error == t("teilnehmen.too_many", "de", seconds=4)
        clock.now += 4
        info, error = live.find_workshop(store, made.code, guard, keys, "en")
        assert (info.code, error) == (made.code, None)
        assert guard.wait(["session:a"]) == 0 and guard.failed(["address:10.1.2.3"]) == 5  # the address keeps count
    logged = [r.getMessage() for r in caplog.records if "wrong workshop code" in r.getMessage()]
    assert len(logged) == 4 and all("ZZZZZZ" not in m and "10.1.2.3" not in m for m in logged)


def test_find_workshop_gives_store_faults_as_one_sentence(tmp_path):

    class Broken:
        def workshop(self, code):
            raise StoreUnavailableError(code="errors.workshop.lost")

    assert live.find_workshop(Broken(), "ABC234", JoinGuard(), ["s"]) == (None, t("errors.workshop.lost", "de"))
    assert live.friendly_error(StoreUnavailableError(code="errors.workshop.lost"), "en") == t("errors.workshop.lost", "en")


# --------------------------------------------------------------------------- the room (issue 22)


@pytest.mark.parametrize(("url", "local"), [
    ("http://localhost:8501/?join=A", True), ("http://127.0.0.1:8501", True), ("http://127.1.2.3", True),
    ("http://[::1]:8501", True), ("http://0.0.0.0:8501", True), ("http://app.localhost", True),
    ("http://192.168.1.20:8501", False), ("https://learn.stadt.de", False), ("", False), (None, False),
])  # fmt: skip
def test_is_local(url, local):
    assert live.is_local(url) is local


@pytest.mark.parametrize(("detected", "stored", "env", "expected"), [
    ("http://localhost:8501", None, {}, "http://localhost:8501"),
    ("http://localhost:8501", None, {"LEARN_PUBLIC_URL": " https://learn.stadt.de "}, "https://learn.stadt.de"),
    ("http://localhost:8501", "http://10.0.0.5:8501", {"LEARN_PUBLIC_URL": "https://learn.stadt.de"},
     "http://10.0.0.5:8501"),
    # the administrator locked the public address: a workshop's own address does not count
    ("http://localhost:8501", "http://10.0.0.5:8501",
     {"LEARN_PUBLIC_URL": "https://learn.stadt.de/", "LEARN_LOCKED": "LEARN_PUBLIC_URL"}, "https://learn.stadt.de"),
])  # fmt: skip
def test_join_base_prefers_the_workshop_then_the_server_setting(detected, stored, env, expected):
    assert live.join_base(detected, stored, env) == expected


def test_short_address_and_presenter_url():
    assert live.short_address("https://learn.stadt.de/?join=ABC234") == "learn.stadt.de/?join=ABC234"
    assert live.short_address("http://10.0.0.5:8501/?join=ABC234") == "http://10.0.0.5:8501/?join=ABC234"
    assert live.presenter_url("https://learn.stadt.de/x", "ABC234") == "https://learn.stadt.de/x/?present=ABC234"
    with pytest.raises(ValueError):
        live.presenter_url("learn.stadt.de", "ABC234")


@pytest.mark.parametrize(("given", "rid", "budget", "per", "expected"), [
    ({}, "A", 3, 3, {"A": 1}),
    ({"A": 2}, "A", 3, 3, {"A": 3}),
    ({"A": 1, "B": 1}, "C", 3, 1, {"A": 1, "B": 1, "C": 1}),
    ({"A": 1}, "A", 3, 1, "höchstens 1"),  # one each: a second dot on A is refused
    ({"A": 2, "B": 1}, "C", 3, 3, "Alle 3 Punkte"),  # budget spent
])  # fmt: skip
def test_add_dot(given, rid, budget, per, expected):
    if isinstance(expected, str):
        with pytest.raises(ValueError, match=expected):
            live.add_dot(given, rid, budget, per)
        return
    assert live.add_dot(given, rid, budget, per) == expected
    assert live.dots_used(expected) <= budget


def test_take_dot():
    assert live.take_dot({"A": 2, "B": 1}, "A") == {"A": 1, "B": 1}
    assert live.take_dot({"A": 1}, "A") == {}
    assert live.take_dot({"A": 1}, "B") == {"A": 1}  # nothing to take back


@pytest.mark.parametrize("lang", ["de", "en"])
def test_room_results_are_labelled_this_workshop(lang):
    frame = frame_of([full_row(2 + i % 3) for i in range(6)])
    results = live.room_results(frame, 5, "Raum", lang, INST)
    assert results["n"] == 6 and len(results["table"]) == 4 and results["measures"]
    label = t("teilnehmen.this_workshop", lang)
    for spec in (results["radar"], results["radar_large"]):
        assert label in str(spec) and t("label.organisation", lang) not in str(spec)
    assert live.room_results(frame.iloc[:4], 5, "Raum", lang, INST) is None  # below k: nothing


def test_room_results_build_only_the_charts_asked_for():
    frame = frame_of([full_row(2 + i % 3) for i in range(6)])
    both = live.room_results(frame, 5, "Raum", "de", INST)
    phone = live.room_results(frame, 5, "Raum", "de", INST, ("radar",))
    assert "radar_large" not in phone and phone["radar"] == both["radar"]  # the same spec as before
    assert phone["radar"]["width"] == 330 and both["radar_large"]["width"] == 760
    with pytest.raises(KeyError, match="radar_huge"):
        live.room_results(frame, 5, "Raum", "de", INST, ("radar_huge",))
