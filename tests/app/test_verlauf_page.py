"""AppTest of the Verlauf page: waves set in the session state (uploads cannot
be driven by AppTest), figures equal to the CLI, privacy across waves,
ordering, naming, the PDCA view."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook
from streamlit.testing.v1 import AppTest

from learn_core.cli import main
from learn_core.i18n import fmt_number
from learn_core.instrument import default_instrument
from learn_core.samples import sample_bytes
from tests.analysis.test_waves import (
    DEPARTMENTS,
    forms_workbook,
    german_csv,
    improved,
    wave_answers,
)
from tests.conftest import ITEM_IDS

ROOT = Path(__file__).resolve().parents[2]
PAGE = "pages/verlauf.py"
TIMEOUT = 60


def wave(label: str, name: str, data: bytes) -> dict:
    return {"id": hashlib.sha256(data).hexdigest()[:16], "name": name, "label": label, "data": data}


def page(waves: list[dict] | None = None, lang: str = "de", **state) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.run()
    at.session_state["lang"] = lang
    for key, value in state.items():
        at.session_state[key] = value
    if waves is not None:
        at.session_state["verlauf_waves"] = waves
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [m.value for m in at.caption] + [m.value for m in at.info]
    parts += [m.value for m in at.warning] + [m.value for m in at.error] + [m.value for m in at.subheader]
    return "\n".join(str(p) for p in parts)


def unescape(text: str) -> str:
    return text.replace("\\", "")


def grouped_xlsx(counts: dict[str, int], value: int) -> bytes:
    """Item-ID headers, every respondent answering ``value`` (reverse items 6 − value)."""
    wb = Workbook()
    ws = wb.active
    ws.append(["Abteilung", *ITEM_IDS])
    for group, n in counts.items():
        for _ in range(n):
            ws.append([group, *(6 - value if i.endswith("6") else value for i in ITEM_IDS)])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.fixture(scope="module")
def layout_waves(tmp_path_factory) -> tuple[list[dict], dict]:
    """A Microsoft Forms workbook and a German CSV of the same answers plus a change, and the CLI's JSON."""
    values, groups = wave_answers()
    before, after = forms_workbook(values, groups), german_csv(improved(values), groups)
    folder = tmp_path_factory.mktemp("seite")
    (folder / "Herbst 2025.xlsx").write_bytes(before)
    (folder / "Herbst 2026.csv").write_bytes(after)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["compare", str(folder / "Herbst 2025.xlsx"), str(folder / "Herbst 2026.csv")]) == 0
    waves = [wave("Herbst 2025", "Herbst 2025.xlsx", before), wave("Herbst 2026", "Herbst 2026.csv", after)]
    return waves, json.loads(out.getvalue())


def test_without_waves_the_page_asks_for_two():
    at = page()
    assert at.title[0].value == "Verlauf"
    assert "Laden Sie mindestens zwei Wellen" in texts(at)


@pytest.mark.parametrize("lang", ["de", "en"])
def test_forms_workbook_and_german_csv_show_the_cli_figures(layout_waves, lang):
    waves, result = layout_waves
    at = page([dict(w) for w in waves], lang)
    metrics = {m.label: m for m in at.metric}
    names = [d.name(lang) for d in default_instrument().dimensions]
    for name, key in zip(names, ["motivation", "fuehrung", "kompetenz", "lernerfolg"], strict=True):
        d = result["dimensions"][key]
        assert metrics[name].value == fmt_number(d["after"], 1, lang)
    lead = result["dimensions"]["fuehrung"]
    word = "Punkte" if lang == "de" else "points"
    assert metrics[names[1]].delta == f"+{fmt_number(lead['delta'], 1, lang)} {word}"
    text = unescape(texts(at))
    if lang == "de":
        assert "Führung: deutlich verbessert" in text and "Motivation: keine nachweisbare Veränderung" in text
    else:
        assert f"{names[1]}: clearly improved" in text and f"{names[0]}: no demonstrable change" in text
    whole = "Gesamte Verwaltung" if lang == "de" else "Whole administration"
    assert at.selectbox(key="verlauf_group").options == [whole, *sorted(DEPARTMENTS)]
    # the option None reads as no choice: without the placeholder the box said "Choose an option"
    assert at.selectbox(key="verlauf_group").proto.placeholder == whole
    changes = at.dataframe[0].value
    assert sorted(changes.iloc[:, 0]) == sorted(DEPARTMENTS)
    assert [t.value for t in at.text_input] == ["Herbst 2025", "Herbst 2026"]


