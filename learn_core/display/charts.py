"""Chart specifications (Altair objects) for the dashboard and the reports.

Every builder takes plain data (scores, tables) and returns an
``alt.Chart``/``alt.LayerChart``; nothing is rendered here. Numbers shown in
labels and tooltips are pre-formatted strings in the chosen language
(59,4 in German). Palettes are colour-blind safe (Okabe–Ito for series, a
purple–orange diverging scale for differences); colour is never the only
carrier of meaning: series also differ by point shape and stroke dash, and
heatmap cells carry their number.
"""

from __future__ import annotations

import math
from typing import Literal

import altair as alt
import pandas as pd

from learn_core.display.chartdata import (
    DASHES,
    DIVERGING,
    INK,
    LABEL_CHARS,
    LIKERT,
    OKABE_ITO,
    RINGS,
    SHAPES,
    heatmap_texts,
    short_labels,
)
from learn_core.display.chartdata import wrap_label as _wrap
from learn_core.i18n import fmt_number, fmt_percent

__all__ = [
    "LABEL_CHARS",
    "OKABE_ITO",
    "heatmap_chart",
    "likert_chart",
    "radar_chart",
    "short_labels",
]

def _font(large: bool) -> dict:
    return {"label": 22 if large else 13, "title": 24 if large else 14, "mark": 22 if large else 13}


def _angle(i: int, n: int) -> float:
    """Angle of axis i of n, starting at the top, clockwise."""
    return 2 * math.pi * i / n


