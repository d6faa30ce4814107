"""Survey waves for people: the tables, cards, sentences, chart and text
summary of a :func:`learn_core.analysis.waves.compare_waves` result, in the
chosen language.

Functions with a ``group`` argument raise
:class:`~learn_core.errors.PrivacyError` for a group that is not compared.
"""

from __future__ import annotations

import pandas as pd

from learn_core.analysis.waves import change
from learn_core.errors import PrivacyError
from learn_core.i18n import fmt_date, fmt_int, fmt_number, t
from learn_core.instrument import DIMENSION_KEYS, Instrument

__all__ = [
    "change_cards", "change_sentences", "change_table", "compare_text", "first_last_series",
    "group_change_table", "method_text", "p_text", "pdca_table", "problem_texts", "series_frame", "series_table",
    "waves_line_chart",
]  # fmt: skip


def _signed(delta: float | None, lang: str) -> str:
    if delta is None:
        return "–"
    return ("+" if round(delta, 1) > 0 else "") + fmt_number(0.0 if round(delta, 1) == 0 else delta, 1, lang)


def p_text(p: float | None, lang: str = "de") -> str:
    """A p-value as text: ``0,012``; below 0.001 ``< 0,001``; None ``–``."""
    if p is None:
        return "–"
    return fmt_number(p, 3, lang) if p >= 0.001 else "< " + fmt_number(0.001, 3, lang)


def _verdict(entry: dict, lang: str) -> str:
    return t(f"verlauf2.verdict_{entry['verdict']}", lang) if "verdict" in entry else ""


def _entries(result: dict, group: str | None) -> tuple[dict, dict, list[dict]]:
    """Dimension changes, index change and series of the organisation or a compared group."""
    if group is None:
        return result["dimensions"], result["index"], result["series"]["organisation"]
    if group not in result["groups"]:
        raise PrivacyError(code="privacy.group_hidden", params={"k": result["min_group_size"]})
    series = result["series"]["groups"][group]
    return result["groups"][group], change(series[0]["index"], series[-1]["index"]), series


def change_table(result: dict, instrument: Instrument, lang: str = "de", group: str | None = None) -> pd.DataFrame:
    """Per dimension and the index: first wave, last wave, change in points,
    for the organisation also p and the verdict (formatted); raises PrivacyError."""
    dims, index, _ = _entries(result, group)
    first, last = result["waves"][0], result["waves"][-1]
    rows = []
    for name, e in [(d.name(lang), dims[d.key]) for d in instrument.dimensions] + [(t("col.index", lang), index)]:
        row = {t("col.dimension", lang): name, first: fmt_number(e["before"], 1, lang),
               last: fmt_number(e["after"], 1, lang), t("verlauf2.col_change", lang): _signed(e["delta"], lang)}
        # the Holm-corrected p of the first-to-last test; the index has no test of its own
        row[t("verlauf2.col_p", lang)] = p_text(e.get("p_holm"), lang)
        row[t("verlauf2.col_verdict", lang)] = _verdict(e, lang)
        rows.append(row)
    return pd.DataFrame(rows)


def group_change_table(result: dict, instrument: Instrument, lang: str = "de") -> pd.DataFrame:
    """Per compared group the change in points of every dimension and of the index (formatted)."""
    rows = []
    for name in result["groups"]:
        dims, index, _ = _entries(result, name)
        row = {t("col.group", lang): name, **{d.name(lang): _signed(dims[d.key]["delta"], lang)
                                              for d in instrument.dimensions}}
        rows.append({**row, t("col.index", lang): _signed(index["delta"], lang)})
    return pd.DataFrame(rows)


