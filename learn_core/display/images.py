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

__all__ = ["FONT_FAMILY", "chart_png", "chart_svg", "favicon", "favicon_png", "warm_up"]

FONT_DIR = Path(__file__).parent.parent / "data" / "fonts"
#: The font family used in chart images and PDF reports.
FONT_FAMILY = "DejaVu Sans"


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
    ValueError
        when the spec is not a valid Vega-Lite chart.
    """
    try:
        return _converter().vegalite_to_png(_spec(chart), scale=scale)
    except Exception as exc:  # vl-convert raises its own ValueError or RuntimeError
        raise ValueError(f"Das Diagramm konnte nicht als Bild erzeugt werden: {exc}") from None


def warm_up() -> int:
    """Start the chart renderer's JavaScript engine and fonts now, by drawing
    one tiny chart (about 1.4 s once per process; the first PDF report or
    image download of a server process would wait for it otherwise).
    Returns the size of that PNG in bytes; raises ``ValueError`` like
    :func:`chart_png`."""
    tiny = {"$schema": "https://vega.github.io/schema/vega-lite/v5.json", "data": {"values": [{"x": 1}]},
            "mark": "point", "encoding": {"x": {"field": "x", "type": "quantitative"}}, "width": 10, "height": 10}
    return len(chart_png(tiny, scale=1.0))


def chart_svg(chart) -> bytes:
    """The chart as an SVG image (UTF-8 bytes); raises ``ValueError`` like :func:`chart_png`."""
    try:
        return _converter().vegalite_to_svg(_spec(chart)).encode("utf-8")
    except Exception as exc:
        raise ValueError(f"Das Diagramm konnte nicht als Bild erzeugt werden: {exc}") from None


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
