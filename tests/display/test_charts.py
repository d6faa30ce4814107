"""Chart builders, checked through their Vega-Lite spec (to_dict)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from learn_core.display.charts import (
    DIVERGING,
    LABEL_CHARS,
    OKABE_ITO,
    heatmap_chart,
    likert_chart,
    radar_chart,
    short_labels,
)

LABELS = {"motivation": "Motivation", "fuehrung": "Führung", "kompetenz": "Kompetenz", "lernerfolg": "Lernerfolg"}


def _layer_data(spec: dict) -> list[list[dict]]:
    datasets = spec["datasets"]
    return [datasets[layer["data"]["name"]] for layer in spec["layer"]]


def test_radar_is_square_with_equal_domains_and_circular_rings():
    chart = radar_chart([("Gesamt", {"motivation": 50.0, "fuehrung": 75.0, "kompetenz": 25.0, "lernerfolg": 100.0})],
                        LABELS, size=400)
    spec = chart.to_dict()
    assert spec["width"] == spec["height"] == 400
    x = spec["layer"][0]["encoding"]["x"]["scale"]["domain"]
    y = spec["layer"][0]["encoding"]["y"]["scale"]["domain"]
    assert x == y
    rings = _layer_data(spec)[0]
    for r in (20, 40, 60, 80, 100):
        pts = [p for p in rings if p["ring"] == r]
        radii = {round(math.hypot(p["x"], p["y"]), 9) for p in pts}
        assert radii == {r / 100}


def test_radar_polygon_is_closed_and_placed_on_the_axes():
    scores = {"motivation": 50.0, "fuehrung": 75.0, "kompetenz": 25.0, "lernerfolg": 100.0}
    spec = radar_chart([("Gesamt", scores)], LABELS, lang="de").to_dict()
    line = next(layer for layer in spec["layer"] if layer["mark"].get("type") == "line" and "color" in layer["encoding"])
    pts = spec["datasets"][line["data"]["name"]]
    assert len(pts) == 5 and pts[0]["x"] == pts[-1]["x"] and pts[0]["y"] == pts[-1]["y"]
    # first axis at the top (x = 0, y = r), second to the right
    assert abs(pts[0]["x"]) < 1e-12 and pts[0]["y"] == 0.5
    assert abs(pts[1]["x"] - 0.75) < 1e-12 and abs(pts[1]["y"]) < 1e-12
    assert pts[1]["value"] == "75,0"  # German decimal comma in the tooltip


def test_radar_series_colours_are_colour_blind_safe_and_shapes_differ():
    series = [("A", {"motivation": 50.0}), ("B", {"motivation": 60.0, "fuehrung": 10.0})]
    spec = radar_chart(series, LABELS).to_dict()
    points = next(layer for layer in spec["layer"] if layer["mark"].get("type") == "point")
    assert points["encoding"]["color"]["scale"]["range"] == OKABE_ITO[:2]
    assert len(set(points["encoding"]["shape"]["scale"]["range"])) == 2


def test_radar_skips_missing_scores():
    spec = radar_chart([("A", {"motivation": 50.0, "fuehrung": None, "kompetenz": 40.0, "lernerfolg": 30.0})],
                       LABELS).to_dict()
    line = next(layer for layer in spec["layer"] if layer["mark"].get("type") == "line" and "color" in layer["encoding"])
    assert len(spec["datasets"][line["data"]["name"]]) == 4  # three points + closing point


def test_heatmap_diverging_centred_with_numbers_in_cells():
    table = pd.DataFrame(
        {"group": ["Bauamt", "Bauamt", "Kämmerei", "Kämmerei"], "dimension": ["Motivation", "Führung"] * 2,
         "score": [60.0, 40.0, np.nan, 55.5], "diff": [5.0, -12.25, np.nan, 3.0]}
    )
    spec = heatmap_chart(table).to_dict()
    rect, text = spec["layer"]
    assert rect["mark"]["type"] == "rect"
    color = rect["encoding"]["color"]
    assert color["condition"]["scale"]["domain"] == [-25, 25]
    assert color["condition"]["scale"]["range"] == DIVERGING
    assert color["value"] == "#eeeeee"  # a cell without difference is grey, not a colour of the scale
    assert text["encoding"]["text"]["field"] == "score_text"
    data = spec["datasets"][spec["data"]["name"]] if "data" in spec else _layer_data(spec)[0]
    assert [row["score_text"] for row in data] == ["60,0", "40,0", "–", "55,5"]


def test_heatmap_labels_a_hidden_cell_and_shows_no_figure_of_it():
    table = pd.DataFrame({"group": ["Bauamt", "Kämmerei"], "dimension": ["Führung"] * 2,
                          "score": [60.0, np.nan], "diff": [5.0, np.nan], "hidden": [False, True]})
    for lang, word in (("de", "verborgen"), ("en", "hidden")):
        spec = heatmap_chart(table, lang=lang).to_dict()
        data = spec["datasets"][spec["data"]["name"]] if "data" in spec else _layer_data(spec)[0]
        assert [row["score_text"] for row in data] == ["60,0" if lang == "de" else "60.0", word]
        assert data[1]["diff_text"] == "–"


def test_short_labels_cut_with_an_ellipsis_and_never_merge_two_names():
    long_a, long_b = "Amt " + "x" * 100 + "A", "Amt " + "x" * 100 + "B"
    labels = short_labels(["Bauamt", long_a, long_b, "y" * 80])
    assert labels["Bauamt"] == "Bauamt" and labels["y" * 80] == "y" * 80  # 80 characters stay whole
    assert labels[long_a] == "Amt " + "x" * 75 + "…" and len(labels[long_a]) == LABEL_CHARS
    assert labels[long_b] == labels[long_a] + " (2)"


def test_charts_draw_long_department_names_cut_but_every_group_apart():
    """A 40,000-character department name took the renderer half a minute per chart."""
    names = ["Fachbereich " * 4000 + "Nord", "Fachbereich " * 4000 + "Süd"]
    table = pd.DataFrame({"group": [n for n in names for _ in range(2)], "dimension": ["Motivation", "Führung"] * 2,
                          "score": [60.0, 40.0, 50.0, 55.5], "diff": [5.0, -12.25, 0.0, 3.0]})
    spec = heatmap_chart(table).to_dict()
    data = spec["datasets"][spec["data"]["name"]] if "data" in spec else _layer_data(spec)[0]
    groups = [row["group"] for row in data]
    assert max(map(len, groups)) <= LABEL_CHARS + 4 and len(set(groups)) == 2
    assert spec["layer"][0]["encoding"]["y"]["sort"] == list(dict.fromkeys(groups))
    radar = radar_chart([(n, {"motivation": 50.0, "fuehrung": 60.0}) for n in names], LABELS).to_dict()
    points = next(layer for layer in radar["layer"] if layer["mark"].get("type") == "point")
    legend = points["encoding"]["color"]["scale"]["domain"]
    assert len(set(legend)) == 2 and max(map(len, legend)) <= LABEL_CHARS + 4


def test_likert_bars_diverge_around_the_middle():
    rows = [{"item": "M1", "answer": a, "share": s} for a, s in zip(range(1, 6), [10, 20, 30, 25, 15], strict=True)]
    spec = likert_chart(pd.DataFrame(rows), ["1", "2", "3", "4", "5"]).to_dict()
    data = spec["datasets"][spec["data"]["name"]]
    starts = {row["answer"]: (row["start"], row["end"]) for row in data}
    assert starts[1] == (-45, -35) and starts[3] == (-15, 15) and starts[5] == (40, 55)


def test_likert_legend_wraps_in_presentation_mode():
    table = pd.DataFrame({"item": ["M1"] * 5, "answer": [1, 2, 3, 4, 5], "share": [10.0, 20, 30, 25, 15]})
    labels = ["trifft gar nicht zu", "trifft eher nicht zu", "teils/teils", "trifft eher zu", "trifft voll zu"]
    normal = likert_chart(table, labels).to_dict()["encoding"]["color"]["legend"]
    large = likert_chart(table, labels, large=True).to_dict()["encoding"]["color"]["legend"]
    assert normal["columns"] == 5 and large["columns"] == 3
    assert large["labelFontSize"] > normal["labelFontSize"] and large["labelLimit"] == 0


def test_radar_is_round_labels_wrap_legend_wraps_and_values_show():
    labels = {"motivation": "Motivation", "fuehrung": "Leadership", "kompetenz": "Competence",
              "lernerfolg": "Learning outcomes"}
    series = [(f"Gruppe {i}", {"motivation": 50.0 + i, "fuehrung": 40.0, "kompetenz": 60.0, "lernerfolg": 70.0})
              for i in range(6)]
    spec = radar_chart(series, labels, lang="en", size=500).to_dict()
    assert spec["width"] == spec["height"] == 500
    layers = spec["layer"]
    scales = [layer["encoding"]["x"]["scale"]["domain"] for layer in layers]
    assert all(d == scales[0] for d in scales) and scales[0][0] == -scales[0][1]
    assert all(layer["encoding"]["y"]["scale"]["domain"] == scales[0] for layer in layers)  # a circle, not an ellipse
    texts = [row["label"] for layer in layers if layer["mark"].get("lineBreak") == "\n"
             for row in spec["datasets"][layer["data"]["name"]]]
    assert "Learning\noutcomes" in texts and "Competence" in texts
    legend = next(layer["encoding"]["color"]["legend"] for layer in layers if "color" in layer["encoding"]
                  and "legend" in layer["encoding"]["color"])
    assert legend["columns"] == 3  # six groups in two rows: nothing cut
    values = [row["value"] for layer in layers if layer["encoding"].get("text", {}).get("field") == "value"
              for row in spec["datasets"][layer["data"]["name"]]]
    assert values[:4] == ["50.0", "40.0", "60.0", "70.0"]  # the first series' values, in English format


def test_a_german_spec_formats_its_numbers_with_the_decimal_comma():
    import re

    import altair as alt

    from learn_core.display.chartdata import localised_spec
    from learn_core.display.images import chart_svg

    frame = pd.DataFrame({"r": [0.44, 0.52, 0.6], "v": [1, 2, 3]})
    spec = alt.Chart(frame).mark_point().encode(x=alt.X("r:Q", scale=alt.Scale(domain=[0.44, 0.6])), y="v:Q") \
        .configure_view(stroke=None).to_dict()
    german = localised_spec(spec, "de")
    assert german["config"]["view"] == spec["config"]["view"]  # the chart's own configuration is kept
    assert german["config"]["locale"]["number"]["decimal"] == ","
    assert "locale" not in spec.get("config", {}) and localised_spec(spec, "en") is spec
    ticks = lambda s: set(re.findall(r">(0[.,]\d+)<", chart_svg(s).decode()))  # noqa: E731
    assert "0,5" in ticks(german) and not any("." in t for t in ticks(german))
    assert "0.5" in ticks(spec)


@pytest.mark.parametrize("lang", ["de", "en"])
def test_a_page_shows_a_chart_without_vegas_english_and_field_name_descriptions(lang):
    """Vega labelled each mark by its internal fields ("end: −29,4797687861;
    answer: 1") and each axis in English; the chart's alternative text and its
    table carry the values, so the page's spec turns ARIA generation off."""
    import re

    from learn_core.analysis import analyse
    from learn_core.display.chartdata import screen_spec
    from learn_core.display.images import chart_svg
    from learn_core.display.views import item_likert_data
    from learn_core.reading import read_survey
    from learn_core.samples import SAMPLE_XLSX

    analysis = analyse(read_survey(SAMPLE_XLSX), 5)
    labels = [str(x) for x in range(1, 6)]
    spec = likert_chart(item_likert_data(analysis, lang, None, "motivation"), labels, lang=lang).to_dict()
    shown = screen_spec(spec, lang)
    assert shown["config"]["aria"] is False and "aria" not in spec.get("config", {})
    assert ("locale" in shown["config"]) == (lang == "de")
    before, after = chart_svg(spec).decode(), chart_svg(shown).decode()
    assert re.search(r'aria-label="[^"]*answer: ', before) and "X-axis" in before  # what a screen reader heard
    assert "answer: " not in after and "X-axis" not in after and "aria-label" not in after


def test_radar_ring_values_stand_between_the_first_two_axes_on_a_halo():
    spec = radar_chart([("Gesamt", {"motivation": 60.0, "fuehrung": 75.0, "kompetenz": 25.0, "lernerfolg": 100.0})],
                       LABELS, size=400).to_dict()
    rings = [layer for layer in spec["layer"] if layer["mark"].get("type") == "text"
             and layer["encoding"].get("text", {}).get("field") == "t"]
    assert len(rings) == 2 and rings[0]["mark"]["stroke"] == "#ffffff"  # the halo first, then the text
    (sixty,) = [p for p in spec["datasets"][rings[1]["data"]["name"]] if p["t"] == "60"]
    # on the bisector at 45°, not on the Motivation axis where the value 60,0 stands
    assert sixty["x"] == pytest.approx(0.6 * math.sin(math.pi / 4) + 0.02)
    assert sixty["y"] == pytest.approx(0.6 * math.cos(math.pi / 4) + 0.015)
    order = [layer["mark"].get("type") for layer in spec["layer"]]
    assert order.index("line") < spec["layer"].index(rings[0])  # drawn over the polygon's lines