def radar_chart(
    series: list[tuple[str, dict[str, float | None]]],
    labels: dict[str, str],
    *,
    lang: str = "de",
    size: int = 420,
    large: bool = False,
) -> alt.LayerChart:
    """Radar chart of the four dimensions, drawn on x/y (Vega-Lite has no polar lines).

    Parameters
    ----------
    series
        ``[(name, {dimension_key: score or None})]``, drawn in order; the first
        series is drawn in black (usually the organisation).
    labels
        dimension key → axis label, in axis order (first axis at the top).
    size
        width and height in pixels: equal, with equal x and y domains, so the
        rings are circles.

    Returns
    -------
    alt.LayerChart with rings, spokes, axis labels, one closed polygon per
    series (missing scores are left out of the polygon), the values of the
    first series (of every series when there are at most two) beside its
    points, and tooltips. Long axis labels wrap onto two lines and the
    domain leaves room for them, so nothing is cut in any language; the
    legend wraps into rows of at most three, so six groups fit.
    """
    keys = list(labels)
    n = len(keys)
    fs = _font(large)
    rings = pd.DataFrame(
        [
            {"ring": r, "k": k, "x": r / 100 * math.sin(2 * math.pi * k / 72), "y": r / 100 * math.cos(2 * math.pi * k / 72)}
            for r in RINGS
            for k in range(73)
        ]
    )
    spokes = pd.DataFrame(
        [{"axis": key, "o": o, "x": o * math.sin(_angle(i, n)), "y": o * math.cos(_angle(i, n))}
         for i, key in enumerate(keys) for o in (0.0, 1.0)]
    )
    axis_labels = pd.DataFrame(
        [
            {
                "label": _wrap(labels[key]),
                "x": 1.16 * math.sin(_angle(i, n)),
                "y": 1.16 * math.cos(_angle(i, n)),
                "align": "center" if abs(math.sin(_angle(i, n))) < 0.3 else ("left" if math.sin(_angle(i, n)) > 0 else "right"),
            }
            for i, key in enumerate(keys)
        ]
    )
    # the ring values on the bisector of the first two axes: the values of the points stand on the axes
    mid = (_angle(0, n) + _angle(1, n)) / 2
    ring_labels = pd.DataFrame([{"t": str(r), "x": r / 100 * math.sin(mid) + 0.02, "y": r / 100 * math.cos(mid) + 0.015}
                                for r in RINGS])
    short = short_labels([name for name, _ in series])
    series = [(short[name], scores) for name, scores in series]
    rows, values = [], []
    for s_idx, (name, scores) in enumerate(series):
        pts = [(i, key, v) for i, key in enumerate(keys) if (v := scores.get(key)) is not None]
        for order, (i, key, score) in enumerate([*pts, pts[0]] if pts else []):
            r = max(0.0, min(100.0, float(score))) / 100
            rows.append(
                {
                    "series": name,
                    "s": s_idx,
                    "order": order,
                    "dimension": labels[key],
                    "value": fmt_number(scores[key], 1, lang),
                    "x": r * math.sin(_angle(i, n)),
                    "y": r * math.cos(_angle(i, n)),
                }
            )
            if (s_idx == 0 or len(series) <= 2) and order < len(pts):
                # the value just outside its point, away from the centre
                values.append({"series": name, "value": fmt_number(scores[key], 1, lang),
                               "x": (r + 0.1) * math.sin(_angle(i, n)) + 0.06 * math.cos(_angle(i, n)),
                               "y": (r + 0.1) * math.cos(_angle(i, n)) + 0.05})
    data = pd.DataFrame(rows, columns=["series", "s", "order", "dimension", "value", "x", "y"])
    value_data = pd.DataFrame(values, columns=["series", "value", "x", "y"])
    dom = [-1.75, 1.75]
    x = alt.X("x:Q", scale=alt.Scale(domain=dom, nice=False, zero=False), axis=None)
    y = alt.Y("y:Q", scale=alt.Scale(domain=dom, nice=False, zero=False), axis=None)
    names = [name for name, _ in series]
    colour = alt.Color(
        "series:N",
        scale=alt.Scale(domain=names, range=OKABE_ITO[: max(1, len(names))]),
        legend=alt.Legend(title=None, orient="bottom", labelFontSize=fs["label"], labelLimit=size // 3,
                          columns=min(3, max(1, len(names))), symbolSize=200 if large else 100),
    )
    grid = "#9aa3ad"
    base_rings = alt.Chart(rings).mark_line(color=grid, strokeWidth=1, opacity=0.7).encode(
        x=x, y=y, detail="ring:N", order="k:Q"
    )
    base_spokes = alt.Chart(spokes).mark_line(color=grid, strokeWidth=1).encode(x=x, y=y, detail="axis:N")
    aligns: tuple[tuple[Literal["center", "left", "right"], int], ...] = (("center", 0), ("left", 4), ("right", -4))
    text = [
        alt.Chart(axis_labels[axis_labels["align"] == a])
        .mark_text(fontSize=fs["title"], fontWeight="bold", color="#1b1f24", align=a, dx=dx, lineBreak="\n")
        .encode(x=x, y=y, text="label:N")
        for a, dx in aligns
        if (axis_labels["align"] == a).any()
    ]
    ring_halo = alt.Chart(ring_labels).mark_text(fontSize=fs["label"] - 3, align="left", stroke="#ffffff",
                                                 strokeWidth=3, color="#ffffff").encode(x=x, y=y, text="t:N")
    ring_text = alt.Chart(ring_labels).mark_text(fontSize=fs["label"] - 3, color="#5b6470", align="left").encode(
        x=x, y=y, text="t:N"
    )
    lines = alt.Chart(data).mark_line(strokeWidth=4 if large else 2.5, point=False).encode(
        x=x,
        y=y,
        color=colour,
        detail="series:N",
        order="order:Q",
        strokeDash=alt.StrokeDash("series:N", scale=alt.Scale(domain=names, range=DASHES[: max(1, len(names))]), legend=None),
    )
    points = alt.Chart(data).mark_point(filled=True, size=220 if large else 90, opacity=1).encode(
        x=x,
        y=y,
        color=colour,
        shape=alt.Shape("series:N", scale=alt.Scale(domain=names, range=SHAPES[: max(1, len(names))]), legend=None),
        tooltip=[
            alt.Tooltip("series:N", title="Gruppe" if lang == "de" else "Group"),
            alt.Tooltip("dimension:N", title="Dimension"),
            alt.Tooltip("value:N", title="Wert" if lang == "de" else "Score"),
        ],
    )
    halo = alt.Chart(value_data).mark_text(fontSize=fs["label"] - 1, fontWeight="bold", stroke="#ffffff",
                                           strokeWidth=4, color="#ffffff").encode(x=x, y=y, text="value:N")
    value_text = alt.Chart(value_data).mark_text(fontSize=fs["label"] - 1, fontWeight="bold").encode(
        x=x, y=y, text="value:N", color=colour
    )
    return (
        alt.layer(base_rings, base_spokes, *text, lines, ring_halo, ring_text, points, halo, value_text)
        .properties(width=size, height=size)
        .configure_view(strokeWidth=0)
    )


