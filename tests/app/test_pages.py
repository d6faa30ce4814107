"""AppTest for every page: sample data, an upload with a hidden group, a file that fails."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from openpyxl import Workbook
from streamlit.testing.v1 import AppTest

from learn_core.analysis import analyse
from learn_core.i18n import fmt_int, fmt_number
from learn_core.reading import read_survey
from learn_core.samples import SAMPLE_XLSX, sample_bytes
from tests.conftest import ITEM_IDS

PAGES = [
    "pages/daten.py",
    "pages/ueberblick.py",
    "pages/abteilungsvergleich.py",
    "pages/ansatzpunkte.py",
    "pages/details.py",
    "pages/massnahmen.py",
    "pages/verlauf.py",
    "pages/live_workshop.py",
    "pages/methodik.py",
    "pages/barrierefreiheit.py",
]
TIMEOUT = 60
ROOT = Path(__file__).resolve().parents[2]


def _dataset(name: str, data: bytes) -> dict:
    return {"name": name, "data": data, "frame": None, "source": "upload", "digest": hashlib.sha256(data).hexdigest()}


def _app(dataset: dict | None = None, lang: str = "de", presentation: bool = False) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.run()
    if dataset is not None:
        at.session_state["dataset"] = dataset
    at.session_state["lang"] = lang
    at.session_state["presentation"] = presentation
    return at


def _texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [m.value for m in at.caption] + [m.value for m in at.info]
    parts += [m.value for m in at.warning] + [m.value for m in at.error] + [m.value for m in at.title]
    parts += [f"{m.label} {m.value}" for m in at.metric] + [m.value for m in at.subheader]
    return "\n".join(str(p) for p in parts)


def _hostile_workbook() -> bytes:
    """An upload with a group below k and a group name that is Markdown and a formula."""
    wb = Workbook()
    ws = wb.active
    ws.append(["Abteilung", *ITEM_IDS])
    groups = ["Bauamt"] * 8 + ["Jugendamt"] * 7 + ["=HACK()*[x](http://evil)"] * 2 + ["Kämmerei"] * 9
    for i, g in enumerate(groups):
        ws.append([g] + [1 + (i + j) % 5 for j in range(24)])
        ws.cell(ws.max_row, 1).data_type = "s"  # text, not a formula
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_start_page_without_data():
    at = _app()
    at.run()
    assert not at.exception
    assert at.title[0].value == "Daten"
    assert any("Beispieldaten laden" == b.label for b in at.button)


def test_sample_button_loads_data():
    at = _app()
    at.run()
    next(b for b in at.button if b.label == "Beispieldaten laden").click().run()
    assert not at.exception
    assert at.session_state["dataset"]["source"] == "sample"
    assert "Antwortende" in _texts(at)


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("lang", ["de", "en"])
def test_every_page_with_sample_data(page, lang):
    at = _app(_dataset("beispielstadt.xlsx", sample_bytes()), lang=lang)
    at.switch_page(page).run()
    assert not at.exception, at.exception


def test_overview_numbers_match_the_cli():
    result = analyse(read_survey(SAMPLE_XLSX), 5).result.to_json()
    at = _app(_dataset("beispielstadt.xlsx", sample_bytes()))
    at.switch_page("pages/ueberblick.py").run()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["LEARN-Index (0–100)"] == fmt_number(result["organisation"]["index"], 1, "de")
    assert metrics["Antwortende"] == fmt_int(result["organisation"]["n"], "de")
    assert metrics["Führung"] == fmt_number(result["organisation"]["dimensions"]["fuehrung"]["score"], 1, "de")


def test_presentation_mode_runs():
    at = _app(_dataset("beispielstadt.xlsx", sample_bytes()), presentation=True)
    at.switch_page("pages/ueberblick.py").run()
    assert not at.exception


def test_upload_with_hidden_and_hostile_group():
    data = _hostile_workbook()
    at = _app(_dataset("umfrage.xlsx", data))
    at.switch_page("pages/abteilungsvergleich.py").run()
    assert not at.exception
    text = _texts(at)
    # the hidden group is named as text (escaped), never with figures
    assert "ausgeblendet (weniger als 5 Antworten)" in text
    assert "=HACK\\(\\)\\*\\[x\\]\\(http://evil\\): ausgeblendet (weniger als 5 Antworten)" in text
    assert "Jugendamt: ausgeblendet (zum Schutz kleiner Gruppen" in text
    frames = [df.value for df in at.dataframe]
    for frame in frames:
        assert not frame.astype(str).apply(lambda c: c.str.contains("HACK")).any().any()


def test_file_that_fails_shows_one_clear_sentence():
    at = _app(_dataset("kaputt.xlsx", b"PK\x03\x04 not really a workbook"))
    at.run()
    assert not at.exception
    assert at.error and "Excel" in at.error[0].value
    at.switch_page("pages/ueberblick.py").run()
    assert not at.exception and at.error


@pytest.mark.parametrize("page", PAGES[1:5])
def test_analysis_pages_without_data_point_to_the_data_page(page):
    at = _app()
    at.switch_page(page).run()
    assert not at.exception
    assert "Noch keine Daten" in _texts(at)


def _download_labels(at: AppTest) -> list[str]:
    return [d.proto.label for d in at.get("download_button")]


@pytest.mark.parametrize("page", ["pages/ueberblick.py", "pages/abteilungsvergleich.py", "pages/massnahmen.py"])
def test_report_downloads_on_the_result_pages(page):
    at = _app(_dataset("beispielstadt.xlsx", sample_bytes()))
    at.switch_page(page).run()
    assert not at.exception
    labels = _download_labels(at)
    assert "PDF-Bericht" in labels and "Excel-Bericht" in labels


def test_every_chart_has_png_and_svg_downloads():
    at = _app(_dataset("beispielstadt.xlsx", sample_bytes()))
    at.switch_page("pages/ueberblick.py").run()
    labels = _download_labels(at)
    assert labels.count("PNG") == labels.count("SVG") == 1  # the one radar chart


def _charts(node) -> list:
    """Every Vega-Lite chart element in the page tree."""
    found = []
    for child in (node.children.values() if isinstance(getattr(node, "children", None), dict) else []):
        if getattr(child, "type", "") == "vega_lite_chart":
            found.append(child)
        found += _charts(child)
    return found


@pytest.mark.parametrize(("lang", "words"), [("de", "Motivation: Wert (0–100) 64,9"), ("en", "Motivation: Score (0–100) 64.9")])
def test_a_screen_reader_gets_the_values_of_every_chart(lang, words):
    """WCAG 1.1.1: the chart's text alternative holds its values, not only a title."""
    at = _app(_dataset("beispielstadt.xlsx", sample_bytes()), lang=lang)
    at.switch_page("pages/ueberblick.py").run()
    charts = _charts(at._tree)
    assert charts and all(c.proto.alt for c in charts)
    assert words in charts[0].proto.alt


