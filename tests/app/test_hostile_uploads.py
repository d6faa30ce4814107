"""Hostile files through every upload of the dashboard (AppTest drives the
real uploaders): each is refused with one German sentence, the page raises
nothing, the session goes on working; the session's budgets (waves, memory)
refuse with a sentence of their own."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from learn_core import i18n
from learn_core.reading import gate, isolation, limits
from learn_core.samples import sample_bytes
from pages.shell import budget
from tests.reading.hostile_files import far_plan_xlsx
from tests.reading.test_biff import forged

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 120
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"



HOSTILE = {
    "xls directory loop": ("boese.xls", forged("directory chain loops")),
    "xls DIFAT loop": ("boese.xls", forged("DIFAT chain loops")),
    "xlsx far cell": ("boese.xlsx", far_plan_xlsx()),
}
#: the sentences a refusal may be (the checks name the limit they hit)
SENTENCES = (i18n.t(limits.BROKEN_WORKBOOK), i18n.t(isolation.UNSAFE), "Die Tabelle hat mehr als 1.000.000 Zeilen und kann nicht ausgewertet werden.")


def _app(page: str | None = None, **state) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.run()
    for key, value in state.items():
        at.session_state[key] = value
    if page:
        at.switch_page(page).run()
    elif state:
        at.run()
    assert not at.exception, at.exception
    return at


def _sample_state() -> dict:
    data = sample_bytes()
    return {"dataset": {"name": "beispielstadt.xlsx", "data": data, "frame": None, "source": "sample",
                        "digest": hashlib.sha256(data).hexdigest()}}


def _errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


@pytest.mark.parametrize("name", HOSTILE)
def test_survey_upload(name):
    at = _app()
    file_name, data = HOSTILE[name]
    at.file_uploader[0].upload(file_name, data, XLSX).run()
    assert not at.exception
    assert any(e in SENTENCES for e in _errors(at)), _errors(at)
    at.button[0].click().run()  # "Beispieldaten laden": the session goes on
    assert not at.exception and not _errors(at)
    assert any("177" in m.value for m in at.metric)


@pytest.mark.parametrize("name", HOSTILE)
def test_plan_upload(name):
    at = _app("pages/massnahmen.py", **_sample_state())
    _, data = HOSTILE[name]  # the plan uploader takes .xlsx and .csv: an .xls renamed is read as what it is
    at.file_uploader(key="plan_upload").upload("plan.xlsx", data, XLSX).run()
    assert not at.exception
    assert any(e in SENTENCES for e in _errors(at)), _errors(at)


def test_wave_uploads_hostile_and_good_together():
    at = _app("pages/verlauf.py")
    uploader = at.file_uploader(key="verlauf_upload_0")
    for file_name, data in HOSTILE.values():
        uploader.upload(file_name, data, XLSX)
    uploader.upload("welle1.xlsx", sample_bytes(), XLSX).run()
    assert not at.exception
    errors = _errors(at)
    assert len(errors) == len(HOSTILE) and all(any(s in e for s in SENTENCES) for e in errors), errors
    assert [w["name"] for w in at.session_state["verlauf_waves"]] == ["welle1.xlsx"]
    assert at.session_state["verlauf_upload_round"] == 1  # the uploader lets the files go
    assert [u.key for u in at.file_uploader][0] == "verlauf_upload_1"  # and a fresh one shows at once
    at.file_uploader(key="verlauf_upload_1").upload("welle2.csv", b"M1;M2\n" + b"3;2\n" * 6, "text/csv").run()
    assert [w["name"] for w in at.session_state["verlauf_waves"]] == ["welle1.xlsx", "welle2.csv"]


def test_nested_mapping_file():
    at = _app(**_sample_state())
    at.file_uploader(key="_mapping_file").upload("zuordnung.json", b"[" * 100_000 + b"]" * 100_000,
                                                 "application/json").run()
    assert not at.exception
    assert any(i18n.t(gate.MAPPING_TOO_DEEP) in e for e in _errors(at)), _errors(at)


def test_a_saved_mapping_is_loaded():
    at = _app(**_sample_state())
    at.file_uploader(key="_mapping_file").upload("zuordnung.json", b'{"Spalte X": "M1"}',
                                                 "application/json").run()
    assert not at.exception
    assert at.session_state["column_map"] == {"Spalte X": "M1"}


def test_waves_are_capped(monkeypatch):
    monkeypatch.setattr(budget, "MAX_WAVES", 2)
    at = _app("pages/verlauf.py")
    uploader = at.file_uploader(key="verlauf_upload_0")
    for k in range(3):
        uploader.upload(f"welle{k}.csv", b"M1;M2\n" + f"{k + 1};2\n".encode() * 6, "text/csv")
    uploader.run()
    assert not at.exception
    assert len(at.session_state["verlauf_waves"]) == 2
    assert "Es können höchstens 2 Befragungswellen verglichen werden; bitte zuerst eine Welle entfernen." in _errors(at)


def test_session_memory_is_capped(monkeypatch):
    monkeypatch.setattr(budget, "SESSION_BUDGET_BYTES", 1_000_000)
    at = _app("pages/verlauf.py", **_sample_state())  # the sample (about 0.1 MB) fits
    at.file_uploader(key="verlauf_upload_0").upload("gross.csv", b"M1;M2\n" + b"3;4\n" * 200_000, "text/csv").run()
    assert not at.exception
    assert at.session_state["verlauf_waves"] == []
    assert any(e.startswith("„gross.csv“ wird nicht geladen: Diese Sitzung hält schon") and "höchstens 1 MB" in e
               for e in _errors(at)), _errors(at)


def test_every_uploader_states_the_limit_in_german():
    at = _app("pages/verlauf.py", **_sample_state())
    helps = [u.help for u in at.file_uploader]
    assert helps and all("Höchstens 50 MB je Datei." in h for h in helps), helps
