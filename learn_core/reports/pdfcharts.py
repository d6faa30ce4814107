"""The PDF report's three charts drawn with fpdf2's own lines, shapes and text.

The dashboard draws its charts with Altair (:mod:`learn_core.display.charts`);
rendering those to images for a PDF needs vl-convert's JavaScript engine,
which cost about as much as the rest of the report together. The report's
charts are drawn here instead, as vector graphics in the document: the same
palettes, rings, labels and cell texts (:mod:`learn_core.display.chartdata`),
sharp at any zoom, searchable text, and no chart library loaded. Each chart
is one figure of the PDF's structure with its alternative text.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd

from learn_core.display.chartdata import (
    DASHES,
    DIVERGING,
    INK,
    OKABE_ITO,
    RINGS,
    heatmap_texts,
    short_labels,
    wrap_label,
)
from learn_core.display.drivers import LABEL_PLACES, label_places, padded_domain
from learn_core.i18n import fmt_number, t
from learn_core.reports.pdfdoc import FONT, LearnPDF

__all__ = ["diverging", "heatmap", "nice_ticks", "priority_matrix", "radar", "rgb"]

RGB = tuple[int, int, int]
GRID = (154, 163, 173)
LABEL_GREY = (91, 100, 112)
RULE_GREY = (119, 119, 119)
LIGHT = (221, 221, 221)
HIDDEN = (238, 238, 238)
WHITE = (255, 255, 255)
INK_RGB = (27, 31, 36)  # INK
PRIORITY = (213, 94, 0)  # Okabe–Ito vermillion
#: Pixels of the dashboard's charts in mm of the report (a 420-pixel radar is 110 mm wide).
PX = 0.26
#: Scores further than this from the organisation get the end colours (as in the dashboard).
DIVERGING_LIMIT = 25.0


def rgb(colour: str) -> RGB:
    """``"#1b1f24"`` → ``(27, 31, 36)``."""
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def diverging(value: float, limit: float = DIVERGING_LIMIT) -> RGB:
    """The heatmap colour of a difference: the purple–orange scale from
    ``-limit`` (orange) over 0 (near white) to ``+limit`` (purple), linear in
    RGB between its seven colours, clamped at both ends."""
    stops = [rgb(c) for c in DIVERGING]
    pos = (min(max(value, -limit), limit) + limit) / (2 * limit) * (len(stops) - 1)
    i = min(int(pos), len(stops) - 2)
    frac = pos - i
    low, high = stops[i], stops[i + 1]
    return (round(low[0] + (high[0] - low[0]) * frac), round(low[1] + (high[1] - low[1]) * frac),
            round(low[2] + (high[2] - low[2]) * frac))


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round axis ticks covering ``low``–``high``: a step of 1, 2 or 5 times a
    power of ten, about ``count`` steps, the ends rounded outwards."""
    if not (math.isfinite(low) and math.isfinite(high)):
        raise ValueError("axis range must be finite")
    if high - low < 1e-9:
        low, high = low - 1, high + 1
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw - 1e-12)
    start = math.floor(low / step + 1e-9) * step
    end = math.ceil(high / step - 1e-9) * step
    return [round(start + i * step, 10) for i in range(round((end - start) / step) + 1)]


def _label(pdf: LearnPDF, x: float, y: float, text: str, *, align: str = "L", size: float = 8,
           bold: bool = False, colour: RGB | None = None) -> None:
    """One line of text whose middle is at height ``y``; ``x`` is its left
    edge, centre or right edge (``align`` L, C or R)."""
    pdf.set_font(FONT, "B" if bold else "", size)
    pdf.set_text_color(*(colour or INK_RGB))
    width = pdf.text_width(text)
    left = x - width if align == "R" else x - width / 2 if align == "C" else x
    pdf.text(left, y + 0.35 * pdf.font_size, text)


