"""The PDF's own charts (reports/pdfcharts.py): the colour scale and the axis
ticks by hand, and what a reader of the report finds: vector charts (no
images), their labels as text, one structure figure with its alternative
text per chart, a tall heatmap over pages with its header repeated."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from pypdf import PdfReader

from learn_core.reports.pdfcharts import diverging, heatmap, nice_ticks, priority_matrix, radar, rgb
from learn_core.reports.pdfdoc import FONT, LearnPDF


def test_rgb():
    assert rgb("#1b1f24") == (27, 31, 36)
    assert rgb("ffffff") == (255, 255, 255)


def test_diverging_scale_by_hand():
    # seven stops over -25 … +25: #b35806 at -25, #f7f7f7 at 0, #542788 at +25
    assert diverging(-25) == (0xB3, 0x58, 0x06)
    assert diverging(0) == (0xF7, 0xF7, 0xF7)
    assert diverging(25) == (0x54, 0x27, 0x88)
    assert diverging(-60) == diverging(-25) and diverging(99) == diverging(25)  # clamped
    # half-way between the first two stops (#b35806, #f1a340): -25 + 50/12
    assert diverging(-25 + 50 / 12) == (round((0xB3 + 0xF1) / 2), round((0x58 + 0xA3) / 2), round((0x06 + 0x40) / 2))


@pytest.mark.parametrize(("low", "high", "expected"), [
    (30.5, 36.5, [30, 32, 34, 36, 38]),
    (0.12, 0.58, [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]),
    (50, 65, [50, 55, 60, 65]),
    (40, 40, [39, 39.5, 40, 40.5, 41]),  # no range: one point either side, steps of 0.5
])
def test_nice_ticks_by_hand(low, high, expected):
    assert nice_ticks(low, high) == pytest.approx(expected)


def test_nice_ticks_refuse_a_missing_range():
    with pytest.raises(ValueError):
        nice_ticks(float("nan"), 3)


def _page() -> LearnPDF:
    pdf = LearnPDF("Test", "de")
    pdf.add_page()
    pdf.set_font(FONT, "", 10)
    return pdf


def _read(pdf: LearnPDF) -> PdfReader:
    return PdfReader(io.BytesIO(pdf.output_bytes()))


def _alts(reader: PdfReader) -> list[str]:
    from tests.reports.test_reports import _struct_elements

    return [str(obj.get("/Alt")) for obj in _struct_elements(reader.trailer["/Root"]) if obj.get("/Alt")]


def test_radar_draws_axes_values_and_legend_as_text():
    pdf = _page()
    labels = {"motivation": "Motivation", "fuehrung": "Führung", "kompetenz": "Kompetenz", "lernerfolg": "Lernerfolg"}
    radar(pdf, [("Gesamte Verwaltung", {"motivation": 64.9, "fuehrung": 54.7, "kompetenz": None, "lernerfolg": 47.2})],
          labels, caption="Die vier Dimensionen", alt="Radar: Motivation 64,9")
    reader = _read(pdf)
    text = reader.pages[0].extract_text()
    for word in ("Motivation", "Führung", "Kompetenz", "Lernerfolg", "64,9", "54,7", "47,2", "Gesamte Verwaltung",
                 "Die vier Dimensionen"):
        assert word in text, word
    assert "/XObject" not in reader.pages[0]["/Resources"]  # drawn, not an image
    assert _alts(reader) == ["Radar: Motivation 64,9"]


def _heat(groups: int) -> pd.DataFrame:
    rows = []
    for g in range(groups):
        for d, diff in (("Motivation", -20.0), ("Führung", 3.0)):
            rows.append({"group": f"Amt {g}", "dimension": d, "score": 50 + diff, "diff": diff,
                         "hidden": g == 0 and d == "Führung", "mark": ""})
    frame = pd.DataFrame(rows)
    frame.loc[frame["hidden"], ["score", "diff"]] = float("nan")
    return frame


def test_heatmap_cells_carry_their_scores_and_hidden_cells_say_so():
    pdf = _page()
    heatmap(pdf, _heat(3), caption="Abteilungen", alt="Heatmap")
    text = _read(pdf).pages[0].extract_text()
    assert "verborgen" in text
    assert text.count("30,0") == 3 and text.count("53,0") == 2  # the hidden cell shows no figure
    assert "Abstand zur Organisation (Punkte)" in text


def test_a_tall_heatmap_goes_on_over_pages_with_its_header():
    pdf = _page()
    heatmap(pdf, _heat(70), caption="Abteilungen", alt="Heatmap")
    reader = _read(pdf)
    assert len(reader.pages) >= 2
    whole = ""
    for page in reader.pages:
        text = page.extract_text()
        assert "Motivation" in text and "Führung" in text
        whole += text + "\n"
    assert all(f"Amt {g}" in whole for g in range(70))
    assert whole.count("Abstand zur Organisation") == 1  # the legend once, at the end


def test_priority_matrix_labels_its_points_axes_and_legend():
    pdf = _page()
    data = pd.DataFrame({"label": ["Motivation", "Führung", "Kompetenz"], "importance": [30.8, 36.2, 33.0],
                         "performance": [64.9, 54.7, 57.6], "priority": [False, True, False]})
    priority_matrix(pdf, data, caption="Ansatzpunkte")
    text = _read(pdf).pages[0].extract_text()
    for word in ("Motivation", "Führung", "Kompetenz", "hier zuerst ansetzen", "Relatives Gewicht", "30", "38"):
        assert word in text, word


def _texts_at(pdf: LearnPDF) -> dict[str, tuple[float, float]]:
    """Each text the first page shows → its (x, y) in points."""
    found: dict[str, tuple[float, float]] = {}

    def visit(text, cm, tm, font, size):
        if text.strip():
            found.setdefault(text.strip(), (tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5]))

    _read(pdf).pages[0].extract_text(visitor_text=visit)
    return found


def test_a_dimension_name_wider_than_its_column_goes_on_two_lines():
    rows = [{"group": f"Amt {g}", "dimension": d, "score": 50.0, "diff": 0.0, "hidden": False, "mark": ""}
            for g in range(2) for d in ("Motivation", "Leadership", "Competence", "Learning outcomes")]
    pdf = _page()
    heatmap(pdf, pd.DataFrame(rows), lang="en", width=120)
    at = _texts_at(pdf)
    assert "Learning outcomes" not in at  # before, it ran into "Competence" on one line
    (x1, y1), (x2, y2), (xc, yc) = at["Learning"], at["outcomes"], at["Competence"]
    assert y1 > yc > y2 and abs(y1 - y2) > 8  # one line above the other, around the single-line names
    assert x1 > xc + 50 and x2 > xc + 50  # both right of "Competence", in their own column
    wide = _page()  # a name that fits stays on one line
    heatmap(wide, pd.DataFrame(rows).replace("Learning outcomes", "Outcomes"), lang="en", width=120)
    assert _texts_at(wide)["Outcomes"][1] == pytest.approx(_texts_at(wide)["Competence"][1])
