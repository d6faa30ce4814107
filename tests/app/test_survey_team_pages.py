"""AppTest: participation (Überblick, Abteilungsvergleich) and the page Ansatzpunkte (issue 16)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from learn_core.samples import sample_bytes, sample_headcounts

ROOT = Path(__file__).resolve().parents[2]


def _app(headcounts: dict | None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    data = sample_bytes()
    at.session_state["dataset"] = {"name": "beispielstadt.xlsx", "data": data, "frame": None, "source": "upload",
                                   "digest": hashlib.sha256(data).hexdigest()}
    if headcounts is not None:
        at.session_state["headcounts"] = headcounts
    return at


def test_overview_shows_the_rate_and_no_figure_of_hidden_groups():
    at = _app(sample_headcounts())
    at.switch_page("pages/ueberblick.py").run()
    assert not at.exception
    # 177 of 276 = 64.1 %
    assert any("64\u202f% haben teilgenommen (177 von 276 Beschäftigten)." in s.value for s in at.success)
    table = next(d.value for d in at.dataframe if "Beteiligung (%)" in d.value.columns)
    rows = table.set_index("Abteilung")
    assert rows.loc["Ordnungsamt", "Beteiligung (%)"] == 44.4  # 20 of 45
    assert "womöglich nicht repräsentativ" in rows.loc["Ordnungsamt", "Hinweis"]
    for hidden in ("Stabsstelle Gleichstellung", "Kultur und Bildung"):
        assert pd.isna(rows.loc[hidden, "Antworten"]) and pd.isna(rows.loc[hidden, "Beteiligung (%)"])
    assert pd.isna(rows.loc["Stabsstelle Gleichstellung", "Beschäftigte"])  # headcount 4 < k
    assert rows.loc["Kultur und Bildung", "Beschäftigte"] == 30


def test_without_headcounts_the_editor_applies_typed_counts():
    at = _app(None)
    at.switch_page("pages/ueberblick.py").run()
    assert not at.exception
    assert any("Noch keine Kopfzahlen" in c.value for c in at.caption)
    at.session_state["headcounts"] = {"Bauamt": 26}
    next(b for b in at.button if b.label == "Kopfzahlen übernehmen").click().run()
    assert not at.exception
    # the editor shows the saved count; applying it keeps it, the overall rate waits for every department
    assert at.session_state["headcounts"] == {"Bauamt": 26}
    assert any("für eine Gesamtquote fehlen Kopfzahlen" in w.value for w in at.warning)


def test_comparison_page_shows_the_rate():
    at = _app(sample_headcounts())
    at.switch_page("pages/abteilungsvergleich.py").run()
    assert not at.exception
    assert any("177 von 276" in s.value for s in at.success)


def test_ansatzpunkte_shows_both_matrices_and_the_priorities():
    at = _app(None)
    at.switch_page("pages/ansatzpunkte.py").run()
    assert not at.exception
    assert [s.value for s in at.subheader][:3] == ["Prioritätenmatrix der Voraussetzungen",
                                                   "Prioritätenmatrix der Aussagen", "Treiber im Einzelnen"]
    assert any("177 Personen mit allen vier Werten" in c.value for c in at.caption)
    drivers = next(d.value for d in at.dataframe if "β" in d.value.columns).set_index("Dimension")
    assert drivers.loc["Führung", "Priorität"] == "hier zuerst ansetzen"
    assert drivers.loc["Motivation", "Priorität"] == ""
    items = next(d.value for d in at.dataframe if "Passende Maßnahmen" in d.value.columns)
    assert list(items["ID"]) == ["M5", "M2", "F4", "F6 ↺", "K4", "K6 ↺"]  # ↺: worded negatively
    assert items.set_index("ID").loc["K4", "Passende Maßnahmen"].startswith("KOM-03 ")


def _small_upload(n: int, texts: list[str | None] | None = None) -> AppTest:
    """The app with an upload of ``n`` Bauamt rows (answers varied), with a column Kommentar when ``texts`` are given."""
    import io

    from openpyxl import Workbook

    from tests.conftest import ITEM_IDS

    wb = Workbook()
    ws = wb.active
    ws.append(["Abteilung", *ITEM_IDS, *(["Kommentar"] if texts is not None else [])])
    for i in range(n):
        ws.append(["Bauamt"] + [1 + (i + j) % 5 for j in range(24)] + ([texts[i]] if texts is not None else []))
    buf = io.BytesIO()
    wb.save(buf)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    data = buf.getvalue()
    at.session_state["dataset"] = {"name": "klein.xlsx", "data": data, "frame": None, "source": "upload",
                                   "digest": hashlib.sha256(data).hexdigest()}
    return at


def test_ansatzpunkte_below_the_minimum_says_why():
    at = _small_upload(12)
    at.switch_page("pages/ansatzpunkte.py").run()
    assert not at.exception
    assert any("Keine Treiberanalyse: 12 Personen mit allen vier Werten, nötig sind mindestens 30." in i.value
               for i in at.info)


def test_new_headcounts_do_not_read_the_file_again(monkeypatch):
    """Headcounts only add the participation: the survey is read and scored once."""
    import pages.shell.cache as cache

    calls = []
    original = cache.analyse_upload
    monkeypatch.setattr(cache, "analyse_upload", lambda **kw: calls.append(kw["name"]) or original(**kw))
    at = _app(None)
    at.switch_page("pages/ueberblick.py").run()
    assert not at.exception and len(calls) == 1
    at.session_state["headcounts"] = sample_headcounts()
    at.run()
    assert not at.exception and len(calls) == 1
    assert any("haben teilgenommen (177 von 276 Beschäftigten)" in s.value for s in at.success)


def _comment_lines(at: AppTest) -> list[str]:
    block = next(m.value for m in at.markdown if m.value.startswith("- "))
    return block.split("\n")


def test_ansatzpunkte_shows_the_comments_of_the_organisation_and_the_groups_allowed():
    at = _app(None)
    at.switch_page("pages/ansatzpunkte.py").run()
    assert not at.exception
    assert "Offene Kommentare" in [s.value for s in at.subheader]
    choice = at.selectbox(key="ansatzpunkte_comments")
    # the organisation first, then the 7 reported departments (all ≥ 10); not Kultur und Bildung
    # (hidden to protect the Stabsstelle) nor the Stabsstelle (3)
    labels = list(choice.options)  # as shown (formatted)
    assert labels == ["Ganze Organisation (ohne Gruppen)", "Bauamt", "Bürgeramt", "IT und Digitalisierung", "Jugendamt",
                      "Kämmerei", "Ordnungsamt", "Personal und Organisation"]
    assert any(c.value == "61 Kommentare von 177 Antwortenden." for c in at.caption)
    assert len(_comment_lines(at)) == 61
    assert any("Kultur und Bildung (in der Auswertung ausgeblendet)" in c.value for c in at.caption)
    choice.set_value(labels.index("Bauamt")).run()
    assert not at.exception and len(_comment_lines(at)) == 18
    assert any(c.value == "18 Kommentare von 26 Antwortenden." for c in at.caption)
    # the frequent words only when asked, with the table alternative
    assert not any("Wort" in d.value.columns for d in at.dataframe)
    at.toggle(key="ansatzpunkte_words").set_value(True).run()
    assert not at.exception
    from learn_core.analysis.comments import word_frequencies
    from learn_core.samples import SAMPLE_CSV
    from tests.app.test_pages import _charts

    frame = pd.read_csv(SAMPLE_CSV, sep=";", encoding="utf-8-sig")
    top, count = word_frequencies(frame.loc[frame["Abteilung"] == "Bauamt", "Anmerkungen"].dropna())[0]
    charts = [c for c in _charts(at._tree) if "Kommentare" in c.proto.alt]
    assert any("Häufige Wörter" in m.value for m in at.markdown)
    assert len(charts) == 1 and f"{top}" in charts[0].proto.alt and str(count) in charts[0].proto.alt
    # the report tick is there, off by default
    assert at.checkbox(key="_w_report_comments").value is False


def test_hostile_comments_are_shown_as_text():
    texts = ["<script>alert(1)</script>", "**fett** [Link](javascript:alert(1))", "<img src=x onerror=alert(1)>",
             "$x^2$ :red[rot]"] + [f"Kommentar {i}" for i in range(8)]
    at = _small_upload(len(texts), texts)
    at.switch_page("pages/ansatzpunkte.py").run()
    assert not at.exception
    lines = _comment_lines(at)
    assert len(lines) == 12
    joined = "\n".join(lines)
    assert not re.search(r"(?<!\\)[<>*\[\]$]", joined)  # every character Markdown or HTML could use, escaped
    assert "\\<script\\>alert\\(1\\)\\</script\\>" in joined and "\\<img src=x" in joined
    assert "\\*\\*fett\\*\\* \\[Link\\]\\(javascript:alert\\(1\\)\\)" in joined
    assert "\\$x^2\\$ :red\\[rot\\]" in joined


def test_ansatzpunkte_says_why_there_are_no_comments():
    at = _small_upload(9, [f"Kommentar {i}" for i in range(9)])  # 9 respondents < 10
    at.switch_page("pages/ansatzpunkte.py").run()
    assert not at.exception
    assert any("Keine Kommentare: Es haben weniger als 10 Personen geantwortet." in i.value for i in at.info)


def test_daten_names_the_comment_column_and_never_offers_it_as_groups():
    at = _app(None)
    at.switch_page("pages/daten.py").run()
    assert not at.exception
    assert any(c.value == "Als offene Kommentare erkannt (gezeigt auf der Seite Ansatzpunkte, je Gruppe ab 10 "
                          "Antwortenden): Anmerkungen" for c in at.caption)
    assert "Anmerkungen" not in at.selectbox(key="_group_choice").options


def test_the_comment_choice_in_english():
    at = _app(None)
    at.session_state["lang"] = "en"
    at.switch_page("pages/ansatzpunkte.py").run()
    assert not at.exception
    assert at.selectbox(key="ansatzpunkte_comments").options[0] == "Whole organisation (without groups)"
    assert any(c.value == "61 comments from 177 respondents." for c in at.caption)
    at.toggle(key="ansatzpunkte_words").set_value(True).run()  # the labels stay English after a rerun
    assert not at.exception and any("Frequent words" in m.value for m in at.markdown)


def _app_with_data_first() -> AppTest:
    """The sample loaded before the first run (AppTest renders the sidebar on the first run only)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    data = sample_bytes()
    at.session_state["dataset"] = {"name": "beispielstadt.xlsx", "data": data, "frame": None, "source": "upload",
                                   "digest": hashlib.sha256(data).hexdigest()}
    at.session_state["headcounts"] = sample_headcounts()
    at.run()
    return at