def heatmap_chart(
    table: pd.DataFrame,
    *,
    lang: str = "de",
    large: bool = False,
) -> alt.LayerChart | alt.FacetChart:
    """Heatmap groups × dimensions, coloured by the difference to the organisation.

    Parameters
    ----------
    table
        long format with columns ``group``, ``dimension`` (label),
        ``score`` (float or NaN) and ``diff`` (score − organisation), only
        reported groups; optional ``hidden`` (True: a hidden cell, drawn grey
        and labelled "verborgen", no figure).

    Returns
    -------
    alt.LayerChart: rect cells on a diverging purple–orange scale centred at
    0 (±25 points), each cell labelled with its score so colour is not the
    only carrier of meaning.
    """
    fs = _font(large)
    data = table.copy()
    data["group"] = data["group"].map(short_labels(list(data["group"])))
    data["score_text"], data["diff_text"] = heatmap_texts(data, lang)
    groups = list(dict.fromkeys(data["group"]))
    dims = list(dict.fromkeys(data["dimension"]))
    base = alt.Chart(data).encode(
        x=alt.X("dimension:N", sort=dims, title=None,
                  axis=alt.Axis(orient="top", labelAngle=0, labelFontSize=fs["label"], labelLimit=0,
                                labelColor=INK, labelFontWeight="bold", domain=False, ticks=False)),
        y=alt.Y("group:N", sort=groups, title=None,
                  axis=alt.Axis(labelFontSize=fs["label"], labelLimit=360, labelColor=INK, domain=False, ticks=False)),
    )
    cells = base.mark_rect(stroke="#ffffff", strokeWidth=2).encode(
        color=alt.condition("isValid(datum.diff) && isFinite(datum.diff)", alt.Color(
            "diff:Q",
            scale=alt.Scale(domain=[-25, 25], range=DIVERGING, clamp=True),
            legend=alt.Legend(
                title="Abstand zur Organisation (Punkte)" if lang == "de" else "Difference to organisation (points)",
                orient="bottom",
                gradientLength=320,
                titleLimit=0,
                labelFontSize=fs["label"] - 2,
                titleFontSize=fs["label"] - 1,
            ),
        ), alt.value("#eeeeee")),  # a hidden cell: light grey, labelled "verborgen"
        tooltip=[
            alt.Tooltip("group:N", title="Abteilung" if lang == "de" else "Department"),
            alt.Tooltip("dimension:N", title="Dimension"),
            alt.Tooltip("score_text:N", title="Wert" if lang == "de" else "Score"),
            alt.Tooltip("diff_text:N", title="Abstand" if lang == "de" else "Difference"),
        ],
    )
    labels = base.mark_text(fontSize=fs["mark"], fontWeight="bold").encode(
        text="score_text:N",
        color=alt.condition("abs(datum.diff) > 15", alt.value("#ffffff"), alt.value("#1b1f24")),
    )
    cell = 64 if large else 40
    return alt.layer(cells, labels).properties(width=alt.Step(190 if large else 120), height=alt.Step(cell))


def _likert_step(items: list[str], large: bool) -> int:
    """Row height for the longest label (its number of lines)."""
    lines = max([item.count("\n") + 1 for item in items] or [1])
    return max(38 if large else 26, lines * (25 if large else 16) + 8)


def likert_chart(table: pd.DataFrame, labels: list[str], *, lang: str = "de", large: bool = False) -> alt.Chart:
    """Diverging stacked bars of the answer distribution per item.

    Parameters
    ----------
    table
        long format: ``item`` (label shown on the y axis), ``answer`` (1–5),
        ``share`` (percent of the item's valid answers).
    labels
        the five scale labels (1 … 5).

    Returns
    -------
    alt.Chart: negative answers (1, 2 and half of 3) to the left of zero,
    positive ones to the right, coloured and ordered by answer, with the
    share in the tooltip.
    """
    fs = _font(large)
    data = table.copy()
    data = data.sort_values(["item", "answer"])
    starts, ends = [], []
    for _, grp in data.groupby("item", sort=False):
        shares = dict(zip(grp["answer"], grp["share"], strict=True))
        left = -(shares.get(1, 0) + shares.get(2, 0) + shares.get(3, 0) / 2)
        pos = left
        for a in grp["answer"]:
            starts.append(pos)
            pos += shares[a]
            ends.append(pos)
    data["start"], data["end"] = starts, ends
    data["label"] = [labels[int(a) - 1] for a in data["answer"]]
    data["share_text"] = [fmt_percent(v, 0, lang) for v in data["share"]]
    items = list(dict.fromkeys(table["item"]))
    return (
        alt.Chart(data)
        .mark_bar(stroke="#ffffff", strokeWidth=0.5)
        .encode(
            x=alt.X("start:Q", title="Anteil der Antworten (%)" if lang == "de" else "Share of answers (%)",
                    scale=alt.Scale(domain=[-100, 100]),
                    axis=alt.Axis(labelFontSize=fs["label"], titleFontSize=fs["label"], labelExpr="abs(datum.value)")),
            x2="end:Q",
            y=alt.Y("item:N", sort=items, title=None,  # a label's lines are split at "\n"
                    axis=alt.Axis(labelFontSize=fs["label"], labelLimit=0, labelColor=INK,
                                  labelExpr="split(datum.label, '\\n')", labelLineHeight=fs["label"] + 3)),
            color=alt.Color(
                "label:N",
                sort=list(labels),
                scale=alt.Scale(domain=list(labels), range=LIKERT),
                # five labels in one row fit the normal size; the large type wraps to two rows
                legend=alt.Legend(title=None, orient="bottom", labelFontSize=fs["label"] - 1, labelLimit=0,
                                  columns=3 if large else 5),
            ),
            order=alt.Order("answer:Q"),
            tooltip=[
                alt.Tooltip("item:N", title="Item"),
                alt.Tooltip("label:N", title="Antwort" if lang == "de" else "Answer"),
                alt.Tooltip("share_text:N", title="Anteil" if lang == "de" else "Share"),
            ],
        )
        .properties(width=760 if large else 520, height=alt.Step(_likert_step(items, large)))
    )