def change_cards(result: dict, instrument: Instrument, lang: str = "de") -> list[dict]:
    """Per dimension of the organisation: ``name``, ``value`` (last wave),
    ``delta`` ("+6,2 Punkte" or None), ``verdict`` (words), ``significant``
    (p < 0.05: the change may be coloured) and ``sentence`` (plain words)."""
    cards = []
    for dim in instrument.dimensions:
        e = result["dimensions"][dim.key]
        name, delta = dim.name(lang), _signed(e["delta"], lang)
        if e["delta"] is None:
            sentence = t("verlauf2.sentence_not_compared", lang, dimension=name,
                         reason=e["reason_en" if lang == "en" else "reason"] or "")
        else:
            p = p_text(e.get("p_holm"), lang)
            sentence = t("verlauf3.sentence", lang, dimension=name, verdict=_verdict(e, lang), delta=delta,
                         before=fmt_number(e["before"], 1, lang), after=fmt_number(e["after"], 1, lang),
                         first=result["waves"][0], last=result["waves"][-1],
                         p=("p " + p if p.startswith("<") else "p = " + p) + ", " + method_text(e, lang))
            if e.get("trend"):
                sentence += " " + t("verlauf3.trend", lang, slope=_signed(e["trend"]["slope"], lang),
                                    p=p_text(e["trend"]["p"], lang), n=len(result["waves"]))
        cards.append({"name": name, "value": fmt_number(e["after"], 1, lang), "verdict": _verdict(e, lang),
                      "delta": None if e["delta"] is None else t("verlauf2.points", lang, delta=delta),
                      "significant": e["verdict"] not in ("none", "not_compared"), "sentence": sentence})
    return cards


def method_text(entry: dict, lang: str = "de") -> str:
    """Which test a change rests on, in words (with the Holm correction)."""
    if entry.get("method") == "wilcoxon":
        return t("verlauf3.method_paired", lang, n=fmt_int(entry.get("pairs"), lang))
    return t("verlauf3.method_independent", lang)


def change_sentences(result: dict, instrument: Instrument, lang: str = "de") -> list[str]:
    """One plain-words sentence per dimension about its change (or why it is not compared)."""
    return [card["sentence"] for card in change_cards(result, instrument, lang)]


def problem_texts(result: dict, lang: str = "de") -> list[tuple[str, str]]:
    """The comparison's problems as (severity, text in ``lang``)."""
    return [(p["severity"], p["message_en" if lang == "en" else "message"]) for p in result["problems"]]


def series_frame(result: dict, instrument: Instrument, lang: str = "de", group: str | None = None) -> pd.DataFrame:
    """Long table for :func:`waves_line_chart` (compared dimensions only):
    ``order``, ``wave``, ``dimension`` (name), ``score``, ``score_text``; raises PrivacyError."""
    _, _, series = _entries(result, group)
    rows = [{"order": i, "wave": p["wave"], "dimension": d.name(lang), "score": p["scores"][d.key],
             "score_text": fmt_number(p["scores"][d.key], 1, lang)}
            for d in instrument.dimensions for i, p in enumerate(series) if p["scores"][d.key] is not None]
    return pd.DataFrame(rows, columns=["order", "wave", "dimension", "score", "score_text"])


def series_table(result: dict, instrument: Instrument, lang: str = "de", group: str | None = None) -> pd.DataFrame:
    """Wave × dimension scores and the index (formatted), the line chart's table; raises PrivacyError."""
    _, _, series = _entries(result, group)
    return pd.DataFrame([
        {t("verlauf2.col_wave", lang): p["wave"], t("col.n", lang): fmt_int(p["n"], lang),
         **{d.name(lang): fmt_number(p["scores"][d.key], 1, lang) for d in instrument.dimensions},
         t("col.index", lang): fmt_number(p["index"], 1, lang)}
        for p in series
    ])


def first_last_series(result: dict, group: str | None = None) -> list[tuple[str, dict]]:
    """Series for :func:`learn_core.display.charts.radar_chart`: the first and the last wave; raises PrivacyError."""
    _, _, series = _entries(result, group)
    return [(p["wave"], dict(p["scores"])) for p in (series[0], series[-1])] if series else []


