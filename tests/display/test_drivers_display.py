"""The priority matrix and the driver tables (learn_core.display.drivers), via chart.to_dict()."""

from __future__ import annotations

import pandas as pd
import pytest

from learn_core.analysis import analyse
from learn_core.analysis.drivers import Drivers
from learn_core.display.drivers import driver_sentence, priority_matrix_chart, priority_matrix_data
from learn_core.instrument import instrument_version
from learn_core.reading import read_survey
from learn_core.samples import SAMPLE_XLSX


@pytest.fixture(scope="module")
def sample():
    return analyse(read_survey(SAMPLE_XLSX, instrument=instrument_version("1.0")), 5)


def test_matrix_encodes_importance_against_score_with_the_means(sample):
    data = priority_matrix_data(sample.result.drivers, instrument_version("1.0"), "de")
    spec = priority_matrix_chart(data, "de").to_dict()
    vrule, hrule, points, labels = spec["layer"]
    assert points["mark"]["type"] == "point"
    assert points["encoding"]["x"]["field"] == "importance" and points["encoding"]["y"]["field"] == "performance"
    assert points["encoding"]["shape"]["scale"]["range"] == ["diamond", "circle"]  # not colour alone
    datasets = spec["datasets"]
    v = next(iter(datasets[vrule["data"]["name"]]))["v"]
    h = next(iter(datasets[hrule["data"]["name"]]))["v"]
    shares = [d.share for d in sample.result.drivers.dimensions]
    scores = [d.performance for d in sample.result.drivers.dimensions]
    assert v == pytest.approx(100 / 3) and v == pytest.approx(sum(shares) / 3)
    assert h == pytest.approx(sum(scores) / 3)
    rows = datasets[points["data"]["name"]] if "data" in points else datasets[spec["data"]["name"]]
    assert {r["label"]: r["status"] for r in rows} == {"Motivation": "weitere", "Führung": "hier zuerst ansetzen",
                                                       "Kompetenz": "weitere"}
    assert labels["encoding"]["text"]["field"] == "label"


def test_statement_matrix_uses_r_and_favourable(sample):
    data = priority_matrix_data(sample.result.drivers, instrument_version("1.0"), "en", items=True)
    assert len(data) == 18 and set(data["label"]) >= {"M1", "F4", "K6 ↺"}  # ↺: worded negatively
    f4 = data.set_index("label").loc["F4"]
    d = next(x for x in sample.result.drivers.items if x.item == "F4")
    assert f4["importance"] == d.r and f4["performance"] == d.performance and bool(f4["priority"])
    spec = priority_matrix_chart(data, "en", items=True, instrument=instrument_version("1.0")).to_dict()
    assert spec["layer"][2]["encoding"]["x"]["title"] == "Correlation with Learning success (r)"  # 1.0's name
    spec = priority_matrix_chart(data, "de", items=True).to_dict()
    assert spec["layer"][2]["encoding"]["x"]["title"] == "Korrelation mit Lernerfolg (r)"


def test_the_driver_texts_name_the_dimensions_of_the_questionnaire(sample):
    import dataclasses

    from learn_core.display.drivers import driver_names

    v1 = instrument_version("1.0")
    assert driver_names(v1, "de") == {"enablers": "Motivation, Führung und Kompetenz", "outcome": "Lernerfolg"}
    assert driver_names(v1, "en") == {"enablers": "Motivation, Leadership and Competence",
                                      "outcome": "Learning success"}
    own = dataclasses.replace(v1, dimensions=tuple(
        dataclasses.replace(d, name_de="Wirkung", name_en="Impact") if d.key == "lernerfolg" else d
        for d in v1.dimensions))
    assert "der Unterschiede in der Dimension Wirkung (R²)" in driver_sentence(sample.result.drivers, "de", own)
    assert "of the differences in Impact (R²)" in driver_sentence(sample.result.drivers, "en", own)


@pytest.mark.parametrize(("drivers", "text"), [
    (Drivers(12, None, False, (), (), "too_few"), "Keine Treiberanalyse: 12 Personen mit allen vier Werten, nötig sind mindestens 30."),
    (None, "Keine Treiberanalyse: Eine Dimension der Organisation ist verborgen"),
])
def test_sentence_says_why_there_are_no_drivers(drivers, text):
    assert driver_sentence(drivers, "de").startswith(text)


def test_sentence_with_caution_below_100(sample):
    d = sample.result.drivers
    assert "Vorsicht" not in driver_sentence(d, "de")
    small = Drivers(40, d.r2, True, d.dimensions, d.items)
    assert driver_sentence(small, "de").endswith("mit wenigen Antworten ändern.")


def test_labels_of_close_points_go_to_different_sides():
    from learn_core.display.drivers import label_places

    box = {"x_domain": (0.0, 1.0), "y_domain": (0.0, 1.0), "width": 480, "height": 340, "font_size": 13}
    # far apart: every label right of its point and above it
    assert label_places([0.1, 0.5, 0.9], [0.2, 0.8, 0.5], ["A", "B", "C"], **box) == ["right_up"] * 3
    # B sits just right of A: A's label would cover B, so it goes left; B keeps the first place
    assert label_places([0.50, 0.54], [0.5, 0.5], ["F6 ↺", "K5"], **box) == ["left_up", "right_up"]
    # a point on top of another: the second label takes another place
    places = label_places([0.5, 0.5], [0.5, 0.5], ["M1", "M2"], **box)
    assert places[0] != places[1]
    assert label_places([], [], [], **box) == []


