"""The pages show the errors of learn_core in the session's language."""

from __future__ import annotations

import hashlib
from pathlib import Path

from streamlit.testing.v1 import AppTest

from learn_core import i18n
from learn_core.reading import limits

TIMEOUT = 60
ROOT = Path(__file__).resolve().parents[2]


def _app(data: bytes, name: str, lang: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.run()
    at.session_state["dataset"] = {"name": name, "data": data, "frame": None, "source": "upload",
                                   "digest": hashlib.sha256(data).hexdigest()}
    at.session_state["lang"] = lang
    return at


def test_a_broken_workbook_is_said_in_english_when_english_is_chosen():
    at = _app(b"PK\x03\x04 not really a workbook", "kaputt.xlsx", "en")
    at.run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert i18n.t(limits.BROKEN_WORKBOOK, "en") in errors, errors
    assert not any("Arbeitsmappe" in e or "beschädigt" in e for e in errors), errors
    # the same error, the language switched: the sentence follows without reading the file again
    at.session_state["lang"] = "de"
    at.run()
    assert i18n.t(limits.BROKEN_WORKBOOK, "de") in [e.value for e in at.error]


def test_an_empty_file_is_said_in_english_on_the_overview_page():
    at = _app(b"  \n", "leer.csv", "en")
    at.switch_page("pages/ueberblick.py").run()
    assert not at.exception
    assert "The file is empty." in [e.value for e in at.error]