def chart_data(at: AppTest) -> list[pd.DataFrame]:
    """Per chart on the page its data table with the scores (Streamlit sends the data as Arrow)."""
    import pyarrow as pa

    out = []
    for chart in at.get("vega_lite_chart"):
        frames = [pa.ipc.open_stream(d.data.data).read_pandas() for d in chart.proto.datasets]
        out.append(next(f for f in frames if {"score", "series"} & set(f.columns)))
    return out


def test_line_chart_filtered_by_department_and_radar_of_first_and_last(layout_waves):
    waves, result = layout_waves
    at = page([dict(w) for w in waves])
    line, radar = chart_data(at)
    org = result["series"]["organisation"]
    assert line[(line["wave"] == "Herbst 2026") & (line["dimension"] == "Führung")]["score_text"].tolist() == [
        fmt_number(org[1]["scores"]["fuehrung"], 1, "de")]
    assert set(radar["series"]) == {"Herbst 2025", "Herbst 2026"}
    at.selectbox(key="verlauf_group").set_value("Kämmerei").run()
    assert not at.exception
    line, _ = chart_data(at)
    own = result["series"]["groups"]["Kämmerei"]
    for i, point in enumerate(own):
        got = line[line["order"] == i].set_index("dimension")["score"]
        assert got["Führung"] == pytest.approx(point["scores"]["fuehrung"], abs=1e-9)
        assert got["Motivation"] == pytest.approx(point["scores"]["motivation"], abs=1e-9)


def test_a_group_hidden_in_one_wave_shows_no_figures():
    # wave 2: Amt Gamma (3) is below k = 5 and Amt Alpha is hidden to protect it
    w1 = grouped_xlsx({"Amt Alpha": 6, "Amt Beta": 6, "Amt Gamma": 6}, 3)
    w2 = grouped_xlsx({"Amt Alpha": 6, "Amt Beta": 6, "Amt Gamma": 3}, 4)
    at = page([wave("2025", "a.xlsx", w1), wave("2026", "b.xlsx", w2)])
    assert at.selectbox(key="verlauf_group").options == ["Gesamte Verwaltung", "Amt Beta"]
    for frame in at.dataframe:
        assert not frame.value.astype(str).apply(lambda c: c.str.contains("Alpha|Gamma")).any().any()
    text = unescape(texts(at))
    assert "- Amt Alpha: nicht in jeder Welle ausgewiesen – ohne Zahlen" in text
    assert "- Amt Gamma: nicht in jeder Welle ausgewiesen – ohne Zahlen" in text