def _point(pdf: LearnPDF, x: float, y: float, r: float, shape: str, colour: RGB) -> None:
    pdf.set_fill_color(*colour)
    if shape == "diamond":
        pdf.polygon([(x, y - r * 1.25), (x + r * 1.25, y), (x, y + r * 1.25), (x - r * 1.25, y)], style="F")
    elif shape == "square":
        pdf.rect(x - r, y - r, 2 * r, 2 * r, style="F")
    elif shape == "triangle-up":
        pdf.polygon([(x, y - r * 1.2), (x + r * 1.1, y + r * 0.8), (x - r * 1.1, y + r * 0.8)], style="F")
    else:
        pdf.circle(x, y, r, style="F")


_SHAPES = ["circle", "square", "triangle-up", "diamond"]


# --------------------------------------------------------------------------- radar


def radar(pdf: LearnPDF, series: Sequence[tuple[str, dict[str, float | None]]], labels: dict[str, str], *,
          lang: str = "de", width: float = 110, caption: str | None = None, alt: str | None = None) -> None:
    """The radar of the dimensions (first axis at the top, clockwise), one
    closed line per series (the first in black), its values beside the
    points, a legend below; ``width`` mm square."""
    keys = list(labels)
    n = max(len(keys), 1)
    names = short_labels([name for name, _ in series])
    legend_h = 7.0

    def angle(i: int) -> float:
        return 2 * math.pi * i / n

    def draw(top: float) -> None:
        unit = width / 2 / 1.75  # the dashboard's domain is -1.75 … 1.75
        cx, cy = pdf.w / 2, top + 1.4 * unit

        def at(r: float, a: float) -> tuple[float, float]:
            return cx + r * unit * math.sin(a), cy - r * unit * math.cos(a)

        pdf.set_line_width(0.2)
        pdf.set_draw_color(*GRID)
        for ring in RINGS:
            pdf.polyline([at(ring / 100, 2 * math.pi * k / 72) for k in range(73)])
        for i in range(len(keys)):
            pdf.line(cx, cy, *at(1.0, angle(i)))
        for i, key in enumerate(keys):
            s = math.sin(angle(i))
            align = "C" if abs(s) < 0.3 else ("L" if s > 0 else "R")
            x, y = at(1.16, angle(i))
            x += {"C": 0.0, "L": 1.0, "R": -1.0}[align]
            lines = wrap_label(labels[key]).split("\n")
            for j, line in enumerate(lines):
                _label(pdf, x, y + (j - (len(lines) - 1) / 2) * 3.9, line, align=align, size=9.5, bold=True)
        for s_idx, (_name, scores) in enumerate(series):
            colour = rgb(OKABE_ITO[s_idx % len(OKABE_ITO)])
            pts = [(i, float(v)) for i, key in enumerate(keys) if (v := scores.get(key)) is not None]
            if not pts:
                continue
            xy = [at(max(0.0, min(100.0, v)) / 100, angle(i)) for i, v in pts]
            dash = DASHES[s_idx % len(DASHES)]
            if dash[1]:
                pdf.set_dash_pattern(dash=dash[0] * PX, gap=dash[1] * PX)
            pdf.set_draw_color(*colour)
            pdf.set_line_width(0.65)
            pdf.polyline([*xy, xy[0]])
            pdf.set_dash_pattern()
            for x, y in xy:
                _point(pdf, x, y, 1.1, _SHAPES[s_idx % len(_SHAPES)], colour)
            if s_idx == 0 or len(series) <= 2:
                for i, v in pts:
                    r = max(0.0, min(100.0, v)) / 100
                    a = angle(i)
                    x = cx + ((r + 0.1) * math.sin(a) + 0.06 * math.cos(a)) * unit
                    y = cy - ((r + 0.1) * math.cos(a) + 0.05) * unit
                    value = fmt_number(v, 1, lang)
                    pdf.set_font(FONT, "B", 8.5)
                    pdf.set_fill_color(*WHITE)  # a white ground, so the line does not cross the figure
                    half = pdf.text_width(value) / 2 + 0.5
                    pdf.rect(x - half, y - 1.7, 2 * half, 3.4, style="F")
                    _label(pdf, x, y, value, align="C", size=8.5, bold=True, colour=colour)
        # the ring values off the axes (where the points' values stand), on a white ground over the lines
        mid = (angle(0) + angle(1)) / 2
        pdf.set_font(FONT, "", 6.5)
        pdf.set_fill_color(*WHITE)
        for ring in RINGS:
            x, y = cx + (ring / 100 * math.sin(mid) + 0.02) * unit, cy - (ring / 100 * math.cos(mid) + 0.015) * unit
            pdf.rect(x - 0.3, y - 1.3, pdf.text_width(str(ring)) + 0.6, 2.6, style="F")
            _label(pdf, x, y, str(ring), size=6.5, colour=LABEL_GREY)
        # the legend, centred below
        pdf.set_font(FONT, "", 9)
        entries = [names[name] for name, _ in series]
        total = sum(pdf.text_width(e) + 6 for e in entries)
        x = cx - total / 2
        y = top + 2.8 * unit + legend_h / 2
        for s_idx, entry in enumerate(entries):
            _point(pdf, x + 1.5, y, 1.1, _SHAPES[s_idx % len(_SHAPES)], rgb(OKABE_ITO[s_idx % len(OKABE_ITO)]))
            _label(pdf, x + 3.5, y, entry, size=9)
            pdf.set_font(FONT, "", 9)
            x += pdf.text_width(entry) + 6
        pdf.set_line_width(0.2)

    pdf.figure(2.8 * width / 3.5 + legend_h, draw, caption=caption, alt=alt)


