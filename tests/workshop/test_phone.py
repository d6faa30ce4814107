"""The phones' light path (learn_core.workshop.phone): what a phone may ask
and what it gets, with the Streamlit page's rules (one participant per
browser, no answers given back, nothing below k, wrong codes slowed down)."""

from __future__ import annotations

import pytest

from learn_core.i18n import t
from learn_core.instrument import instrument_version
from learn_core.settings import read_settings
from learn_core.workshop import WorkshopStore
from learn_core.workshop import room as live
from learn_core.workshop.guard import JoinGuard
from learn_core.workshop.memo import RoomMemo
from learn_core.workshop.phone import PhoneDesk, PhoneRefusal
from tests.workshop.test_store import answers_of


@pytest.fixture
def desk(tmp_path):
    store = WorkshopStore(f"sqlite:///{tmp_path / 'w.db'}")
    yield PhoneDesk(store, RoomMemo(ttl=0), JoinGuard(free=2, first_wait=60), read_settings({}))
    store.close()


def _cookies(code: str, pid: str) -> dict:
    return {live.participant_cookie(code): pid}


def _refused(call, *args) -> PhoneRefusal:
    with pytest.raises(PhoneRefusal) as info:
        call(*args)
    return info.value


def test_join_gives_the_questionnaire_and_a_new_participant(desk):
    made = desk.store.create_workshop("Raum", ["Bauamt", "IT"], 4, min_group_size=5)
    payload, pid = desk.join(made.code.lower(), {}, ["address:1.2.3.4"], "de")
    assert payload["code"] == made.code and payload["title"] == "Raum" and payload["groups"] == ["Bauamt", "IT"]
    assert (payload["k"], payload["dots"], payload["submitted"], payload["given"]) == (5, 4, False, {})
    assert (payload["revealed"], payload["closed"]) == (False, False)
    assert sum(len(d["items"]) for d in payload["instrument"]["dimensions"]) == 24
    assert [s["value"] for s in payload["instrument"]["scale"]] == [1, 2, 3, 4, 5]
    assert payload["texts"]["intro"] == t("teilnehmen.intro", "de", k=5)
    assert "admin" not in str(payload).lower() and made.admin_key not in str(payload)
    assert live.known_participant(_cookies(made.code, pid), made.code) == pid


def test_a_browser_that_joins_again_stays_one_participant(desk):
    made = desk.store.create_workshop("Raum")
    _, pid = desk.join(made.code, {}, [], "de")
    desk.submit(made.code, _cookies(made.code, pid), answers_of(4), None, "de")
    again, same = desk.join(made.code, _cookies(made.code, pid), [], "de")
    assert same == pid and again["submitted"] is True
    desk.submit(made.code, _cookies(made.code, pid), answers_of(2), None, "de")
    assert desk.store.count(made.code) == 1
    assert desk.store.responses(made.code, made.admin_key).iloc[0]["M1"] == 2  # replaced, not added


def test_wrong_codes_are_slowed_down_per_address(desk):
    desk.store.create_workshop("Raum")
    for _ in range(3):  # two free failures, the third starts the wait
        assert _refused(desk.join, "NOPE42", {}, ["address:9.9.9.9"], "de").status == 404
    refusal = _refused(desk.join, "NOPE42", {}, ["address:9.9.9.9"], "en")
    assert refusal.status == 429 and refusal.message.startswith("Too many wrong codes")
    assert _refused(desk.join, "NOPE42", {}, ["address:8.8.8.8"], "de").status == 404  # another address is not


@pytest.mark.parametrize("answers", [
    {"M1": True},  # a bool is not an answer
    {"M1": 6},
    {"M1": "4"},
    {"XX": 3},
    [3, 4],
])  # fmt: skip
def test_a_malformed_submission_is_refused_and_nothing_stored(desk, answers):
    made = desk.store.create_workshop("Raum")
    _, pid = desk.join(made.code, {}, [], "de")
    assert _refused(desk.submit, made.code, _cookies(made.code, pid), answers, None, "de").status == 400
    assert desk.store.count(made.code) == 0


def test_submit_needs_an_answer_the_cookie_and_an_open_workshop(desk):
    made = desk.store.create_workshop("Raum", ["Bauamt"])
    _, pid = desk.join(made.code, {}, [], "de")
    none = _refused(desk.submit, made.code, _cookies(made.code, pid), {"M1": live.NO_ANSWER, "M7": None}, None, "de")
    assert none.message == t("teilnehmen.none_answered", "de")
    assert _refused(desk.submit, made.code, {}, {"M1": 3}, None, "de").status == 400  # no cookie: no participant
    assert _refused(desk.submit, made.code, _cookies(made.code, pid), {"M1": 3}, "Kämmerei", "de").status == 409
    desk.store.close_workshop(made.code, made.admin_key)
    assert _refused(desk.submit, made.code, _cookies(made.code, pid), {"M1": 3}, "Bauamt", "de").status == 409
    assert desk.store.count(made.code) == 0


def test_results_only_after_the_reveal_and_only_from_k(desk):
    made = desk.store.create_workshop("Raum", min_group_size=5)
    assert _refused(desk.results, made.code, "de").status == 409
    for i in range(4):
        desk.store.submit(made.code, f"p{i}", answers_of(3))
    desk.store.reveal(made.code, made.admin_key)
    assert desk.results(made.code, "de") == {"too_few": t("teilnehmen.too_few", "de", k=5)}
    desk.store.submit(made.code, "p4", answers_of(3))
    desk.store.reveal(made.code, made.admin_key)  # a new snapshot with five
    res = desk.results(made.code, "de")
    assert res["n"] == 5
    assert [d["score"] for d in res["dimensions"]] == [50.0] * 4  # every dimension (3 − 1) × 25
    assert [d["name"] for d in res["dimensions"]] == ["Motivation", "Führung", "Kompetenz", "Lernerfolg"]
    assert res["measures"] and all({"id", "title", "why", "dimension"} <= set(m) for m in res["measures"])
    assert desk.state(made.code) == {"revealed": True, "seq": 2, "closed": False}