def test_the_sidebar_offers_the_further_columns_values():
    at = _app_with_data_first()
    assert not at.exception
    box = next(s for s in at.sidebar.selectbox if s.label == "Auswahl")
    assert box.options[0] == "Alle Befragten" and "Standort: Rathaus" in box.options
    assert "Führungskraft: nein" in box.options and not any(o.startswith("Abteilung:") for o in box.options)


@pytest.mark.parametrize(("lang", "label", "expected"), [("de", "Auswahl", "Alle Befragten"),
                                                        ("en", "Filter", "All respondents")])
def test_the_filter_box_says_all_respondents_not_streamlits_english_placeholder(lang, label, expected):
    """"All respondents" is the option None, which Streamlit shows as no choice
    with its placeholder: the German sidebar said "Choose an option"."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    data = sample_bytes()
    at.session_state["dataset"] = {"name": "beispielstadt.xlsx", "data": data, "frame": None, "source": "upload",
                                   "digest": hashlib.sha256(data).hexdigest()}
    at.session_state["lang"] = lang
    at.run()
    box = next(s for s in at.sidebar.selectbox if s.label == label)
    assert box.value is None and box.options[0] == expected and box.proto.placeholder == expected


def test_the_filter_shows_one_site_on_every_page():
    at = _app_with_data_first()
    at.session_state["within"] = ("Standort", "Rathaus")
    at.switch_page("pages/abteilungsvergleich.py").run()
    assert not at.exception
    # 85 respondents at the Rathaus (34 + 18 + 16 + 14 + 3); the page says it shows a part only
    assert any("Auswahl: nur „Standort: Rathaus“ (85 Antwortende)" in i.value for i in at.info)
    text = " ".join(str(m.value) for m in at.markdown) + " ".join(d.value.to_csv() for d in at.dataframe)
    assert "Bürgeramt" in text and "Bauamt" not in text  # Bauamt works at the other site
    # the comparison is with the selection, not with the whole administration
    assert "Abteilungen im Vergleich zur Auswahl „Standort: Rathaus“" in [h.value for h in at.subheader]
    assert "Gesamtverwaltung" not in text
    at.switch_page("pages/ueberblick.py").run()
    assert not at.exception and any("85 Antwortende" in i.value for i in at.info)
    assert not any("haben teilgenommen" in s.value for s in at.success)  # headcounts are whole departments


def test_the_managers_alone_show_no_department():
    at = _app_with_data_first()
    at.session_state["within"] = ("Führungskraft", "ja")  # 22 managers, no department has 5 of them
    at.switch_page("pages/abteilungsvergleich.py").run()
    assert not at.exception
    assert any("Auswahl: nur „Führungskraft: ja“ (22 Antwortende)" in i.value for i in at.info)
    analysis = at.session_state["_analysis"][1]
    assert analysis.result.groups == {} and len(analysis.result.hidden_groups) == 9


def test_a_refused_filter_is_reset():
    at = _app_with_data_first()
    at.session_state["within"] = ("Standort", "Mond")  # e.g. a working state of other data
    at.switch_page("pages/abteilungsvergleich.py").run()
    assert not at.exception
    assert at.session_state["within"] is None
    assert not any("Auswahl: nur" in i.value for i in at.info)
