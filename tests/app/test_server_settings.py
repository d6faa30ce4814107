"""AppTest: what the administrator fixes (the floor of k, a locked k, uploads,
workshops, footer links, sign-in) cannot be changed in the UI."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from learn_core.i18n import t
from learn_core.samples import sample_bytes
from learn_core.workstate import WorkState, dumps
from pages.shell import config

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 60


@pytest.fixture(autouse=True)
def fresh_settings(monkeypatch, tmp_path):
    """Each test reads the settings anew (the shell reads them once per process)."""
    for name in ("LEARN_MIN_GROUP_SIZE", "LEARN_MIN_GROUP_SIZE_FLOOR", "LEARN_LOCKED", "LEARN_UPLOADS",
                 "LEARN_WORKSHOPS", "LEARN_AUTH", "LEARN_CONFIG_FILE", "LEARN_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LEARN_DATA_DIR", str(tmp_path))
    config._settings.clear()
    yield
    config._settings.clear()


def _app() -> AppTest:
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)


def _sample() -> dict:
    data = sample_bytes()
    return {"name": "beispiel.xlsx", "data": data, "frame": None, "source": "upload",
            "digest": hashlib.sha256(data).hexdigest()}


def _k_input(at: AppTest):
    return at.sidebar.number_input[0]


def test_the_floor_is_the_lowest_k_in_the_sidebar_and_the_default(monkeypatch):
    monkeypatch.setenv("LEARN_MIN_GROUP_SIZE_FLOOR", "7")
    at = _app()
    at.run()
    k = _k_input(at)
    assert (k.min, k.value, k.disabled) == (7, 7, False)
    k.set_value(9).run()
    assert at.session_state["min_group_size"] == 9
    at.session_state["min_group_size"] = 4  # whatever reaches the session: the analysis uses the floor
    at.session_state["dataset"] = _sample()
    at.switch_page("pages/ueberblick.py").run()
    assert not at.exception
    assert at.session_state["_analysis"][1].min_group_size == 7


def test_a_saved_working_state_below_the_floor_is_raised(monkeypatch):
    from learn_core.actionplan import empty_plan
    from learn_core.reading.workstate_file import read_work_state

    monkeypatch.setenv("LEARN_MIN_GROUP_SIZE_FLOOR", "6")
    state = WorkState(lang="de", min_group_size=3, group_column=None, sheet=None, column_map={},
                      report_organisation="", plan=empty_plan(), dataset=None)
    loaded = read_work_state(dumps(state), "stand.json")
    assert loaded.min_group_size == 3
    # restore() runs inside the app: call it through a tiny script with the shell's state
    script = AppTest.from_string(
        "from pages.shell import init_state, restore\n"
        "import streamlit as st\n"
        "init_state()\n"
        "if st.button('laden'):\n"
        "    restore(st.session_state['_loaded'])\n",
        default_timeout=TIMEOUT,
    )
    script.session_state["_loaded"] = loaded
    script.run()
    script.button[0].click().run()
    assert script.session_state["min_group_size"] == 6


def test_a_locked_k_is_shown_and_cannot_be_changed(monkeypatch):
    monkeypatch.setenv("LEARN_MIN_GROUP_SIZE", "8")
    monkeypatch.setenv("LEARN_LOCKED", "LEARN_MIN_GROUP_SIZE")
    at = _app()
    at.run()
    k = _k_input(at)
    assert (k.value, k.disabled) == (8, True)
    assert t("sidebar.k_locked", "de") in k.help
    at.switch_page("pages/live_workshop.py").run()
    workshop_k = [n for n in at.number_input if n.label == t("workshop2.k_label", "de")][0]
    assert (workshop_k.value, workshop_k.disabled, workshop_k.min) == (8, True, 3)


def test_the_workshop_form_starts_at_the_floor(monkeypatch):
    monkeypatch.setenv("LEARN_MIN_GROUP_SIZE_FLOOR", "6")
    at = _app()
    at.switch_page("pages/live_workshop.py").run()
    workshop_k = [n for n in at.number_input if n.label == t("workshop2.k_label", "de")][0]
    assert (workshop_k.min, workshop_k.value) == (6, 6)


def test_uploads_off_disables_every_uploader_and_says_so(monkeypatch):
    monkeypatch.setenv("LEARN_UPLOADS", "off")
    at = _app()
    at.run()  # Daten: the survey uploader and the working state's in the sidebar
    uploaders = at.get("file_uploader")
    assert uploaders and all(u.proto.disabled for u in uploaders)
    assert any(t("budget.uploads_off", "de") in u.proto.help for u in uploaders)


def test_uploads_on_by_default(monkeypatch):
    at = _app()
    at.run()
    assert not any(u.proto.disabled for u in at.get("file_uploader"))


def test_workshops_off_removes_the_page(monkeypatch):
    monkeypatch.setenv("LEARN_WORKSHOPS", "off")
    at = _app()
    at.run()
    with pytest.raises(ValueError, match="Could not find a navigation page for .*live_workshop.py"):
        at.switch_page("pages/live_workshop.py")


def test_the_footer_links_the_imprint_and_the_accessibility_statement(monkeypatch):
    monkeypatch.setenv("LEARN_IMPRINT_URL", "https://www.stadt.example/impressum")
    monkeypatch.setenv("LEARN_ACCESSIBILITY_URL", "https://www.stadt.example/barrierefreiheit")
    at = _app()
    at.session_state["dataset"] = _sample()  # with data Daten runs to its end (AppTest drops what follows a stop)
    at.run()
    captions = [c.value for c in at.caption]
    assert ("[Impressum](https://www.stadt.example/impressum) · "
            "[Barrierefreiheit](https://www.stadt.example/barrierefreiheit)") in captions


def test_a_bad_setting_is_one_sentence_on_the_page(monkeypatch):
    monkeypatch.setenv("LEARN_MIN_GROUP_SIZE_FLOOR", "2")
    at = _app()
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == [t("server.bad_setting", "de", reason=(
        "Die Einstellung LEARN_MIN_GROUP_SIZE_FLOOR muss eine ganze Zahl von 3 bis 50 sein "
        "(angegeben in der Umgebung: '2')."))]



def test_a_bad_setting_is_said_in_english_on_an_english_page(monkeypatch):
    monkeypatch.setenv("LEARN_PARSER_TIMEOUT_SECONDS", "0")
    at = _app()
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == [t("server.bad_setting", "en", reason=(
        "The setting LEARN_PARSER_TIMEOUT_SECONDS must be a number from 0.001 to 86,400 "
        "(given in the environment: '0')."))]

def test_with_oidc_the_analysis_asks_for_a_sign_in_but_a_participant_joins(monkeypatch):
    monkeypatch.setenv("LEARN_AUTH", "oidc")
    at = _app()
    at.run()
    assert [x.value for x in at.title] == [t("server.sign_in_title", "de")]
    assert [b.label for b in at.button] == [t("server.sign_in", "de")]
    assert not at.get("file_uploader")  # no page behind it ran
    phone = _app()
    phone.query_params["join"] = "ABC234"
    phone.run()
    assert t("server.sign_in_title", "de") not in [x.value for x in phone.title]
    assert not phone.exception


def test_the_participants_see_the_data_protection_notice_before_the_first_question(monkeypatch, tmp_path):
    from learn_core.workshop import WorkshopStore

    monkeypatch.setenv("LEARN_PRIVACY_CONTROLLER", "Stadt Musterstadt, Personalamt, Rathausplatz 1")
    monkeypatch.setenv("LEARN_PRIVACY_CONTACT", "datenschutz@stadt.example")
    monkeypatch.setenv("LEARN_PRIVACY_URL", "https://www.stadt.example/datenschutz")
    monkeypatch.setenv("LEARN_RETENTION_DAYS", "90")
    from learn_core.settings import read_settings
    from learn_core.workshop.guard import JoinGuard
    from learn_core.workshop.memo import RoomMemo
    from learn_core.workshop.phone import PhoneDesk

    with WorkshopStore(data_dir=tmp_path) as store:  # what the phones' page gets with the questionnaire
        made = store.create_workshop("Rathaus")
        desk = PhoneDesk(store, RoomMemo(), JoinGuard(), read_settings())
        payload, _ = desk.join(made.code, {}, [], "de")
    assert payload["texts"]["privacy_short"] == t("server.privacy_short", "de")
    assert payload["texts"]["privacy_title"] == t("server.privacy_title", "de")
    lines = {line["label"]: line["text"] for line in payload["privacy"]["lines"]}
    assert lines["Verantwortlich"] == "Stadt Musterstadt, Personalamt, Rathausplatz 1"
    assert lines["Datenschutzbeauftragte Stelle"] == "datenschutz@stadt.example"
    assert {"Zweck", "Freiwillig", "Anonymität", "Speicherdauer"} <= set(lines)
    assert "90 Tage" in lines["Speicherdauer"]
    assert payload["privacy"]["more"] == {"label": "Vollständige Datenschutzerklärung",
                                          "url": "https://www.stadt.example/datenschutz"}
    script = (Path(__file__).resolve().parents[2] / "pages/room/phone/phone.js").read_text("utf-8")
    assert "part.append(privacy()" in script  # on the first step, above the first statement


def test_a_locked_public_address_cannot_be_changed_for_a_workshop(monkeypatch):
    monkeypatch.setenv("LEARN_PUBLIC_URL", "https://learn.stadt.example")
    monkeypatch.setenv("LEARN_LOCKED", "LEARN_PUBLIC_URL")
    at = _app()
    at.switch_page("pages/live_workshop.py").run()
    at.text_input[0].input("Probe")
    at.button[0].click().run()  # create the workshop (the form's submit button)
    assert not at.exception
    field = [x for x in at.text_input if x.label == t("workshop2.base_label", "de")][0]
    assert (field.value, field.disabled) == ("https://learn.stadt.example", True)
    assert any("https://learn.stadt.example/?join=" in c.value for c in at.get("code"))