def test_blank_template_download_on_the_data_page():
    at = _app()
    at.run()
    assert "Leere Vorlage herunterladen" in _download_labels(at)


def test_comparison_page_switches_between_heatmap_and_radar():
    at = _app(_dataset("beispielstadt.xlsx", sample_bytes()))
    at.switch_page("pages/abteilungsvergleich.py").run()
    assert not at.exception
    assert [s.value for s in at.subheader][0] == "Abteilungen im Vergleich zur Gesamtverwaltung"
    assert not at.multiselect  # the radar view is not built until chosen
    at.button_group(key="vergleich_view").set_value("radar").run()
    assert not at.exception
    assert at.subheader[0].value == "Abteilungen im Netzdiagramm"
    assert at.multiselect(key="vergleich_groups").value == ["Bauamt", "Bürgeramt"]
    # emptied, the box shows its placeholder: ours, not Streamlit's English "Choose options"
    assert at.multiselect(key="vergleich_groups").proto.placeholder == "Abteilungen auswählen"


def test_report_name_is_asked_once_and_kept_across_pages():
    at = _app(_dataset("export_final_v3.xlsx", sample_bytes()))
    at.switch_page("pages/ueberblick.py").run()
    box = at.text_input(key="_w_report_organisation")
    assert box.label == "Name der Verwaltung im Bericht"
    box.input("Stadt Musterhausen").run()
    assert at.session_state["report_organisation"] == "Stadt Musterhausen"
    at.switch_page("pages/massnahmen.py").run()
    assert not at.exception
    assert at.text_input(key="_w_report_organisation").value == "Stadt Musterhausen"


