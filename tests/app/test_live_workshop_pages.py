"""AppTest of the live-workshop pages: the facilitator's "Live-Workshop" and
the presenter view (``/?present=CODE``), against a store in a temporary
folder (``LEARN_DATA_DIR``). The phones' own page is not a Streamlit page:
tests/workshop/test_phone.py, tests/app/test_phone_server.py and the browser test."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from learn_core.analysis import analyse
from learn_core.i18n import fmt_int, fmt_number, t
from learn_core.instrument import instrument_version
from learn_core.reading import survey_from_frame
from learn_core.recommendations import catalogue
from learn_core.settings import read_settings
from learn_core.workshop import WorkshopStore
from learn_core.workshop.guard import JoinGuard
from learn_core.workshop.memo import RoomMemo
from learn_core.workshop.phone import PhoneDesk
from tests.workshop.test_store import answers_of

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 60
BASE = "https://learn.example.org"
GROUPS = ("Bauamt", "Kämmerei")


@pytest.fixture
def store(tmp_path, monkeypatch):
    """The store the pages use: an SQLite file in a fresh folder."""
    monkeypatch.setenv("LEARN_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("LEARN_DATABASE_URL", raising=False)
    with WorkshopStore(data_dir=tmp_path) as s:
        yield s
    st.cache_resource.clear()  # release the pages' store of this folder


def _texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [m.value for m in at.caption] + [m.value for m in at.info]
    parts += [m.value for m in at.warning] + [m.value for m in at.error] + [m.value for m in at.success]
    parts += [m.value for m in at.title] + [m.value for m in at.header] + [m.value for m in at.subheader]
    parts += [f"{m.label} {m.value}" for m in at.metric] + [c.value for c in at.code]
    return "\n".join(str(p) for p in parts)


def _button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def facilitator(lang: str = "de") -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.run()
    at.session_state["lang"] = lang
    at.session_state["live_workshop_base"] = BASE  # AppTest has no browser address
    at.switch_page("pages/live_workshop.py").run()
    assert not at.exception, at.exception
    return at


def create(at: AppTest, title: str = "Klausur Verwaltung", groups: str = "Bauamt\nKämmerei") -> str:
    at.text_input[0].input(title)
    at.text_area[0].input(groups)
    at.button[0].click().run()  # the form's submit button
    assert not at.exception, at.exception
    return at.session_state["live_workshop_code"]


def participant(code: str, lang: str = "de", param: str = "join") -> AppTest:
    """A Streamlit session at ``/?join=CODE`` (``param="present"``: the presenter view)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.query_params[param] = code
    at.session_state["lang"] = lang
    at.run()
    assert not at.exception, at.exception
    return at


def test_facilitator_creates_a_workshop_with_join_link_and_qr_code(store):
    at = facilitator()
    assert "Neuen Workshop anlegen" in [tab.label for tab in at.tabs]
    code = create(at)
    key = at.session_state["live_workshop_key"]
    info = store.workshop(code)
    assert (info.title, info.groups, info.dots, info.instrument_version) == ("Klausur Verwaltung", GROUPS, 3, "2.0")
    assert "Fragebogen-Version: 2.0" in _texts(at)
    assert store.check_admin(code, key)
    text = _texts(at)
    assert f"{BASE}/?join={code}" in text and f"Code: **{code}**" in text
    assert len(at.image) == 1  # the QR code
    assert key not in text  # the admin key only on request
    _button(at, "Admin-Schlüssel anzeigen").click().run()
    assert key in _texts(at) and "nur dieses eine Mal" in _texts(at)
    at.run()
    assert key not in _texts(at) and not any(b.label == "Admin-Schlüssel anzeigen" for b in at.button)


def test_a_workshop_of_version_1_is_made_analysed_and_presented_with_version_1(store):
    """The facilitator may choose 1.0 (to compare with a 1.0 survey); the
    dashboard then reads its answers, and the projector scores them, with 1.0."""
    fac = facilitator()
    select = next(s for s in fac.selectbox if s.label == "Fragebogen-Version")
    assert select.value == "2.0" and select.options == ["1.0", "2.0"]
    select.set_value("1.0")
    code = create(fac)
    assert store.workshop(code).instrument_version == "1.0" and "Fragebogen-Version: 1.0" in _texts(fac)
    v1, key = instrument_version("1.0"), fac.session_state["live_workshop_key"]
    for i in range(5):
        store.submit(code, f"p{i}", answers_of(4, instrument=v1), group=GROUPS[i % 2])
    fac.run()
    _button(fac, "Diese Antworten auswerten").click().run()
    assert not fac.exception and list(fac.session_state["dataset"]["frame"].columns)[1:] == list(v1.item_ids)
    fac.switch_page("pages/ueberblick.py").run()
    assert not fac.exception
    assert {m.label: m.value for m in fac.metric}["LEARN-Index (0–100)"] == fmt_number(75.0, 1, "de")
    store.reveal(code, key)
    page = _html(presenter(code))
    # every dimension (4 − 1) × 25 with 1.0's reversed M6 … L6; with 2.0, Führung (2 of 6 left) had no score
    assert page.count(fmt_number(75.0, 1, "de")) == 4, page