# --------------------------------------------------------------------------- heatmap


def heatmap(pdf: LearnPDF, table: pd.DataFrame, *, lang: str = "de", width: float = 150,
            caption: str | None = None, alt: str | None = None) -> None:
    """Groups × dimensions, each cell coloured by its difference to the
    organisation and labelled with its score (white text on the strong
    colours), hidden cells grey and labelled "verborgen"; the colour legend
    below. A heatmap taller than a page goes on over the next pages, with its
    header repeated."""
    data = table.copy()
    data["group"] = data["group"].map(short_labels(list(data["group"])))
    data["score_text"], _ = heatmap_texts(data, lang)
    groups = list(dict.fromkeys(data["group"]))
    dims = list(dict.fromkeys(data["dimension"]))
    cells = {(g, d): (s, diff) for g, d, s, diff in zip(data["group"], data["dimension"], data["score_text"],
                                                         data["diff"], strict=True)}
    pdf.set_font(FONT, "", 8.5)
    label_w = min(max([pdf.text_width(g) for g in groups], default=10) + 3, 52)
    cell_w = min((width - label_w) / max(len(dims), 1), 32)
    total_w = label_w + cell_w * len(dims)
    pdf.set_font(FONT, "B", 8.5)  # a dimension name wider than its column goes on two lines
    heads = [wrap_label(d, 0).split("\n") if pdf.text_width(d) > cell_w - 1.5 else [d] for d in dims]
    header_h, row_h, legend_h = 7.0 + 3.5 * (max(map(len, heads), default=1) - 1), 7.0, 15.0
    room = pdf.page_break_trigger - pdf.t_margin - 10
    per_page = max(int((room - header_h - legend_h) // row_h), 1)
    chunks = [groups[i:i + per_page] for i in range(0, len(groups), per_page)] or [[]]

    def drawer(chunk: list[str], last: bool):
        def draw(top: float) -> None:
            x0 = (pdf.w - total_w) / 2
            for j, lines in enumerate(heads):
                for n, line in enumerate(lines):
                    _label(pdf, x0 + label_w + (j + 0.5) * cell_w, top + header_h / 2 + 3.5 * (n - (len(lines) - 1) / 2),
                           line, align="C", size=8.5, bold=True)
            for i, group in enumerate(chunk):
                y = top + header_h + i * row_h
                _label(pdf, x0 + label_w - 1.5, y + row_h / 2, group, align="R", size=8.5)
                for j, dim in enumerate(dims):
                    text, diff = cells.get((group, dim), ("", float("nan")))
                    known = diff == diff and math.isfinite(diff)
                    pdf.set_fill_color(*(diverging(diff) if known else HIDDEN))
                    pdf.rect(x0 + label_w + j * cell_w + 0.4, y + 0.4, cell_w - 0.8, row_h - 0.8, style="F")
                    strong = known and abs(diff) > 15
                    _label(pdf, x0 + label_w + (j + 0.5) * cell_w, y + row_h / 2, text, align="C", size=8.5,
                           bold=True, colour=WHITE if strong else rgb(INK))
            if last:
                _legend(pdf, top + header_h + len(chunk) * row_h + 2, lang)
            pdf.set_text_color(*rgb(INK))

        return draw

    for k, chunk in enumerate(chunks):
        last = k == len(chunks) - 1
        height = header_h + len(chunk) * row_h + (legend_h if last else 0)
        pdf.figure(height, drawer(chunk, last), caption=caption if last else None, alt=alt)


def _legend(pdf: LearnPDF, top: float, lang: str) -> None:
    """The heatmap's colour scale: its title, a gradient bar and ticks."""
    bar_w, bar_h, steps = 64.0, 3.2, 64
    x0 = (pdf.w - bar_w) / 2
    title = "Abstand zur Organisation (Punkte)" if lang == "de" else "Difference to organisation (points)"
    _label(pdf, pdf.w / 2, top + 1.5, title, align="C", size=7.5, bold=True)
    for s in range(steps):
        value = -DIVERGING_LIMIT + (s + 0.5) / steps * 2 * DIVERGING_LIMIT
        pdf.set_fill_color(*diverging(value))
        pdf.rect(x0 + s * bar_w / steps, top + 4, bar_w / steps + 0.05, bar_h, style="F")
    for tick in (-20, -10, 0, 10, 20):
        x = x0 + (tick + DIVERGING_LIMIT) / (2 * DIVERGING_LIMIT) * bar_w
        pdf.set_draw_color(*LABEL_GREY)
        pdf.line(x, top + 4 + bar_h, x, top + 5 + bar_h)
        _label(pdf, x, top + 7.5 + bar_h, str(tick).replace("-", "−"), align="C", size=7, colour=LABEL_GREY)


# --------------------------------------------------------------------------- priority matrix


#: The dashboard's label offsets are pixels of a 13-px font; the PDF's 8-pt labels are about a quarter of that in mm.
_MM_PER_PX = 0.25


def priority_matrix(pdf: LearnPDF, data: pd.DataFrame, *, lang: str = "de", width: float = 140,
                    caption: str | None = None, alt: str | None = None) -> None:
    """Importance (x) against the current score (y) of the dimensions, the
    means as dashed cross-hairs, the priorities as orange diamonds and the
    others as blue circles, each labelled; a legend at the right."""
    plot_w, plot_h = width - 50, 66.0
    left, bottom = 16.0, 14.0
    height = plot_h + bottom + 2
    importance, performance = [float(v) for v in data["importance"]], [float(v) for v in data["performance"]]
    labels = [str(v) for v in data["label"]]
    # the points' range with a margin, so that no point sits on the frame
    x_ticks = nice_ticks(*padded_domain(importance))
    y_ticks = nice_ticks(*padded_domain(performance))
    first, other = t("drivers.first", lang), t("drivers.other", lang)

    def draw(top: float) -> None:
        x0 = (pdf.w - width) / 2 + left
        y0 = top + 1

        def px(v: float) -> float:
            return x0 + (v - x_ticks[0]) / (x_ticks[-1] - x_ticks[0]) * plot_w

        def py(v: float) -> float:
            return y0 + plot_h - (v - y_ticks[0]) / (y_ticks[-1] - y_ticks[0]) * plot_h

        pdf.set_line_width(0.15)
        pdf.set_draw_color(*LIGHT)
        for v in x_ticks:
            pdf.line(px(v), y0, px(v), y0 + plot_h)
            _label(pdf, px(v), y0 + plot_h + 3, _tick(v, x_ticks, lang), align="C", size=7, colour=LABEL_GREY)
        for v in y_ticks:
            pdf.line(x0, py(v), x0 + plot_w, py(v))
            _label(pdf, x0 - 1.5, py(v), _tick(v, y_ticks, lang), align="R", size=7, colour=LABEL_GREY)
        pdf.set_draw_color(*LABEL_GREY)
        pdf.line(x0, y0 + plot_h, x0 + plot_w, y0 + plot_h)
        pdf.line(x0, y0, x0, y0 + plot_h)
        _label(pdf, x0 + plot_w / 2, y0 + plot_h + 8.5, t("drivers.axis_share", lang), align="C", size=8, bold=True)
        pdf.set_font(FONT, "B", 8)
        y_title = t("drivers.axis_score", lang)
        with pdf.rotation(90, x0 - 12, y0 + plot_h / 2):
            _label(pdf, x0 - 12, y0 + plot_h / 2, y_title, align="C", size=8, bold=True)
        pdf.set_draw_color(*RULE_GREY)
        pdf.set_line_width(0.25)
        pdf.set_dash_pattern(dash=1.0, gap=1.0)
        pdf.line(px(float(data["importance"].mean())), y0, px(float(data["importance"].mean())), y0 + plot_h)
        pdf.line(x0, py(float(data["performance"].mean())), x0 + plot_w, py(float(data["performance"].mean())))
        pdf.set_dash_pattern()
        # each label where it covers no other label or point and stays inside the plot (the legend is right of it)
        pdf.set_font(FONT, "", 8)
        places = label_places(importance, performance, labels, x_domain=(x_ticks[0], x_ticks[-1]),
                              y_domain=(y_ticks[0], y_ticks[-1]), width=plot_w, height=plot_h,
                              font_size=pdf.font_size, widths=[pdf.text_width(v) for v in labels],
                              scale=_MM_PER_PX, room_right=0.0)
        offsets = {name: (align, dx * _MM_PER_PX, dy * _MM_PER_PX) for name, align, dx, dy in LABEL_PLACES}
        for label, imp, perf, prio, place in zip(labels, importance, performance, data["priority"], places,
                                                 strict=True):
            x, y = px(imp), py(perf)
            _point(pdf, x, y, 1.4, "diamond" if prio else "circle", PRIORITY if prio else rgb(OKABE_ITO[1]))
            align, dx, dy = offsets[place]
            _label(pdf, x + dx, y + dy, label, size=8, align="L" if align == "left" else "R")
        lx = x0 + plot_w + 5
        for k, (shape, colour, text) in enumerate((("diamond", PRIORITY, first), ("circle", rgb(OKABE_ITO[1]), other))):
            _point(pdf, lx + 1.5, y0 + 3 + k * 5, 1.3, shape, colour)
            _label(pdf, lx + 4, y0 + 3 + k * 5, text, size=8)
        pdf.set_line_width(0.2)
        pdf.set_text_color(*rgb(INK))

    pdf.figure(height, draw, caption=caption, alt=alt)


def _tick(value: float, ticks: list[float], lang: str) -> str:
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1.0
    decimals = max(0, -math.floor(math.log10(step) + 1e-9))  # 0.5 → 1, 0.1 → 1, 2 → 0
    return fmt_number(value, decimals, lang)
