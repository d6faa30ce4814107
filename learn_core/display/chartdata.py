"""What the chart builders (Altair, :mod:`learn_core.display.charts`) and the
PDF report's own drawings (:mod:`learn_core.reports.pdfcharts`) share: the
palettes, the rings of the radar, how a label is shortened or wrapped, and
the texts of a heatmap cell. Plain Python and pandas, no altair, so the PDF
draws its charts without loading a chart library.
"""

from __future__ import annotations

import pandas as pd

from learn_core.i18n import fmt_number

__all__ = ["DASHES", "DIVERGING", "INK", "LABEL_CHARS", "LIKERT", "NUMBER_LOCALE", "OKABE_ITO", "RINGS", "SHAPES",
           "heatmap_texts", "localised_spec", "screen_spec", "short_labels", "wrap_label"]

#: How Vega formats numbers on a German page (its d3-format locale): decimal
#: comma, point between thousands ("0,44", "1.234"); English keeps Vega's default.
NUMBER_LOCALE = {"de": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", "\u00a0€"]}}


def localised_spec(spec: dict, lang: str) -> dict:
    """A Vega-Lite spec whose axes, tooltips and legends format numbers in
    ``lang`` (``config.locale``); the spec given is left as it is."""
    number = NUMBER_LOCALE.get(lang)
    if number is None:
        return spec
    config = {**spec.get("config", {}), "locale": {**spec.get("config", {}).get("locale", {}), "number": number}}
    return {**spec, "config": config}

def screen_spec(spec: dict, lang: str) -> dict:
    """A Vega-Lite spec as a page shows it: numbers in ``lang``
    (:func:`localised_spec`), and for screen readers only the chart's own
    text. Vega describes every axis and legend in English ("X-axis titled
    …") and every mark by its internal fields ("end: −29,4797687861;
    answer: 1"); ``config.aria`` false leaves those out, and the chart's
    alternative text and its table say the values. The spec given is left as it is."""
    out = localised_spec(spec, lang)
    config = out.get("config", {})
    # guides and marks out of the accessibility tree (a mark left in it without its generated
    # description would be an image without a name)
    return {**out, "config": {**config, "aria": False, "mark": {**config.get("mark", {}), "aria": False}}}


#: Okabe & Ito (2008) colour-blind safe qualitative palette (black first).
OKABE_ITO = ["#000000", "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442"]
#: Diverging purple–white–orange (ColorBrewer PuOr), safe for the common colour-vision deficiencies.
DIVERGING = ["#b35806", "#f1a340", "#fee0b6", "#f7f7f7", "#d8daeb", "#998ec3", "#542788"]
#: Likert colours from "trifft gar nicht zu" (1) to "trifft voll zu" (5), PuOr-based.
LIKERT = ["#b35806", "#f1a340", "#cccccc", "#998ec3", "#542788"]
SHAPES = ["circle", "square", "triangle-up", "diamond", "cross", "triangle-down", "wedge", "stroke"]
DASHES = [[1, 0], [6, 3], [2, 2], [8, 3, 2, 3], [4, 4], [1, 3], [10, 2], [3, 6]]

RINGS = (20, 40, 60, 80, 100)
#: Text colour of labels (high contrast on white).
INK = "#1b1f24"


#: The most characters of a name (a department, a series) a chart draws: the
#: renderer measures every label it cuts, so a 40,000-character department
#: name took half a minute per chart; the tables beside the charts keep the full name.
LABEL_CHARS = 80


def short_labels(names: list[str], limit: int = LABEL_CHARS) -> dict[str, str]:
    """Each name → the label a chart shows: at most ``limit`` characters, cut
    with an ellipsis; names that would be cut to the same label are told
    apart by a number (" (2)", …), so no two groups merge in a chart."""
    out: dict[str, str] = {}
    used: set[str] = set()
    for name in dict.fromkeys(names):
        label = name if len(name) <= limit else name[: limit - 1].rstrip() + "…"
        n = 1
        candidate = label
        while candidate in used:
            n += 1
            candidate = f"{label} ({n})"
        used.add(candidate)
        out[name] = candidate
    return out


def wrap_label(label: str, width: int = 11) -> str:
    """A long label on two lines at the space nearest its middle ("Learning\noutcomes")."""
    if len(label) <= width or " " not in label:
        return label
    spaces = [i for i, ch in enumerate(label) if ch == " "]
    cut = min(spaces, key=lambda i: abs(i - len(label) / 2))
    return label[:cut] + "\n" + label[cut + 1:]


def heatmap_texts(table: pd.DataFrame, lang: str) -> tuple[list[str], list[str]]:
    """Per row of a heatmap table (columns ``score``, ``diff``, optional
    ``hidden`` and ``mark``): the cell's label (the score with its mark, or
    "verborgen" for a hidden cell) and the difference as text ("+3,2", "–")."""
    hidden = table["hidden"] if "hidden" in table else pd.Series(False, index=table.index)
    marks = table["mark"] if "mark" in table else pd.Series("", index=table.index)
    scores = [("verborgen" if lang == "de" else "hidden") if h else f"{fmt_number(v, 1, lang)} {m}".strip()
              for v, h, m in zip(table["score"], hidden, marks, strict=True)]
    diffs = [("+" if v > 0 else "") + fmt_number(v, 1, lang) if v == v else "–" for v in table["diff"]]
    return scores, diffs