def test_a_wrong_address_is_said_and_no_qr_code_drawn(store):
    at = facilitator()
    at.session_state["live_workshop_base"] = "learn.example.org"
    create(at)
    assert "http:// oder https://" in _texts(at) and not at.image


def _room(store: WorkshopStore, n: int, title: str = "Raum"):
    """A workshop with ``n`` answers (given directly to the store)."""
    made = store.create_workshop(title, GROUPS, dots=3)
    for i in range(n):
        store.submit(made.code, f"p{i}", answers_of(1 + i % 3), group=GROUPS[i % 2])
    return made


@pytest.mark.parametrize(("n", "shown"), [(4, False), (5, True)])  # k − 1 and k (k = 5)
def test_reveal_and_hide_from_the_facilitators_page(store, n, shown):
    made = _room(store, n)
    fac = facilitator()
    fac.session_state["live_workshop_code"], fac.session_state["live_workshop_key"] = made.code, made.admin_key
    fac.run()
    assert fac.metric[0].value == fmt_int(n, "de")
    _button(fac, "Ergebnisse freigeben").click().run()
    assert store.workshop(made.code).revealed and any(b.label == "Ergebnisse verbergen" for b in fac.button)
    assert len(store.snapshot(made.code)[1]) == n  # the room's snapshot: all n answers
    assert f"Freigegeben: Der Raum sieht den Stand aus {n} Antworten" in _texts(fac)
    desk = PhoneDesk(store, RoomMemo(ttl=0), JoinGuard(), read_settings({}))
    assert ("n" in desk.results(made.code, "de")) is shown  # what the phones then get: figures from k on
    _button(fac, "Ergebnisse verbergen").click().run()
    assert not store.workshop(made.code).revealed


def test_analyse_makes_the_answers_the_sessions_data(store):
    made = _room(store, 12)
    fac = facilitator()
    fac.session_state["live_workshop_code"], fac.session_state["live_workshop_key"] = made.code, made.admin_key
    fac.run()
    _button(fac, "Diese Antworten auswerten").click().run()
    assert not fac.exception
    ds = fac.session_state["dataset"]
    assert (ds["name"], ds["source"], len(ds["frame"])) == ("Raum", "workshop", 12)
    assert "Ausgewertet sind die Antworten von 12 Personen" in _texts(fac)
    store.submit(made.code, "late", answers_of(3), group="Bauamt")
    fac.run()
    _button(fac, "Auswertung aktualisieren (13 Antworten)").click().run()
    assert len(fac.session_state["dataset"]["frame"]) == 13
    result = analyse(survey_from_frame(store.responses(made.code, made.admin_key)), 5).result.to_json()
    fac.switch_page("pages/ueberblick.py").run()
    assert not fac.exception
    metrics = {m.label: m.value for m in fac.metric}
    assert metrics["Antwortende"] == "13"
    assert metrics["LEARN-Index (0–100)"] == fmt_number(result["organisation"]["index"], 1, "de")
    fac.switch_page("pages/abteilungsvergleich.py").run()
    assert not fac.exception and "Bauamt" in str([df.value for df in fac.dataframe])
    for page in ("pages/daten.py", "pages/details.py", "pages/massnahmen.py"):
        fac.switch_page(page).run()
        assert not fac.exception, page