# --------------------------------------------------------------------------- the manager's journey (issue 14)


def test_sidebar_says_what_is_loaded_and_points_on():
    # AppTest renders the sidebar on the first run only: the data is there before it
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.session_state["dataset"] = _dataset("beispielstadt.xlsx", sample_bytes())
    at.run()
    captions = [c.value for c in at.sidebar.caption]
    assert any(r"Geladen: beispielstadt\.xlsx – 177 Antwortende" in c for c in captions), captions
    assert not any("Noch keine Daten" in c for c in captions)
    links = [e.proto.label for e in at.get("page_link")]
    assert "Weiter zum Überblick" in links


def test_the_action_plan_survives_every_page_change():
    from learn_core.actionplan import add_measures, apply_edits, empty_plan
    from learn_core.recommendations import catalogue

    at = _app(_dataset("beispielstadt.xlsx", sample_bytes()))
    at.switch_page("pages/massnahmen.py").run()
    plan = apply_edits(add_measures(empty_plan(), list(catalogue()[:2])),
                       {"edited_rows": {0: {"Verantwortlich": "Frau Schmidt", "Status": "Do"}}})
    at.session_state["action_plan"] = plan  # what the editor's change callback stores
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception, page
    at.switch_page("pages/massnahmen.py").run()
    kept = at.session_state["action_plan"]
    assert list(kept["Verantwortlich"])[:1] == ["Frau Schmidt"] and list(kept["Status"])[:1] == ["Do"]
    assert "Sichern Sie ihn als Datei" in _texts(at)  # the page says what a reload loses


PERSONALRAT = "Personalrat beteiligen: Die Maßnahme berührt die Mitbestimmung; beziehen Sie den Personalrat ein, bevor Sie beginnen."


@pytest.mark.parametrize(("lang", "words"), [
    ("de", ["**Verantwortlich:** Führungskraft des Teams", "**Kosten:** gering, aus laufenden Mitteln",
            "**Erstes Ergebnis:** nach wenigen Wochen", "**Erfolgsindikator:** Zahl der Karten",
            f"**Vor dem Start:** {PERSONALRAT}"]),
    ("en", ["**Owner:** Team manager", "**Costs:** low, from current funds", "**First result:** within a few weeks",
            "**Success indicator:** Number of cards",
            "**Before you start:** Involve the staff council: the measure touches co-determination"]),
])
def test_each_measure_says_who_what_it_costs_when_and_what_to_settle(lang, words):
    # the sample's organisation gets FUE-04 (a KVP board, codetermination = true)
    at = _app(_dataset("beispielstadt.xlsx", sample_bytes()), lang=lang)
    at.switch_page("pages/massnahmen.py").run()
    assert not at.exception
    from learn_core.recommendations import catalogue

    title = next(r.title(lang) for r in catalogue() if r.id == "FUE-04")
    card = next(m.value for m in at.markdown if m.value.startswith(f"**{title}**"))
    for word in words:
        assert word in card, word


def test_measures_can_be_arranged_by_the_four_action_areas():
    at = _app(_dataset("beispielstadt.xlsx", sample_bytes()))
    at.switch_page("pages/massnahmen.py").run()
    assert "Strategie" not in [s.value for s in at.subheader]
    at.button_group(key="massnahmen_arrange").set_value("area").run()
    assert not at.exception
    heads = [s.value for s in at.subheader]
    assert heads[:4] == ["Strategie", "Qualifizierung", "Führung & Change", "Dialog mit Bürger:innen"]
    cards = [m.value for m in at.markdown if m.value.startswith("**") and "Verantwortlich:" in m.value]
    assert len(cards) == 17  # every matched measure once, none lost by the grouping