def _asked(payload: dict) -> list[str]:
    return [i["id"] for d in payload["instrument"]["dimensions"] for i in d["items"]]


def test_each_workshop_asks_and_scores_its_own_instrument_version(desk):
    """A new workshop asks version 2.0; one made with 1.0 (or migrated from
    before version 4 of the store) keeps its 24 statements on every phone."""
    new = desk.store.create_workshop("Neu")
    old = desk.store.create_workshop("Alt", min_group_size=3, instrument_version="1.0")
    assert _asked(desk.join(new.code, {}, [], "de")[0]) == list(instrument_version("2.0").item_ids)
    payload, pid = desk.join(old.code, {}, [], "en")
    v1 = instrument_version("1.0")
    assert _asked(payload) == list(v1.item_ids)
    assert payload["instrument"]["dimensions"][0]["items"][5] == {"id": "M6", "text": v1.item("M6").text_en}
    mine = _cookies(old.code, pid)
    assert _refused(desk.submit, old.code, mine, {"M7": 3}, None, "de").status == 400  # a 2.0 statement
    assert desk.submit(old.code, mine, answers_of(4, instrument=v1), None, "de") == {"submitted": True}
    for i in range(2):
        desk.store.submit(old.code, f"p{i}", answers_of(4, instrument=v1))
    desk.store.reveal(old.code, old.admin_key)
    # scored with 1.0's keys (M6, F6, K6, L6 reversed): 75 everywhere; with 2.0's, half the items would be missing
    assert [d["score"] for d in desk.results(old.code, "de")["dimensions"]] == [75.0] * 4


def test_the_vote_is_stored_whole_and_within_the_rules(desk):
    made = desk.store.create_workshop("Raum", dots=3, dots_per_measure=2)
    _, pid = desk.join(made.code, {}, [], "de")
    mine = _cookies(made.code, pid)
    assert _refused(desk.vote, made.code, mine, {"FUE-01": 1}, "de").status == 409  # not revealed yet
    desk.store.reveal(made.code, made.admin_key)
    assert desk.vote(made.code, mine, {"FUE-01": 2, "KOM-02": 1}, "de") == {"given": {"FUE-01": 2, "KOM-02": 1}}
    assert desk.vote(made.code, mine, {"FUE-01": 1, "KOM-02": 0}, "de") == {"given": {"FUE-01": 1}}  # taken back
    assert _refused(desk.vote, made.code, mine, {"FUE-01": 2, "KOM-02": 2}, "de").status == 400  # four of three
    assert _refused(desk.vote, made.code, mine, {"FUE-01": 3}, "de").status == 400  # three on one of two
    assert _refused(desk.vote, made.code, mine, {"FUE-01": -1}, "de").status == 400
    assert _refused(desk.vote, made.code, mine, {"NOT-A-MEASURE": 1}, "de").status == 400
    assert desk.store.vote_of(made.code, pid) == ["FUE-01"]  # the refused ones changed nothing
    again, _ = desk.join(made.code, mine, [], "de")
    assert again["given"] == {"FUE-01": 1}  # a reloaded phone shows its dots again
    desk.store.close_workshop(made.code, made.admin_key)
    assert _refused(desk.vote, made.code, mine, {"FUE-01": 1}, "de").status == 409


def test_texts_follow_the_language_and_the_privacy_notice_the_settings(tmp_path):
    store = WorkshopStore(f"sqlite:///{tmp_path / 'w.db'}")
    settings = read_settings({"LEARN_PRIVACY_CONTROLLER": "Stadt Musterhausen", "LEARN_PRIVACY_URL": "https://example.org/ds",
                              "LEARN_IMPRINT_URL": "https://example.org/impressum"})
    desk = PhoneDesk(store, RoomMemo(ttl=0), JoinGuard(), settings)
    made = store.create_workshop("Raum", dots=2, dots_per_measure=1)
    payload, _ = desk.join(made.code, {}, [], "en")
    assert payload["texts"]["vote_rule"] == t("teilnehmen.vote_rule_spread", "en", dots=2, per=1)
    assert payload["instrument"]["dimensions"][0]["name"] == "Motivation"
    assert payload["privacy"]["lines"][0] == {"label": "Controller", "text": "Stadt Musterhausen"}
    assert all("**" not in line["label"] + line["text"] for line in payload["privacy"]["lines"])
    assert payload["privacy"]["more"] == {"label": "Full privacy statement", "url": "https://example.org/ds"}
    assert payload["links"] == [{"label": "Imprint", "url": "https://example.org/impressum"}]
    store.close()


def test_phones_use_the_workshops_k_and_see_it_closed(desk):
    """With k = 8 set by the facilitator, no phone shows results from 6 answers
    (issue 11: the phones used their own session's value)."""
    made = desk.store.create_workshop("Raum", min_group_size=8)
    for i in range(6):
        desk.store.submit(made.code, f"p{i}", answers_of(1 + i % 3))
    desk.store.reveal(made.code, made.admin_key)
    assert desk.results(made.code, "de") == {"too_few": t("teilnehmen.too_few", "de", k=8)}
    desk.store.close_workshop(made.code, made.admin_key)
    payload, _ = desk.join(made.code, {}, [], "de")
    assert payload["closed"] is True and payload["k"] == 8
    assert payload["texts"]["closed"] == t("teilnehmen.closed", "de")