def test_dot_vote_ranking_and_action_plan(store):
    made = _room(store, 5)
    store.set_revealed(made.code, made.admin_key, True)
    measures = [r.id for r in catalogue()][:2]
    store.vote(made.code, "p0", [measures[0], measures[0]])  # two phones' dots (their page: tests/workshop/test_phone.py)
    store.vote(made.code, "p1", [measures[1]])
    votes = store.votes(made.code)
    assert votes == sorted([(measures[0], 2), (measures[1], 1)], key=lambda kv: (-kv[1], kv[0]))
    fac = facilitator()
    fac.session_state["live_workshop_code"], fac.session_state["live_workshop_key"] = made.code, made.admin_key
    fac.run()
    titles = {r.id: r.title("de") for r in catalogue()}
    assert [bar.value for bar in fac.get("progress")] == [100, 50]  # one bar a measure
    ranked = [m.value.replace("\\", "") for m in fac.markdown if "Punkte: **" in m.value]
    assert len(ranked) == len(votes) == 2
    for i, ((rid, n), text) in enumerate(zip(votes, ranked, strict=True), start=1):
        assert text.startswith(f"**{i}. {titles[rid]}** · ") and text.endswith(f"Punkte: **{n}**")
    fac.number_input(key="live_workshop_top").set_value(1)
    _button(fac, "In den Maßnahmenplan übernehmen").click().run()  # without "auswerten" first
    plan = fac.session_state["action_plan"]
    assert list(plan["ID"]) == [votes[0][0]] and fac.session_state["dataset"]["source"] == "workshop"
    fac.switch_page("pages/massnahmen.py").run()
    assert not fac.exception and "Noch keine Daten" not in _texts(fac)


def test_export_close_and_reopen(store):
    made = _room(store, 3)
    fac = facilitator()
    fac.session_state["live_workshop_code"], fac.session_state["live_workshop_key"] = made.code, made.admin_key
    fac.run()
    label = t("workshop2.export", "de", k=5)
    assert "zufällige Reihenfolge" in label and "ohne Kennungen und Zeiten" in label and "unter 5 Personen" in label
    assert any(b.label == label for b in fac.download_button)  # the button says what the file holds
    csv = store.export(made.code, made.admin_key).decode("utf-8-sig")
    assert csv.splitlines()[0].startswith("Abteilung;M1;M7") and len(csv.splitlines()) == 4  # version 2.0
    assert not {line.split(";")[0] for line in csv.splitlines()[1:]} - {""}  # 2 + 1 people: no department named
    _button(fac, "Workshop schließen").click().run()
    assert store.workshop(made.code).closed and "geschlossen" in _texts(fac)
    _button(fac, "Workshop wieder öffnen").click().run()
    assert not store.workshop(made.code).closed


def test_resume_on_another_device_needs_the_admin_key(store):
    made = _room(store, 1)
    fac = facilitator()
    fac.text_input[1].input(made.code.lower())
    fac.text_input[2].input("falsch")
    fac.button[1].click().run()
    assert "Der Admin-Schlüssel passt nicht" in _texts(fac)
    assert "live_workshop_code" not in fac.session_state
    fac.text_input[2].input(made.admin_key)
    fac.button[1].click().run()
    assert fac.session_state["live_workshop_code"] == made.code and fac.metric[0].value == "1"
    _button(fac, "Workshop auf diesem Gerät verlassen").click().run()
    assert "Workshop fortsetzen" in [tab.label for tab in fac.tabs]


@pytest.mark.parametrize("lang", ["de", "en"])
def test_unreachable_database_is_one_friendly_sentence(monkeypatch, lang):
    monkeypatch.setenv("LEARN_DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:1/learn?connect_timeout=2")
    fac = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    fac.run()
    fac.session_state["lang"] = lang
    fac.switch_page("pages/live_workshop.py").run()
    assert not fac.error  # the forms need no database; creating does
    fac.text_input[0].input("Klausur")
    fac.button[0].click().run()
    assert not fac.exception
    assert [e.value for e in fac.error] == [t("errors.workshop.database", lang)]


def test_an_unsupported_database_is_a_setting_error(monkeypatch):
    monkeypatch.setenv("LEARN_DATABASE_URL", "mysql://learn@db/learn")
    at = participant("ABCDEF", "en", param="present")
    assert [e.value for e in at.error] == [t("workshop2.err_setup", "en")]


def test_english(store):
    made = _room(store, 5)
    store.set_revealed(made.code, made.admin_key, True)
    at = facilitator("en")
    at.session_state["live_workshop_code"], at.session_state["live_workshop_key"] = made.code, made.admin_key
    at.run()
    assert "Answers 5" in _texts(at) and any(b.label == "Hide results" for b in at.button)
    assert not at.exception


def test_phones_use_the_k_the_facilitator_set(store):
    """With k = 8 set by the facilitator, no phone shows results from 5 answers
    (issue 11: the phones used their own session's sidebar value)."""
    fac = facilitator()
    fac.session_state["min_group_size"] = 8  # the facilitator's sidebar
    fac.run()
    code = create(fac)
    key = fac.session_state["live_workshop_key"]
    for i in range(5):
        store.submit(code, f"p{i}", answers_of(1 + i % 3), group=GROUPS[i % 2])
    _button(fac, "Ergebnisse freigeben").click().run()
    assert store.workshop(code).min_group_size == 8  # stored with the workshop: every phone uses it
    desk = PhoneDesk(store, RoomMemo(ttl=0), JoinGuard(), read_settings({}))
    assert desk.results(code, "de") == {"too_few": t("teilnehmen.too_few", "de", k=8)}
    assert store.check_admin(code, key)