def test_picking_a_measure_fills_owner_and_indicator_in_the_plan():
    at = _app(_dataset("beispielstadt.xlsx", sample_bytes()))
    at.switch_page("pages/massnahmen.py").run()
    at.checkbox(key="pick_FUE-04").check().run()
    next(b for b in at.button if b.label == "Ausgewählte in den Maßnahmenplan").click().run()
    assert not at.exception
    plan = at.session_state["action_plan"]
    row = plan[plan["ID"] == "FUE-04"].iloc[0]
    assert row["Verantwortlich"] == "Führungskraft des Teams"
    assert row["Erfolgsindikator"].startswith("Zahl der Karten") and "F1, L2, L7" in row["Erfolgsindikator"]


def _restore_script():
    import streamlit as st

    from learn_core.reading.workstate_file import read_work_state
    from pages.shell.state import init_state, restore

    init_state()
    if st.session_state.get("file") is not None and not st.session_state.get("done"):
        st.session_state["done"] = True
        restore(read_work_state(st.session_state["file"]))


def test_a_loaded_working_state_restores_plan_settings_and_file():
    from learn_core.actionplan import add_measures, empty_plan
    from learn_core.recommendations import catalogue
    from learn_core.workstate import WorkState, dumps

    state = WorkState(lang="en", min_group_size=6, column_map={"Frage": "M1"}, report_organisation="Stadt X",
                      plan=add_measures(empty_plan(), list(catalogue()[:3])),
                      dataset=("beispielstadt.xlsx", sample_bytes()), within=("Standort", "Rathaus"))
    at = AppTest.from_function(_restore_script, default_timeout=TIMEOUT)
    at.session_state["file"] = dumps(state)
    at.run()
    assert not at.exception
    ss = at.session_state
    assert (ss["lang"], ss["min_group_size"], ss["column_map"], ss["report_organisation"]) == \
        ("en", 6, {"Frage": "M1"}, "Stadt X")
    assert list(ss["action_plan"]["ID"]) == [r.id for r in catalogue()[:3]]
    assert ss["dataset"]["name"] == "beispielstadt.xlsx" and ss["dataset"]["data"] == sample_bytes()
    assert ss["plan_editor_version"] == 1  # the plan editor starts from the loaded plan
    assert tuple(ss["within"]) == ("Standort", "Rathaus")  # the filter too (loading the file did not reset it)


def test_no_mapping_controls_when_every_statement_was_found():
    """Issue 14.4: 24 of 24 recognised: one line, no dropdowns."""
    at = _app(_dataset("beispielstadt.xlsx", sample_bytes()))
    at.run()
    assert not at.exception
    assert not [s for s in at.selectbox if str(s.key).startswith("_map_")]
    assert "Alle 24 Aussagen wurden in den Spalten erkannt" in _texts(at)


def test_mapping_offers_only_the_missing_statements_with_their_text():
    """An unrecognised column gets the statements still missing, each with its text."""
    wb = Workbook()
    ws = wb.active
    ws.append(["Abteilung", "Frage eins", *ITEM_IDS[1:]])
    for i in range(12):
        ws.append(["Bauamt", *[1 + (i + j) % 5 for j in range(24)]])
    buf = io.BytesIO()
    wb.save(buf)
    at = _app(_dataset("eigene.xlsx", buf.getvalue()))
    at.run()
    assert not at.exception
    box = next(s for s in at.selectbox if s.key == "_map_Frage eins")
    assert box.options[1].startswith(f"{ITEM_IDS[0]} – ") and len(box.options) == 2
    box.select_index(1).run()
    assert at.session_state["column_map"] == {"Frage eins": ITEM_IDS[0]}


def _v2_csv() -> bytes:
    from learn_core.instrument import instrument_version

    ids = instrument_version("2.0").item_ids
    groups = ["Bauamt"] * 8 + ["Kämmerei"] * 8
    rows = [["Abteilung", *ids]] + [[g, *[1 + (i + j) % 5 for j in range(24)]] for i, g in enumerate(groups)]
    return "\n".join(";".join(map(str, r)) for r in rows).encode("utf-8")


@pytest.mark.parametrize("page", PAGES)
def test_a_version_2_export_fills_every_page(page):
    """Issue 20.2: the dashboard reads a version-2 file with version 2 and
    every page shows it (statements and dimensions of that version)."""
    at = _app(_dataset("welle-v2.csv", _v2_csv()))
    at.switch_page(page).run()
    assert not at.exception, page
    if page == "pages/daten.py":
        assert "Alle 24 Aussagen wurden in den Spalten erkannt" in _texts(at)


