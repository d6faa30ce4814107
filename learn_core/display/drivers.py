"""Key drivers and item priorities for display: the priority matrix
(importance against current score, "act here first" in the lower right), the
driver table and the weakest statements with their measures
(:mod:`learn_core.analysis.drivers`, :mod:`learn_core.analysis.priorities`).
Organisation-level figures only: the analysis computes no driver for a group.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import pandas as pd

from learn_core.analysis import Analysis
from learn_core.analysis.drivers import Drivers
from learn_core.i18n import (  # driver_names re-exported
    driver_names,
    fmt_int,
    fmt_number,
    fmt_percent,
    t,
)
from learn_core.instrument import Instrument
from learn_core.recommendations import catalogue

if TYPE_CHECKING:  # altair (0.35 s to import) only where a chart is drawn: not for the Excel report
    import altair as alt

__all__ = ["driver_names", "driver_sentence", "driver_table", "item_priority_table", "priority_matrix_chart",
           "priority_matrix_data", "priority_matrix_table"]


def driver_sentence(drivers: Drivers | None, lang: str = "de", instrument: Instrument | None = None) -> str:
    """What the driver analysis rests on, with its caution, or why there is
    none; the outcome named as in ``instrument``."""
    if drivers is None or drivers.reason is not None:
        reason = drivers.reason if drivers else "hidden"
        return t(f"drivers.reason_{reason}", lang, n=fmt_int(drivers.n if drivers else 0, lang),
                 minimum=drivers.minimum if drivers else 0)
    text = t("drivers.basis", lang, n=fmt_int(drivers.n, lang), r2=fmt_percent(None if drivers.r2 is None else drivers.r2 * 100, 0, lang),
             outcome=driver_names(instrument, lang)["outcome"])
    return text + (" " + t("drivers.caution", lang) if drivers.caution else "")


def _ci(ci: tuple[float, float] | None, lang: str, decimals: int = 2) -> str:
    return "–" if ci is None else f"{fmt_number(ci[0], decimals, lang)} … {fmt_number(ci[1], decimals, lang)}"


def _marked(item_id: str, instrument: Instrument) -> str:
    """The statement's ID, with ↺ when it is worded negatively: its favourable
    share is then the share that disagrees with it (answers 1–2)."""
    return item_id + (" ↺" if instrument.item(item_id).reverse else "")


def priority_matrix_data(drivers: Drivers, instrument: Instrument, lang: str = "de", *,
                         items: bool = False) -> pd.DataFrame:
    """One row per driver: label, importance (relative weight in % of R², or r
    for statements), performance (score, or favourable share), priority."""
    names = {d.key: d.name(lang) for d in instrument.dimensions}
    rows = []
    for d in drivers.items if items else drivers.dimensions:
        importance = d.r if items else d.share
        rows.append({"label": _marked(d.item, instrument) if items and d.item is not None else names[d.dimension],
                     "dimension": names[d.dimension],
                     "importance": importance, "performance": d.performance, "priority": bool(d.priority),
                     "importance_text": fmt_number(importance, 2 if items else 1, lang),
                     "performance_text": fmt_number(d.performance, 1, lang)})
    return pd.DataFrame(rows)


def priority_matrix_table(data: pd.DataFrame, lang: str = "de", *, items: bool = False,
                          instrument: Instrument | None = None) -> pd.DataFrame:
    """The table beside a priority matrix (:func:`priority_matrix_data`): the
    driver, its dimension, both axes under the chart's titles as numbers
    (r to two decimals, shares and scores to one) and whether to act there first."""
    x_title = (t("drivers.axis_r", lang, outcome=driver_names(instrument, lang)["outcome"]) if items
               else t("drivers.axis_share", lang))
    y_title = t("drivers.axis_favourable" if items else "drivers.axis_score", lang)
    first = t("drivers.first", lang)
    return pd.DataFrame({
        t("drivers.col_driver", lang): list(data["label"]),
        t("col.dimension", lang): list(data["dimension"]),
        x_title: [round(float(v), 2 if items else 1) for v in data["importance"]],
        y_title: [round(float(v), 1) for v in data["performance"]],
        t("drivers.col_priority", lang): [first if p else "" for p in data["priority"]],
    })


#: Where a point's label may go: (name, text align, dx, dy in pixels), tried in this order.
LABEL_PLACES: tuple[tuple[str, Literal["left", "right"], int, int], ...] = (
    ("right_up", "left", 9, -7), ("right_down", "left", 9, 9), ("left_up", "right", -9, -7),
    ("left_down", "right", -9, 9))


def padded_domain(values: list[float], pad: float = 0.08) -> tuple[float, float]:
    """The axis range of a scatter plot: the values' range widened by
    ``pad`` of it on each side (one unit when all values are equal)."""
    low, high = min(values), max(values)
    span = high - low or 1.0
    return low - pad * span, high + pad * span


def label_places(x: list[float], y: list[float], labels: list[str], *, x_domain: tuple[float, float],
                 y_domain: tuple[float, float], width: float, height: float, font_size: float,
                 widths: list[float] | None = None, scale: float = 1.0, room_right: float = 40.0) -> list[str]:
    """For each point of a scatter plot the place of its label
    (:data:`LABEL_PLACES`) so that labels overlap neither one another nor
    the points: greedily, point by point from left to right, the first
    place that is free and inside the plot, else the one with the least
    overlap. Positions are in pixels of a ``width`` × ``height`` plot whose
    axes span ``x_domain`` and ``y_domain``; a label is ``widths`` wide
    where the caller measured it, else taken as 0.6 em per character.
    ``scale`` converts the places' offsets (pixels) to the plot's unit (the
    PDF draws in millimetres); ``room_right`` is how far a label may reach
    right of the plot (the dashboard leaves some room, the PDF has its legend there)."""
    if not labels:
        return []
    (x0, x1), (y0, y1) = x_domain, y_domain
    px = [(v - x0) / (x1 - x0) * width for v in x]
    py = [height - (v - y0) / (y1 - y0) * height for v in y]
    dot = 9.0 * scale  # a point and some room around it
    taken = [(a - dot, b - dot, a + dot, b + dot) for a, b in zip(px, py, strict=True)]

    def overlap(box, other) -> float:
        w = min(box[2], other[2]) - max(box[0], other[0])
        h = min(box[3], other[3]) - max(box[1], other[1])
        return w * h if w > 0 and h > 0 else 0.0

    places = [""] * len(labels)
    for i in sorted(range(len(labels)), key=lambda k: (px[k], py[k])):
        w, h = (widths[i] if widths is not None else 0.6 * font_size * len(labels[i])), font_size
        tried = []
        for name, align, dx_px, dy_px in LABEL_PLACES:
            dx, dy = dx_px * scale, dy_px * scale
            left = px[i] + dx if align == "left" else px[i] + dx - w
            box = (left, py[i] + dy - h / 2, left + w, py[i] + dy + h / 2)
            outside = ((max(0.0, -box[0]) + max(0.0, box[2] - width - room_right)) * h  # the area beyond the plot
                       + (max(0.0, -box[1]) + max(0.0, box[3] - height)) * w)
            tried.append((sum(overlap(box, o) for o in taken) + outside, name, box))
            if tried[-1][0] == 0:
                break
        _, places[i], box = min(tried, key=lambda c: c[0])  # the first of the least overlap
        taken.append(box)
    return places


def priority_matrix_chart(data: pd.DataFrame, lang: str = "de", *, items: bool = False,
                          large: bool = False, instrument: Instrument | None = None) -> alt.LayerChart:
    """Importance (x) against current score (y); the means as cross-hairs;
    the priorities ("act here first": important and weak, lower right) as
    orange diamonds, the others as blue circles (shape and colour; the
    legend names them)."""
    import altair as alt

    from learn_core.display.chartdata import INK, OKABE_ITO

    size = 22 if large else 13
    x_title = (t("drivers.axis_r", lang, outcome=driver_names(instrument, lang)["outcome"]) if items
               else t("drivers.axis_share", lang))
    y_title = t("drivers.axis_favourable" if items else "drivers.axis_score", lang)
    status = t("drivers.first", lang)
    other = t("drivers.other", lang)
    width, height = (640, 480) if large else (480, 340)
    importance, performance = list(data["importance"]), list(data["performance"])
    # the axes span the points with a margin, set here so the labels can be placed in pixels
    x_domain = padded_domain(importance) if importance else (0.0, 1.0)
    y_domain = padded_domain(performance) if performance else (0.0, 1.0)
    frame = data.assign(status=[status if p else other for p in data["priority"]],
                        place=label_places(importance, performance, [str(v) for v in data["label"]],
                                           x_domain=x_domain, y_domain=y_domain, width=width, height=height,
                                           font_size=size))
    base = alt.Chart(frame)
    x = alt.X("importance:Q", title=x_title, scale=alt.Scale(domain=list(x_domain), zero=False, nice=False),
              axis=alt.Axis(tickCount=6))
    y = alt.Y("performance:Q", title=y_title, scale=alt.Scale(domain=list(y_domain), zero=False, nice=False),
              axis=alt.Axis(tickCount=6))
    points = base.mark_point(size=260 if large else 140, filled=True, strokeWidth=2).encode(
        x=x, y=y,
        shape=alt.Shape("status:N", scale=alt.Scale(domain=[status, other], range=["diamond", "circle"]),
                        title=None),
        color=alt.Color("status:N", scale=alt.Scale(domain=[status, other], range=["#D55E00", OKABE_ITO[1]]),
                        title=None),
        tooltip=[alt.Tooltip("label:N", title=t("drivers.col_driver", lang)),
                 alt.Tooltip("importance_text:N", title=x_title),
                 alt.Tooltip("performance_text:N", title=y_title)],
    )
    labels = [base.transform_filter(alt.datum.place == name).mark_text(align=align, dx=dx, dy=dy, fontSize=size,
                                                                          color=INK).encode(x=x, y=y, text="label:N")
              for name, align, dx, dy in LABEL_PLACES if name in set(frame["place"])]
    vrule = alt.Chart(pd.DataFrame({"v": [float(data["importance"].mean())]})).mark_rule(
        strokeDash=[4, 4], color="#777777").encode(x="v:Q")
    hrule = alt.Chart(pd.DataFrame({"v": [float(data["performance"].mean())]})).mark_rule(
        strokeDash=[4, 4], color="#777777").encode(y="v:Q")
    return alt.layer(vrule, hrule, points, *labels).properties(
        width=width, height=height,
    ).configure_axis(labelFontSize=size, titleFontSize=size + 1).configure_legend(labelFontSize=size)


def driver_table(drivers: Drivers, instrument: Instrument, lang: str = "de") -> pd.DataFrame:
    """The three enablers: r with interval, β with interval, relative weight (% of R²), score, priority."""
    names = {d.key: d.name(lang) for d in instrument.dimensions}
    return pd.DataFrame([{
        t("col.dimension", lang): names[d.dimension], "n": d.n,
        "r": round(d.r, 2), t("drivers.col_r_ci", lang): _ci(d.r_ci95, lang),
        "β": round(d.beta, 2) if d.beta is not None else None, t("drivers.col_beta_ci", lang): _ci(d.beta_ci95, lang),
        t("drivers.col_share", lang): round(d.share, 1) if d.share is not None else None,
        t("col.score", lang): round(d.performance, 1) if d.performance is not None else None,
        t("drivers.col_priority", lang): t("drivers.first", lang) if d.priority else "",
    } for d in drivers.dimensions])


def item_priority_table(analysis: Analysis, instrument: Instrument, lang: str = "de") -> pd.DataFrame:
    """The weakest statements per enabler: text, favourable share, r with
    Lernerfolg, priority and the linked measures (ID and title)."""
    names = {d.key: d.name(lang) for d in instrument.dimensions}
    titles = {r.id: r.title(lang) for r in catalogue()}
    return pd.DataFrame([{
        t("col.dimension", lang): names[p.dimension], "ID": _marked(p.item, instrument),
        t("col.statement", lang): instrument.item(p.item).text(lang),
        t("col.favourable", lang): round(p.favourable, 1),
        "r": None if p.r is None else round(p.r, 2),
        t("drivers.col_priority", lang): t("drivers.first", lang) if p.priority else "",
        t("drivers.col_measures", lang): "; ".join(f"{m} {titles.get(m, '')}".strip() for m in p.measures)
        + (f" ({t('drivers.by_dimension', lang)})" if p.linked_by == "dimension" and p.measures else ""),
    } for p in analysis.result.item_priorities]).astype(object)