def test_a_join_link_on_a_page_address_leads_to_the_phones_page(store):
    """A Streamlit session opened with ``?join=`` (the server hands ``/?join=``
    itself to the phones' page) shows the way there, nothing of the dashboard."""
    at = participant("ABC234")
    assert not at.exception and not at.number_input and not at.toggle
    assert [b.url for b in at.get("link_button")] == ["./?join=ABC234"]


# --------------------------------------------------------------------------- presenter view (issue 22)


def presenter(code: str, lang: str = "de") -> AppTest:
    return participant(code, lang, "present")


def _html(at: AppTest) -> str:
    return "\n".join(str(h.proto.body) for h in at.get("html"))


def test_presenter_view_shows_the_way_in_and_nothing_else(store):
    made = _room(store, 3, "Klausur am See")
    store.set_join_base(made.code, made.admin_key, "https://learn.example.org/")
    at = presenter(made.code)
    page = _html(at)
    assert len(at.image) == 1 and made.code in page and f"learn.example.org/?join={made.code}" in page
    assert '<p class="learn-count" role="status" aria-live="polite">3</p>' in page  # the live count, said politely
    assert "Antworten" in page
    assert "Klausur am See" in _texts(at) and not at.warning
    assert not at.button and not at.number_input and not at.toggle and not at.get("download_button")  # no controls
    assert made.admin_key not in page + _texts(at)
    store.set_counter_paused(made.code, made.admin_key, True)
    at.run()
    assert "Zähler angehalten" in _html(at) and ">3</p>" not in _html(at)


@pytest.mark.parametrize(("base", "warned"), [("http://localhost:8501", True), ("http://127.0.0.1:8501", True),
                                              ("http://192.168.1.20:8501", False)])  # fmt: skip
def test_presenter_and_facilitator_warn_of_a_local_address(store, base, warned):
    made = _room(store, 1)
    store.set_join_base(made.code, made.admin_key, base)
    assert bool(presenter(made.code).warning) is warned
    fac = facilitator()
    fac.session_state["live_workshop_code"], fac.session_state["live_workshop_key"] = made.code, made.admin_key
    fac.run()
    warnings = [w.value for w in fac.warning]
    assert any("erreicht nur diesen Rechner" in w for w in warnings) is warned
    assert any(i.label == t("workshop2.base_label", "de") for i in fac.text_input)  # the fix is right there


def test_presenter_view_follows_reveal_and_ranking(store):
    made = _room(store, 6)
    at = presenter(made.code)
    assert not at.image and "http:// oder https://" in _texts(at)  # no address known yet: no QR code
    store.set_join_base(made.code, made.admin_key, BASE)
    at.run()
    assert at.image and not at.get("vega_lite_chart")
    store.reveal(made.code, made.admin_key)
    at.run()
    assert not at.image and len(at.get("vega_lite_chart")) == 1
    page = _html(at)
    assert "aus 6 Antworten" in page
    for dim in ("Motivation", "Führung", "Kompetenz", "Lernerfolg"):
        assert dim in page
    assert "dieser Workshop" in str(at.get("vega_lite_chart")[0].proto.spec)
    store.vote(made.code, "p0", [catalogue()[0].id] * 2)
    at.run()
    assert "Rangfolge" not in _texts(at) + _html(at)  # hidden until the facilitator shows it
    store.set_ranking_shown(made.code, made.admin_key, True)
    at.run()
    assert "Rangfolge der Maßnahmen" in _html(at) and catalogue()[0].title("de") in _html(at)
    assert [bar.value for bar in at.get("progress")] == [100]


@pytest.mark.parametrize(("n", "shown"), [(4, False), (5, True)])  # the workshop's k − 1 and k
def test_presenter_view_keeps_the_workshops_k(store, n, shown):
    made = store.create_workshop("k", min_group_size=5)
    for i in range(n):
        store.submit(made.code, f"p{i}", answers_of(3))
    store.reveal(made.code, made.admin_key)
    at = presenter(made.code)
    assert bool(at.get("vega_lite_chart")) is shown
    assert ("erscheint ab 5 Antworten" in _html(at)) is not shown


def test_presenter_view_of_an_unknown_code(store):
    at = presenter("ZZZZZZ", "en")
    assert [e.value for e in at.error] == [t("errors.workshop.unknown_code", "en")]