def test_add_the_current_data_once_then_order_and_rename():
    at = page(dataset={"name": "beispielstadt.xlsx", "data": sample_bytes(), "frame": None, "source": "sample",
                       "digest": hashlib.sha256(sample_bytes()).hexdigest()})
    add = next(b for b in at.button if b.label == "Aktuell geladene Daten als Welle hinzufügen")
    add.click().run()
    assert [w["label"] for w in at.session_state["verlauf_waves"]] == ["beispielstadt"]
    next(b for b in at.button if b.label == "Aktuell geladene Daten als Welle hinzufügen").click().run()
    assert len(at.session_state["verlauf_waves"]) == 1
    assert "schon als Welle geladen" in texts(at)

    later = grouped_xlsx({"Bauamt": 8, "Kämmerei": 8}, 5)
    waves = list(at.session_state["verlauf_waves"]) + [wave("Herbst 2026", "neu.xlsx", later)]
    at.session_state["verlauf_waves"] = waves
    at.run()
    assert at.metric[0].delta.startswith("+")
    first_id = waves[0]["id"]
    at.button(key=f"verlauf_down_{first_id}").click().run()
    assert [w["label"] for w in at.session_state["verlauf_waves"]] == ["Herbst 2026", "beispielstadt"]
    assert at.metric[0].delta.startswith("-")
    at.text_input(key=f"verlauf_label_{first_id}").set_value("Herbst 2025").run()
    assert [w["label"] for w in at.session_state["verlauf_waves"]] == ["Herbst 2026", "Herbst 2025"]
    assert "(„Herbst 2025“)" in unescape(texts(at))
    at.button(key=f"verlauf_rm_{first_id}").click().run()
    assert len(at.session_state["verlauf_waves"]) == 1 and "mindestens zwei Wellen" in texts(at)


def test_pdca_view_puts_the_session_plan_beside_the_change(layout_waves):
    waves, result = layout_waves
    plan = pd.DataFrame({"ID": ["F-1"], "Maßnahme": ["Regelmäßige Feedbackgespräche"], "Dimension": ["fuehrung"],
                         "Verantwortlich": ["Amtsleitung"], "Fällig bis": [pd.Timestamp("2026-06-30")],
                         "Status": ["Check"], "Notiz": [""]})
    at = page([dict(w) for w in waves], action_plan=plan)
    table = next(df.value for df in at.dataframe if "Maßnahme" in df.value.columns)
    row = table.iloc[0]
    assert row["Maßnahme"] == "Regelmäßige Feedbackgespräche" and row["PDCA-Status"] == "Check"
    assert row["Veränderung (Punkte)"] == "+" + fmt_number(result["dimensions"]["fuehrung"]["delta"], 1, "de")
    assert row["Bewertung"] == "deutlich verbessert" and row["Fällig bis"] == "30.06.2026"


def test_items_missing_in_one_wave_are_named():
    full = grouped_xlsx({"Bauamt": 6}, 3)
    wb = Workbook()
    ws = wb.active
    kept = [i for i in ITEM_IDS if i not in ("K4", "K5", "K6")]
    ws.append(["Abteilung", *kept])
    for _ in range(6):
        ws.append(["Bauamt", *(2 if i.endswith("6") else 4 for i in kept)])
    buf = io.BytesIO()
    wb.save(buf)
    at = page([wave("alt", "alt.xlsx", full), wave("neu", "neu.xlsx", buf.getvalue())])
    warnings = unescape(" ".join(w.value for w in at.warning))
    assert "Welle „neu“: Diese Items fehlen: K4, K5, K6." in warnings
    assert "Kompetenz wird nicht verglichen" in warnings
    competence = next(m for m in at.metric if m.label == "Kompetenz")
    assert competence.value == "–" and not competence.delta


def test_an_unusable_wave_is_removed_with_one_sentence():
    at = page([wave("a", "kaputt.xlsx", b"PK\x03\x04 not a workbook"), wave("b", "b.xlsx", grouped_xlsx({"A": 5}, 3))])
    assert at.error and "kaputt.xlsx" in unescape(at.error[0].value)
    assert len(at.session_state["verlauf_waves"]) == 1


def test_presentation_mode_in_english(layout_waves):
    waves, _ = layout_waves
    at = page([dict(w) for w in waves], "en", presentation=True)
    assert at.title[0].value == "Progress"


def test_the_demo_has_two_sample_waves_and_shows_the_change():
    at = page()
    next(b for b in at.button if b.label == "Beispiel: Befragungen 2025 und 2026 laden").click().run()
    assert not at.exception
    assert [w["label"] for w in at.session_state["verlauf_waves"]] == ["Herbst 2025", "Herbst 2026"]
    shown = texts(at)
    assert "Lernerfolg" in shown and "Herbst 2025" in shown
    assert at.get("vega_lite_chart")  # the line chart of the change is drawn