def waves_line_chart(frame: pd.DataFrame, *, lang: str = "de", large: bool = False):
    """Line chart of the dimension scores over the waves (data: :func:`series_frame`).

    Returns
    -------
    alt.LayerChart: a line per dimension on 0–100 in the Okabe–Ito colours,
    told apart also by point shape and stroke dash; tooltips with the wave,
    the dimension and the score as text (59,4 in German).
    """
    import altair as alt

    from learn_core.display.chartdata import DASHES, INK, OKABE_ITO, SHAPES, short_labels

    fs, de = 22 if large else 13, lang == "de"
    frame = frame.assign(wave=frame["wave"].map(short_labels(list(frame["wave"]))))
    names = list(dict.fromkeys(frame["dimension"]))
    scale = lambda values: alt.Scale(domain=names, range=values[: max(1, len(names))])  # noqa: E731
    base = alt.Chart(frame).encode(
        x=alt.X("wave:N", sort=list(dict.fromkeys(frame.sort_values("order")["wave"])), title=None,
                axis=alt.Axis(labelAngle=0, labelFontSize=fs, labelColor=INK, labelLimit=240)),
        y=alt.Y("score:Q", scale=alt.Scale(domain=[0, 100]), title="Wert (0–100)" if de else "Score (0–100)",
                axis=alt.Axis(labelFontSize=fs, titleFontSize=fs, values=[0, 20, 40, 60, 80, 100])),
        color=alt.Color("dimension:N", scale=scale(OKABE_ITO),
                        legend=alt.Legend(title=None, orient="bottom", labelFontSize=fs)),
    )
    lines = base.mark_line(strokeWidth=4 if large else 2.5).encode(
        strokeDash=alt.StrokeDash("dimension:N", scale=scale(DASHES), legend=None))
    points = base.mark_point(filled=True, size=220 if large else 90, opacity=1).encode(
        shape=alt.Shape("dimension:N", scale=scale(SHAPES), legend=None),
        tooltip=[alt.Tooltip("wave:N", title="Welle" if de else "Wave"), alt.Tooltip("dimension:N", title="Dimension"),
                 alt.Tooltip("score_text:N", title="Wert" if de else "Score")])
    return alt.layer(lines, points).properties(width=760 if large else 560, height=420 if large else 320)


def _cell(value: object) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def pdca_table(result: dict, plan: pd.DataFrame, instrument: Instrument, lang: str = "de") -> pd.DataFrame:
    """The measures of an action plan (:mod:`learn_core.actionplan` columns)
    beside the change of their dimension in the organisation, in dimension order."""
    names = {d.key: d.name(lang) for d in instrument.dimensions}
    rows = []
    for _, m in plan.iterrows():
        key, due = _cell(m.get("Dimension")), m.get("Fällig bis")
        e = result["dimensions"].get(key)
        rows.append((DIMENSION_KEYS.index(key) if key in DIMENSION_KEYS else len(DIMENSION_KEYS), {
            t("verlauf2.col_measure", lang): _cell(m.get("Maßnahme")) or _cell(m.get("ID")),
            t("col.dimension", lang): names.get(key, "–"),
            t("verlauf2.col_status", lang): _cell(m.get("Status")) or "Plan",
            t("verlauf2.col_owner", lang): _cell(m.get("Verantwortlich")),
            t("verlauf2.col_due", lang): fmt_date(due, lang) if isinstance(due, pd.Timestamp) and not pd.isna(due) else "",
            t("verlauf2.col_change", lang): _signed(e["delta"], lang) if e else "–",
            t("verlauf2.col_verdict", lang): _verdict(e, lang) if e else "–",
        }))
    return pd.DataFrame([row for _, row in sorted(rows, key=lambda r: r[0])])


def compare_text(result: dict, instrument: Instrument, lang: str = "de") -> str:
    """The comparison as plain text for the command line."""
    lines = [t("verlauf2.text_waves", lang, waves=" → ".join(result["waves"]),
               n=", ".join(fmt_int(n, lang) for n in result["respondents"])), "",
             change_table(result, instrument, lang).to_string(index=False), "",
             *change_sentences(result, instrument, lang)]
    if result["groups"]:
        lines += ["", t("verlauf2.col_change", lang) + ":", group_change_table(result, instrument, lang).to_string(index=False)]
    if result["hidden_groups"]:
        lines += ["", t("verlauf2.text_hidden", lang, groups=", ".join(result["hidden_groups"]))]
    if result["problems"]:
        lines += ["", t("verlauf2.text_problems", lang), *(f"  [{s}] {m}" for s, m in problem_texts(result, lang))]
    return "\n".join(lines)
