"""Chart images: an Altair chart or its Vega-Lite spec as PNG or SVG, offline.

Rendering uses vl-convert-python (Vega in an embedded JavaScript engine, no
browser, no network). Text is drawn with the DejaVu Sans font shipped in
``learn_core/data/fonts``, so an image looks the same on a server without
any system fonts.
"""

from __future__ import annotations

import copy
from functools import cache
from pathlib import Path

from learn_core.errors import LearnError

__all__ = ["FONT_FAMILY", "ChartImageError", "chart_png", "chart_svg", "favicon", "favicon_png", "warm_up"]

FONT_DIR = Path(__file__).parent.parent / "data" / "fonts"
#: The font family used in chart images and PDF reports.
FONT_FAMILY = "DejaVu Sans"


class ChartImageError(LearnError, ValueError):
    """vl-convert could not draw the spec (it is not a valid Vega-Lite chart);
    vl-convert's own ValueError, with the JavaScript error, is the ``__cause__``."""


@cache
def _converter():
    """vl_convert with the shipped font registered (once per process)."""
    import vl_convert

    vl_convert.register_font_directory(str(FONT_DIR))
    return vl_convert


def _spec(chart) -> dict:
    """A copy of the spec (from a chart or a dict) that uses the shipped font."""
    spec = copy.deepcopy(chart if isinstance(chart, dict) else chart.to_dict())
    config = spec.setdefault("config", {})
    config["font"] = FONT_FAMILY
    config.setdefault("background", "#ffffff")
    return spec


def chart_png(chart, scale: float = 2.0) -> bytes:
    """The chart as a PNG image.

    Parameters
    ----------
    chart
        an Altair chart or its ``to_dict()`` spec.
    scale
        pixel density (2 gives a sharp image in print and on projectors).

    Returns
    -------
    bytes of a PNG file.

    Raises
    ------
    ChartImageError
        (a ValueError) when vl-convert cannot draw the spec.
    """
    spec, converter = _spec(chart), _converter()
    try:
        return converter.vegalite_to_png(spec, scale=scale)
    except ValueError as exc:  # what vl-convert 1.9 raises for every spec it cannot draw (tests/display/test_images.py)
        raise ChartImageError(code="errors.display.chart_image") from exc


def warm_up() -> int:
    """Start the chart renderer's JavaScript engine and fonts now, by drawing
    one tiny chart (about 1.4 s once per process; the first PDF report or
    image download of a server process would wait for it otherwise).
    Returns the size of that PNG in bytes; raises ChartImageError like
    :func:`chart_png`."""
    tiny = {"$schema": "https://vega.github.io/schema/vega-lite/v5.json", "data": {"values": [{"x": 1}]},
            "mark": "point", "encoding": {"x": {"field": "x", "type": "quantitative"}}, "width": 10, "height": 10}
    return len(chart_png(tiny, scale=1.0))


def chart_svg(chart) -> bytes:
    """The chart as an SVG image (UTF-8 bytes); raises ChartImageError like :func:`chart_png`."""
    spec, converter = _spec(chart), _converter()
    try:
        return converter.vegalite_to_svg(spec).encode("utf-8")
    except ValueError as exc:  # as in chart_png
        raise ChartImageError(code="errors.display.chart_image") from exc


def favicon_png() -> bytes:
    """:func:`favicon` encoded as PNG bytes (what ``st.set_page_config`` takes)."""
    import io

    with io.BytesIO() as out:
        favicon().save(out, format="PNG")
        return out.getvalue()


def favicon():
    """The dashboard's icon: a small radar diamond drawn in code (an emoji or
    Material icon as favicon would be fetched from the internet).

    Returns
    -------
    PIL.Image.Image, 32 × 32 RGBA.
    """
    import numpy as np
    from PIL import Image

    size = 32
    yy, xx = np.mgrid[0:size, 0:size]
    img = np.zeros((size, size, 4), dtype=np.uint8)
    img[...] = (31, 95, 139, 255)  # primary colour
    diamond = (np.abs(xx - 15.5) + np.abs(yy - 15.5)) <= 11
    img[diamond] = (255, 255, 255, 255)
    inner = (np.abs(xx - 15.5) * 1.4 + np.abs(yy - 13.5)) <= 6
    img[inner] = (230, 159, 0, 255)
    return Image.fromarray(img, mode="RGBA")
