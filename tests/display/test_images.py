"""Chart images (learn_core.display.images): the renderer's warm-up draws a
real PNG, and a process that warmed up renders the next chart without
starting the engine again (checked by what it returns, not by its time)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from learn_core.display.images import chart_png, warm_up

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
