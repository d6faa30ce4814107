"""Chart images (learn_core.display.images): the renderer's warm-up draws a
real PNG, and a process that warmed up renders the next chart without
starting the engine again (checked by what it returns, not by its time)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from learn_core.display.images import ChartImageError, chart_png, chart_svg, warm_up

ROOT = Path(__file__).resolve().parents[2]


def test_warm_up_draws_a_png_and_later_charts_still_render():
    size = warm_up()
    assert size > 100
    png = chart_png({"data": {"values": [{"a": 1}, {"a": 2}]}, "mark": "bar",
                     "encoding": {"x": {"field": "a", "type": "ordinal"}}})
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_dashboard_starts_the_warm_up_in_the_background():
    code = ("import threading, pages.shell.cache as c\n"
            "t = c.chart_engine.__wrapped__()\n"
            "t.join(60)\n"
            "print(t.name, t.daemon, t.is_alive())\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.stdout.split() == ["learn-chart-warm-up", "True", "False"], out.stderr[-500:]


INVALID = {  # each one vl-convert 1.9 refuses with a ValueError (tried by hand)
    "unknown mark": {"data": {"values": [{"a": 1}]}, "mark": "nope"},
    "no spec": {"foo": 1},
    "unknown field type": {"data": {"values": [{"a": 1}]}, "mark": "point",
                           "encoding": {"x": {"field": "a", "type": "bogus"}}},
    "broken expression": {"data": {"values": [{"a": 1}]}, "mark": "point",
                          "transform": [{"calculate": "datum.a +* 2", "as": "b"}],
                          "encoding": {"x": {"field": "b", "type": "quantitative"}}},
}


@pytest.mark.parametrize("name", INVALID)
@pytest.mark.parametrize("draw", [chart_png, chart_svg])
def test_a_spec_vl_convert_cannot_draw_is_a_chart_image_error(draw, name):
    with pytest.raises(ChartImageError) as raised:
        draw(INVALID[name])
    exc = raised.value
    assert exc.code == "errors.display.chart_image" and isinstance(exc, ValueError)
    assert type(exc.__cause__) is ValueError and "conversion failed" in str(exc.__cause__)  # vl-convert's own
    assert str(exc) == "Das Diagramm konnte nicht als Bild erzeugt werden."
    assert exc.message("en") == "The chart could not be made into an image."


def test_a_wrong_argument_is_not_turned_into_a_chart_image_error():
    spec = {"data": {"values": [{"a": 1}]}, "mark": "point", "encoding": {"x": {"field": "a", "type": "ordinal"}}}
    with pytest.raises(TypeError):  # a programming error: vl-convert's TypeError passes through
        chart_png(spec, scale="gross")