def test_labels_stay_inside_a_plot_without_room_at_the_right_or_the_top():
    """The PDF (millimetres, measured widths, its legend right of the plot): a
    point at the right edge puts its label left, one at the top below."""
    from learn_core.display.drivers import label_places

    box = {"x_domain": (0.0, 1.0), "y_domain": (0.0, 1.0), "width": 90.0, "height": 66.0, "font_size": 2.8,
           "scale": 0.25, "room_right": 0.0}
    assert label_places([0.98], [0.5], ["Kompetenz"], widths=[14.0], **box) == ["left_up"]
    assert label_places([0.3], [1.0], ["Motivation"], widths=[15.0], **box) == ["right_down"]
    assert label_places([0.98], [1.0], ["Führung"], widths=[11.0], **box) == ["left_down"]
    # the dashboard's 40 px of room right of the plot still allow a short label there
    assert label_places([0.98], [0.5], ["K"], x_domain=(0.0, 1.0), y_domain=(0.0, 1.0), width=480, height=340,
                        font_size=13) == ["right_up"]


def test_the_pdf_priority_matrix_places_its_labels_like_the_dashboard(monkeypatch):
    """pdfcharts draws each label at the place label_places chose, scaled to millimetres."""
    import learn_core.reports.pdfcharts as pc
    from learn_core.reports.pdfdoc import LearnPDF

    drawn = []
    monkeypatch.setattr(pc, "_label", lambda pdf, x, y, text, **kw: drawn.append((text, x, y, kw.get("align", "L"))))
    data = pd.DataFrame({"label": ["A", "Rechts am Rand"], "importance": [10.0, 40.0], "performance": [50.0, 60.0],
                         "priority": [False, True]})
    pdf = LearnPDF("Test")
    pdf.add_page()
    pc.priority_matrix(pdf, data, lang="de")
    right = next(d for d in drawn if d[0] == "Rechts am Rand")
    assert right[3] == "R"  # the rightmost point's label goes left of it


def test_the_statement_matrix_of_the_sample_has_no_overlapping_labels(sample):
    from learn_core.display.drivers import LABEL_PLACES

    data = priority_matrix_data(sample.result.drivers, instrument_version("1.0"), "de", items=True)
    spec = priority_matrix_chart(data, "de", items=True).to_dict()
    x0, x1 = spec["layer"][2]["encoding"]["x"]["scale"]["domain"]
    y0, y1 = spec["layer"][2]["encoding"]["y"]["scale"]["domain"]
    assert x0 < min(data["importance"]) and x1 > max(data["importance"])  # every point inside the axes
    points = spec["layer"][2]
    rows = spec["datasets"][(points["data"] if "data" in points else spec["data"])["name"]]
    offsets = {name: (align, dx, dy) for name, align, dx, dy in LABEL_PLACES}
    boxes = []
    for r in rows:
        align, dx, dy = offsets[r["place"]]
        px, py = (r["importance"] - x0) / (x1 - x0) * 480 + dx, 340 - (r["performance"] - y0) / (y1 - y0) * 340 + dy
        w = 0.6 * 13 * len(r["label"])
        left = px if align == "left" else px - w
        boxes.append((left, py - 6.5, left + w, py + 6.5))
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert min(a[2], b[2]) <= max(a[0], b[0]) or min(a[3], b[3]) <= max(a[1], b[1]), (a, b)
    assert len({r["place"] for r in rows}) >= 2  # the sample's F6 ↺ goes left of its point


@pytest.mark.parametrize(("lang", "items", "columns"), [
    ("de", False, ["Treiber", "Dimension", "Relatives Gewicht (% von R²)", "Wert (0–100)", "Priorität"]),
    ("en", True, ["Driver", "Dimension", "Correlation with Learning success (r)", "Favourable (%)", "Priority"]),
])
def test_the_matrix_table_names_its_columns_as_the_chart_does(sample, lang, items, columns):
    """The table tab (and the chart's text for screen readers) showed the internal
    columns label, dimension, importance_text, performance_text and priority True/False."""
    from learn_core.display.drivers import priority_matrix_table

    inst = instrument_version("1.0")
    data = priority_matrix_data(sample.result.drivers, inst, lang, items=items)
    table = priority_matrix_table(data, lang, items=items, instrument=inst)
    assert list(table.columns) == columns and len(table) == len(data)
    first = "hier zuerst ansetzen" if lang == "de" else "act here first"
    assert set(table[columns[-1]]) <= {first, ""} and (table[columns[-1]] == first).sum() == data["priority"].sum()
    assert list(table[columns[2]]) == [round(v, 2 if items else 1) for v in data["importance"]]
    assert list(table[columns[3]]) == [round(v, 1) for v in data["performance"]]