@pytest.mark.parametrize(("lang", "heading"), [("de", "Stand der Vereinbarkeit"), ("en", "Compliance status")])
def test_the_accessibility_statement_page(lang, heading):
    """Issue 19.5: the statement with the fields the BITV asks for; an unset
    contact names the setting that fills it."""
    at = _app(lang=lang)
    at.switch_page("pages/barrierefreiheit.py").run()
    assert not at.exception
    text = _texts(at)
    assert heading in text and "LEARN_ACCESSIBILITY_CONTACT" in text and "LEARN_ACCESSIBILITY_ENFORCEMENT" in text


def _role_csv(leaders_per_department: int) -> bytes:
    """Five departments of 8, each with ``leaders_per_department`` rows Führungskraft = ja."""
    lines = [";".join(["Abteilung", "Führungskraft", *ITEM_IDS])]
    for d, dept in enumerate(["Bauamt", "Jugendamt", "Kämmerei", "Ordnungsamt", "Schulamt"]):
        for i in range(8):
            role = "ja" if i < leaders_per_department else "nein"
            lines.append(";".join([dept, role, *[str(1 + (i + j + d) % 5) for j in range(24)]]))
    return ("\n".join(lines) + "\n").encode("utf-8")


def test_role_column_gives_the_gap_and_departments_their_band():
    at = _app(_dataset("rollen.csv", _role_csv(2)))
    at.switch_page("pages/ansatzpunkte.py").run()
    assert not at.exception
    assert "Führungskräfte und Mitarbeitende im Vergleich" in _texts(at)
    gap = next(df.value for df in at.dataframe if "Abstand (Punkte)" in df.value.columns)
    assert list(gap["Führungskräfte"].str.contains("n = 10")) == [True] * 4  # 5 × 2 leaders, the organisation's
    at.switch_page("pages/abteilungsvergleich.py").run()
    assert not at.exception
    bands = next(df.value for df in at.dataframe if "LEARN-Index" in df.value.columns
                 and "Antworten (n)" not in df.value.columns)
    assert set(bands["Abteilung"]) == {"Bauamt", "Jugendamt", "Kämmerei", "Ordnungsamt", "Schulamt"}
    assert set(bands.drop(columns="Abteilung").to_numpy().ravel()) <= {"oberes Drittel", "Mitte", "unteres Drittel"}
    at.switch_page("pages/ueberblick.py").run()
    assert "Aggregatdatei herunterladen (JSON)" in _download_labels(at)


def test_too_few_leaders_show_no_gap_figure():
    at = _app(_dataset("rollen.csv", _role_csv(0)))  # nobody is a leader: not a role column with two sides
    at.switch_page("pages/ansatzpunkte.py").run()
    assert not at.exception
    assert "Keine Spalte zur Führungsrolle erkannt" in _texts(at)
    at = _app(_dataset("rollen.csv", _role_csv(1)))  # 5 leaders = k: shown; with k = 6 hidden
    at.session_state["min_group_size"] = 6
    at.switch_page("pages/ansatzpunkte.py").run()
    assert not at.exception
    gap = next(df.value for df in at.dataframe if "Abstand (Punkte)" in df.value.columns)
    assert set(gap["Führungskräfte"]) == {"–"}
    assert gap["95-%-Vertrauensbereich"].str.startswith("verborgen").all()


def test_the_method_page_opened_first_describes_the_questionnaire_of_the_loaded_data():
    version = read_survey(SAMPLE_XLSX).instrument.version
    at = _app(_dataset("beispielstadt.xlsx", sample_bytes()), lang="en")
    at.switch_page("pages/methodik.py").run()  # straight after loading, no other page visited
    assert not at.exception
    assert f'The questionnaire "LEARN self-check" (version {version}) asks 24 statements' in _texts(at)
    empty = _app(lang="en")
    empty.switch_page("pages/methodik.py").run()
    assert '(version 2.0) asks 24 statements' in _texts(empty)  # no data: the built-in default
