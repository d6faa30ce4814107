"""Every download a page offers is made in the UI's language (issue 14.2).

AppTest does not serve deferred downloads, so the callables the pages hand
to ``st.download_button`` are collected where Streamlit registers them and
called here; each file's text is then checked for the language's words.
"""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from learn_core.samples import sample_bytes

ROOT = Path(__file__).resolve().parents[2]
#: A word only the German file holds, and one only the English file holds.
WORDS = {"de": ("Führung", "Leadership"), "en": ("Leadership", "Führung")}


def _word(word: str, text: str) -> bool:
    """``word`` as a whole word (the English Methodik quotes German headers such as "Führungskraft")."""
    return re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text) is not None
PLAN_HEADER = {"de": "Verantwortlich", "en": "Owner"}


@pytest.fixture
def downloads(monkeypatch):
    """file name -> callable, for every deferred download the last run registered."""
    seen: dict[str, object] = {}
    original = MediaFileManager.add_deferred

    def record(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        seen[file_name] = data_callable
        return original(self, data_callable, mimetype, coordinates, file_name=file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", record)
    return seen


def _app(lang: str, with_data: bool) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    if with_data:
        data = sample_bytes()
        at.session_state["dataset"] = {"name": "beispielstadt.xlsx", "data": data, "frame": None,
                                       "source": "sample", "digest": hashlib.sha256(data).hexdigest()}
    at.session_state["lang"] = lang
    return at


def _text(name: str, data: bytes) -> str:
    if name.endswith(".pdf"):
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    if name.endswith(".xlsx"):
        wb = load_workbook(io.BytesIO(data), read_only=True)
        return "\n".join(str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True)
                         for v in row if v is not None)
    if name.endswith(".png"):
        return ""  # a picture: its words are the SVG's, which is checked
    return data.decode("utf-8")


def _files(downloads: dict) -> dict[str, str]:
    out = {}
    for name, make in downloads.items():
        data = make()
        out[name] = _text(name, data if isinstance(data, bytes) else data.encode("utf-8"))
    return out


@pytest.mark.parametrize("lang", ["de", "en"])
def test_template_and_questionnaire_on_the_data_page(downloads, lang):
    at = _app(lang, with_data=False)
    at.run()
    files = _files(downloads)
    assert {"LEARN-Vorlage.xlsx", "LEARN-Fragebogen.pdf"} <= set(files)
    own, other = WORDS[lang]
    for name in ("LEARN-Vorlage.xlsx", "LEARN-Fragebogen.pdf"):
        assert own in files[name] and not _word(other, files[name]), name


def _page_files(downloads: dict, lang: str, page: str) -> dict[str, str]:
    """The text of every download ``page`` offers with the sample data loaded."""
    at = _app(lang, with_data=True)
    downloads.clear()  # only what this page registers
    at.switch_page(page).run()
    assert not at.exception
    return _files(downloads)


@pytest.mark.parametrize("lang", ["de", "en"])
def test_reports_and_chart_images_on_the_overview(downloads, lang):
    files = _page_files(downloads, lang, "pages/ueberblick.py")
    assert {"LEARN-Bericht.pdf", "LEARN-Bericht.xlsx"} <= set(files)
    svgs = [n for n in files if n.endswith(".svg")]
    assert svgs, "the radar offers an SVG"
    own, other = WORDS[lang]
    for name in ["LEARN-Bericht.pdf", "LEARN-Bericht.xlsx", *svgs]:
        assert own in files[name] and not _word(other, files[name]), name


@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_action_plan_file_on_the_measures_page(downloads, lang):
    files = _page_files(downloads, lang, "pages/massnahmen.py")
    plans = [n for n in files if n.endswith(".xlsx") and "Bericht" not in n]
    assert plans, sorted(files)
    for name in plans:
        assert PLAN_HEADER[lang] in files[name]
        assert PLAN_HEADER["en" if lang == "de" else "de"] not in files[name]


def test_the_reports_carry_comments_only_once_ticked(downloads):
    """The comments leave the dashboard only when the user ticks the box by the downloads."""
    at = _app("de", with_data=True)
    downloads.clear()
    at.switch_page("pages/massnahmen.py").run()
    assert not at.exception
    sample_comment = "Mehr Zeit für Fortbildung wäre gut"
    before = _files(downloads)
    assert not any(sample_comment in before[n] for n in ("LEARN-Bericht.pdf", "LEARN-Bericht.xlsx"))
    downloads.clear()
    at.checkbox(key="_w_report_comments").check().run()
    assert not at.exception and at.session_state["report_comments"] is True
    after = _files(downloads)
    for name in ("LEARN-Bericht.pdf", "LEARN-Bericht.xlsx"):
        assert "Offene Kommentare" in after[name] and sample_comment in after[name].replace("\n", " "), name


def test_a_report_is_made_once_per_session_and_goes_with_the_data(downloads, monkeypatch):
    """The same report clicked again (or on another page) is handed out again,
    not laid out anew; another language is another report."""
    import learn_core.reports as reports

    made = []
    real = reports.report_xlsx

    def counting(*args, **kwargs):
        made.append(kwargs.get("lang"))
        return real(*args, **kwargs)

    monkeypatch.setattr(reports, "report_xlsx", counting)
    at = _app("de", with_data=True)
    at.switch_page("pages/ueberblick.py").run()
    first = downloads["LEARN-Bericht.xlsx"]()
    at.switch_page("pages/massnahmen.py").run()
    again = downloads["LEARN-Bericht.xlsx"]()
    assert again is first and made == ["de"]  # the same bytes, made once
    at.session_state["lang"] = "en"
    at.run()
    assert downloads["LEARN-Bericht.xlsx"]() is not first and made == ["de", "en"]
    assert len(at.session_state["_reports_made"]) == 2
    at2 = _app("de", with_data=True)  # another session: its report, then new data (set_dataset)
    at2.switch_page("pages/ueberblick.py").run()
    downloads["LEARN-Bericht.xlsx"]()
    assert len(at2.session_state["_reports_made"]) == 1
    at2.switch_page("pages/daten.py").run()
    next(b for b in at2.button if b.label == "Beispieldaten laden").click().run()
    at = at2
    assert not at.exception and "_reports_made" not in at.session_state  # the old reports went with the old data
