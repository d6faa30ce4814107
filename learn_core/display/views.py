"""Display data: turn an :class:`~learn_core.analysis.Analysis` into the
tables, cards, sentences and chart data the pages and reports show.

Everything a person reads is formatted here in the chosen language (German
decimal comma, level names). Only reported groups ever appear; asking for a
hidden group raises :class:`PrivacyError`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from learn_core.analysis import Analysis
from learn_core.analysis.results import GroupResult
from learn_core.errors import PrivacyError
from learn_core.i18n import fmt_int, fmt_number, fmt_percent, t
from learn_core.instrument import Instrument, levels

__all__ = [
    "ALPHA_MIN_ROWS",
    "PrivacyError",
    "alpha_note",
    "dimension_cards",
    "dimension_table",
    "group_table",
    "heatmap_data",
    "hidden_groups",
    "hidden_items",
    "item_distribution",
    "item_likert_data",
    "item_table",
    "level_text",
    "pair_sentences",
    "targets_sentence",
    "versus_rest_table",
    "reliability_rows",
    "kruskal_sentences",
    "matched_for",
    "organisation_label",
    "radar_series",
    "radar_table",
    "reason_text",
    "strength_rows",
    "whole_name",
]


def organisation_label(analysis: Analysis, lang: str = "de") -> str:
    """The name of the organisation row (a table row, the radar's black line):
    the whole administration, or the filter's selection – a filtered
    analysis's organisation is the filter cell."""
    sub = analysis.result.subset
    if sub is None:
        return t("label.organisation", lang)
    return t("label.organisation_selection", lang, column=sub.column, value=sub.value)


def whole_name(analysis: Analysis, lang: str = "de", whole_key: str = "label.whole") -> str:
    """The organisation as it stands inside a sentence ("im Vergleich zur {whole}"):
    the text ``whole_key`` (Gesamtverwaltung), or the filter's selection."""
    sub = analysis.result.subset
    if sub is None:
        return t(whole_key, lang)
    return t("label.whole_selection", lang, column=sub.column, value=sub.value)


def level_name(level: int | None, lang: str = "de") -> str:
    if level is None:
        return "–"
    return levels()[level - 1].name(lang)


def level_meaning(level: int | None, lang: str = "de") -> str:
    if level is None:
        return ""
    return levels()[level - 1].meaning(lang)


def _summary(analysis: Analysis, group: str | None) -> GroupResult:
    if group is None:
        if analysis.organisation is None:
            raise PrivacyError(code="privacy.org_hidden", params={"k": analysis.min_group_size})
        return analysis.organisation
    if group not in analysis.result.groups:
        raise PrivacyError(code="privacy.group_hidden", params={"k": analysis.min_group_size})
    return analysis.result.groups[group]


def level_text(level: int | None, levels: tuple[int, int] | None, lang: str = "de") -> str:
    """"Stufe 3: Im Aufbau", or "Stufe 3–4: zwischen …" when the interval
    straddles a band edge (the level is not certain)."""
    if level is None:
        return "–"
    if levels and levels[0] != levels[1]:
        return t("label.level_between", lang, low=levels[0], high=levels[1], low_name=level_name(levels[0], lang),
                 high_name=level_name(levels[1], lang))
    return t("label.level_one", lang, level=level, name=level_name(level, lang))


def alpha_text(d, lang: str = "de") -> str:
    """Alpha with its interval and n ("0,80 (Vertrauensbereich 0,75–0,85; n = 161)")."""
    if d.alpha is None:
        return "–"
    if not d.alpha_ci95:
        return fmt_number(d.alpha, 2, lang)
    return t("alpha.with_ci", lang, alpha=fmt_number(d.alpha, 2, lang), low=fmt_number(d.alpha_ci95[0], 2, lang),
             high=fmt_number(d.alpha_ci95[1], 2, lang), n=fmt_int(d.alpha_n, lang))


def reason_text(reason: str | None, k: int, lang: str = "de") -> str:
    """Why a figure is hidden, in words (empty for a reported figure)."""
    return t(f"privacy.reason_{reason}", lang, k=k) if reason else ""


def ci_text(ci: tuple[float, float] | None, lang: str) -> str:
    if not ci:
        return "–"
    lo, hi = max(0.0, ci[0]), min(100.0, ci[1])
    return f"{fmt_number(lo, 1, lang)} – {fmt_number(hi, 1, lang)}"


#: Complete responses from which alpha is given a verbal judgement (below it the
#: interval is too wide for one: at n = 30 and six items about ±0.1).
ALPHA_MIN_ROWS = 30


def alpha_note(alpha: float | None, lang: str = "de", n: int | None = None) -> str:
    """Interpretation of Cronbach's alpha (George & Mallery's rule of thumb),
    from the value as shown (two decimals): 0,80 reads "gut", never
    "akzeptabel" beside it; no judgement from fewer than :data:`ALPHA_MIN_ROWS`
    complete responses (``n``)."""
    if alpha is None:
        return t("alpha.none", lang)
    if n is not None and n < ALPHA_MIN_ROWS:
        return t("alpha.too_few", lang, n=ALPHA_MIN_ROWS)
    alpha = round(alpha, 2)
    for bound, key in ((0.9, "excellent"), (0.8, "good"), (0.7, "acceptable"), (0.6, "questionable"), (0.5, "poor")):
        if alpha >= bound:
            return t(f"alpha.{key}", lang)
    return t("alpha.unacceptable", lang)


def dimension_cards(analysis: Analysis, instrument: Instrument, lang: str = "de", group: str | None = None) -> list[dict]:
    """One card per dimension: name, score, interval, favourable share, level."""
    summary = _summary(analysis, group)
    k = analysis.min_group_size
    cards = []
    for dim in instrument.dimensions:
        d = summary.dimensions[dim.key]
        cards.append(
            {
                "key": dim.key,
                "name": dim.name(lang),
                "score": d.score,
                "score_text": fmt_number(d.score, 1, lang),
                "ci_text": ci_text(d.ci95, lang),
                "favourable_text": fmt_percent(d.favourable, 0, lang),
                "level": d.level,
                "level_name": level_name(d.level, lang),
                "level_meaning": level_meaning(d.level, lang),
                "n": d.n,
                "alpha": d.alpha,
                "alpha_n": d.alpha_n,
                "alpha_text": fmt_number(d.alpha, 2, lang),
                "alpha_full_text": alpha_text(d, lang),
                "low_alpha": d.alpha is not None and d.alpha < 0.7 and (d.alpha_n or 0) >= ALPHA_MIN_ROWS,
                "level_text": level_text(d.level, d.level_range, lang),
                "level_certain": not (d.level_range and d.level_range[0] != d.level_range[1]),
                "hidden": d.hidden,
                "hidden_text": reason_text(d.hidden, k, lang),
                "favourable_hidden_text": reason_text(d.favourable_hidden, k, lang),
            }
        )
    return cards


def dimension_table(analysis: Analysis, instrument: Instrument, lang: str = "de", group: str | None = None) -> pd.DataFrame:
    """The dimension cards as a table (the table alternative of the radar chart)."""
    rows = [
        {
            t("col.dimension", lang): c["name"],
            t("col.score", lang): c["score_text"],
            t("col.ci95", lang): c["ci_text"],
            t("col.favourable", lang): c["favourable_text"],
            t("col.level", lang): t("privacy.cell", lang) if c["hidden"] else c["level_text"],
            t("col.n", lang): fmt_int(c["n"], lang),
            t("col.alpha", lang): c["alpha_text"],
        }
        for c in dimension_cards(analysis, instrument, lang, group)
    ]
    return pd.DataFrame(rows)


def radar_table(analysis: Analysis, instrument: Instrument, lang: str, groups: list[str]) -> pd.DataFrame:
    """The organisation's and the chosen groups' dimension tables, stacked (radar table alternative)."""
    parts = []
    for name in [None, *groups]:
        part = dimension_table(analysis, instrument, lang, group=name)
        part.insert(0, t("col.group", lang), organisation_label(analysis, lang) if name is None else name)
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def group_table(analysis: Analysis, instrument: Instrument, lang: str = "de") -> pd.DataFrame:
    """Reported groups with n, index and dimension scores (formatted), and the
    index's rank band when the analysis gives one (:mod:`learn_core.analysis.benchmark`)."""
    from learn_core.display.benchmark import band_text

    bench = analysis.result.benchmark
    banded = bench is not None and bool(bench.ranked.get("index"))
    rows = []
    for name, g in analysis.result.groups.items():
        row = {t("col.group", lang): name, t("col.n", lang): fmt_int(g.n, lang),
               t("col.index", lang): fmt_number(g.index, 1, lang)}
        for dim in instrument.dimensions:
            row[dim.name(lang)] = fmt_number(g.dimensions[dim.key].score, 1, lang)
        if banded and bench is not None:
            row[t("benchmark.col_index", lang)] = band_text(bench.band(name, "index"), lang)
        rows.append(row)
    return pd.DataFrame(rows)


def heatmap_data(analysis: Analysis, instrument: Instrument, lang: str = "de") -> pd.DataFrame:
    """Long table group × dimension with score and difference to the
    organisation; a hidden cell has NaN figures and ``hidden`` True."""
    org = analysis.organisation
    rows = []
    for name, g in analysis.result.groups.items():
        for dim in instrument.dimensions:
            s = g.dimensions[dim.key].score
            o = org.dimensions[dim.key].score if org else None
            rows.append(
                {
                    "group": name,
                    "dimension": dim.name(lang),
                    "score": np.nan if s is None else s,
                    "diff": np.nan if s is None or o is None else s - o,
                    "hidden": g.dimensions[dim.key].hidden is not None,
                    "mark": _mark(g.dimensions[dim.key]),
                }
            )
    return pd.DataFrame(rows, columns=["group", "dimension", "score", "diff", "hidden", "mark"])


def _mark(d) -> str:
    verdict = d.vs_rest.verdict if d.vs_rest else None
    return "" if verdict is None else {"strength": "▲", "focus": "▼"}.get(verdict, "")


def radar_series(analysis: Analysis, groups: list[str], lang: str = "de") -> list[tuple[str, dict]]:
    """Series for :func:`learn_core.display.charts.radar_chart`: the organisation, then the chosen groups."""
    out = []
    if analysis.organisation is not None:
        out.append((organisation_label(analysis, lang), analysis.organisation.scores()))
    for name in groups:
        out.append((name, _summary(analysis, name).scores()))
    return out


def p_text(p: float, lang: str = "de") -> str:
    """``"p = 0,012"``, or ``"p < 0,001"`` for smaller values."""
    if p < 0.001:
        return "p < " + fmt_number(0.001, 3, lang)
    return "p = " + fmt_number(p, 3, lang)


def effect_size_word(epsilon2: float, lang: str = "de") -> str:
    """Rea & Parker's bands for epsilon²: < 0.01 negligible, < 0.08 small, < 0.26 medium, else large."""
    for bound, key in ((0.01, "negligible"), (0.08, "small"), (0.26, "medium")):
        if epsilon2 < bound:
            return t(f"effect.{key}", lang)
    return t("effect.large", lang)


def kruskal_sentences(analysis: Analysis, instrument: Instrument, lang: str = "de") -> list[str]:
    """One plain-words sentence per dimension about the Kruskal–Wallis result."""
    out = []
    for dim in instrument.dimensions:
        test = analysis.result.comparison.get(dim.key)
        if test is None:
            continue
        values = {
            "dimension": dim.name(lang),
            "H": fmt_number(test.H, 1, lang),
            "p": p_text(test.p, lang),
            "eps": fmt_number(test.epsilon2, 2, lang),
            "effect": effect_size_word(test.epsilon2, lang),
        }
        values["p"] = p_text(test.p_holm, lang)
        if test.p_holm < 0.05 and test.epsilon2 >= 0.08:
            out.append(t("kw.clear", lang, **values))
        elif test.p_holm < 0.05:
            out.append(t("kw.slight", lang, **values))
        else:
            out.append(t("kw.none", lang, **values))
    return out


def pair_sentences(analysis: Analysis, instrument: Instrument, lang: str = "de") -> list[str]:
    """Per dimension with a secured difference: which departments differ
    (Dunn's test, Holm within the dimension), in plain words."""
    out = []
    for dim in instrument.dimensions:
        test = analysis.result.comparison.get(dim.key)
        if test is None or test.p_holm >= 0.05:
            continue
        pairs = [pr for pr in test.pairs if pr.p_holm < 0.05]
        if not pairs:
            out.append(t("kw.pairs_none", lang, dimension=dim.name(lang)))
            continue
        text = ", ".join(t("kw.pair", lang, a=pr.a, b=pr.b, p=p_text(pr.p_holm, lang))
                         for pr in sorted(pairs, key=lambda pr: pr.p_holm))
        out.append(t("kw.pairs", lang, dimension=dim.name(lang), pairs=text))
    return out


def versus_rest_table(analysis: Analysis, instrument: Instrument, lang: str = "de") -> pd.DataFrame:
    """Every reported department × dimension against the rest of the
    organisation: difference, its 95 % interval, Holm-corrected p and verdict."""
    rows = []
    for name, g in analysis.result.groups.items():
        for dim in instrument.dimensions:
            vs = g.dimensions[dim.key].vs_rest
            if vs is None:
                continue
            verdict = {"strength": "▲ " + t("col.strengths", lang), "focus": "▼ " + t("col.focus", lang)}.get(
                vs.verdict or "", "–")
            rows.append({
                t("col.group", lang): name + (" (n < 10)" if vs.small_n else ""),
                t("col.dimension", lang): dim.name(lang),
                t("col.diff", lang): ("+" if vs.diff > 0 else "") + fmt_number(vs.diff, 1, lang),
                t("col.ci95", lang): f"{fmt_number(vs.ci95[0], 1, lang)} – {fmt_number(vs.ci95[1], 1, lang)}",
                t("col.p_holm", lang): "–" if vs.p_holm is None else p_text(vs.p_holm, lang),
                t("col.verdict", lang): verdict,
            })
    return pd.DataFrame(rows)


def strength_rows(analysis: Analysis, instrument: Instrument, lang: str = "de") -> pd.DataFrame:
    """Per reported group its strengths and focus areas (dimension names)."""
    names = {d.key: d.name(lang) for d in instrument.dimensions}
    rows = [
        {
            t("col.group", lang): name,
            t("col.strengths", lang): ", ".join(names[k] for k in g.strengths) or "–",
            t("col.focus", lang): ", ".join(names[k] for k in g.focus_areas) or "–",
        }
        for name, g in analysis.result.groups.items()
    ]
    return pd.DataFrame(rows)


def item_distribution(analysis: Analysis, lang: str = "de", group: str | None = None) -> pd.DataFrame:
    """Answer distribution per item as worded (before reversal).

    Returns a table with one row per item: ``id``, ``dimension``, ``text``,
    ``reverse``, ``n``, ``share_1`` … ``share_5`` (percent of the item's
    valid answers), ``favourable`` (percent 4–5 after reversal) and
    ``agree`` (percent 4–5 as worded: for a reversed statement the share that
    agrees with the statement as printed), and ``hidden`` (the reason, or
    None); a hidden item's figures are NaN.

    Raises
    ------
    PrivacyError
        when ``group`` is hidden or the organisation is not reported.
    """
    summary = _summary(analysis, group)
    instrument = analysis.survey.instrument
    rows = []
    for item in instrument.items:
        it = summary.items[item.id]
        row = {"id": item.id, "dimension": item.dimension, "text": item.text(lang), "reverse": item.reverse,
               "n": it.n if it.n is not None else np.nan, "hidden": it.hidden,
               "favourable": np.nan if it.favourable is None else it.favourable}
        for a in range(1, 6):
            row[f"share_{a}"] = np.nan if it.shares is None else it.shares[a - 1]
        row["agree"] = np.nan if it.shares is None else it.shares[3] + it.shares[4]
        rows.append(row)
    return pd.DataFrame(rows)


def hidden_items(analysis: Analysis, group: str | None = None) -> list[str]:
    """IDs of the statements hidden for the organisation or a reported group."""
    return [i for i, it in _summary(analysis, group).items.items() if it.hidden]


def hidden_groups(analysis: Analysis, lang: str = "de") -> list[tuple[str, str]]:
    """Hidden groups with the reason in words, no figures: below the minimum
    size, hidden so that the small ones cannot be worked out by subtraction,
    or because another grouping of the same data would give them away."""
    k = analysis.min_group_size
    key = {"min_size": "privacy.hidden_list", "complementary": "privacy.hidden_complement",
           "overlap": "privacy.hidden_overlap"}
    return [(h.name, t(key.get(h.reason, "privacy.hidden_complement"), lang, k=k)) for h in analysis.result.hidden_groups]


def matched_for(analysis: Analysis, group: str | None = None):
    """The target dimensions (the two weakest enablers) and the matched
    recommendations of the organisation (``group=None``) or a reported group."""
    from learn_core.analysis.compute import targets_of
    from learn_core.recommendations import match

    unit = _summary(analysis, group)
    targets, _ = targets_of(unit)
    return targets, match(unit.scores(), targets=targets)


def targets_sentence(analysis: Analysis, instrument: Instrument, lang: str = "de", group: str | None = None) -> str:
    """Why these measures: the weakest enablers, Lernerfolg as the outcome,
    and when the choice is uncertain."""
    from learn_core.analysis.compute import targets_of
    from learn_core.recommendations import weakest_enablers

    unit = _summary(analysis, group)
    targets, certain = targets_of(unit)
    names = {d.key: d.name(lang) for d in instrument.dimensions}
    joined = (" und " if lang == "de" else " and ").join(names[k] for k in targets)
    outcome = unit.dimensions["lernerfolg"]
    text = t("massnahmen.intro", lang, dims=joined, name=names["lernerfolg"],
             outcome=fmt_number(outcome.score, 1, lang) if outcome.score is not None else "–")
    if not certain:
        other = [k for k in weakest_enablers(unit.scores(), 3) if k not in targets]
        text += " " + t("massnahmen.uncertain", lang, other=names[other[0]])
    return text


def _item_label(row, width: int = 58) -> str:
    """The whole statement with its ID (↺ for a negatively worded one), in
    lines of about ``width`` characters joined by a line break (the chart's
    axis shows them as lines)."""
    words, lines, line = f"{row['id']}{' ↺' if row['reverse'] else ''} {row['text']}".split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return "\n".join([*lines, line])


def item_likert_data(analysis: Analysis, lang: str, group: str | None, dimension: str) -> pd.DataFrame:
    """Long table (item label, answer 1–5, share) of one dimension for :func:`likert_chart`."""
    dist = item_distribution(analysis, lang, group)
    dist = dist[(dist["dimension"] == dimension) & dist["hidden"].isna()]
    rows = [
        {"item": _item_label(r), "answer": a, "share": r[f"share_{a}"]}
        for _, r in dist.iterrows()
        for a in range(1, 6)
    ]
    return pd.DataFrame(rows, columns=["item", "answer", "share"])


def item_table(analysis: Analysis, lang: str, group: str | None, dimension: str | None = None) -> pd.DataFrame:
    """Per item: text, n, share of each answer and the favourable share (formatted)."""
    dist = item_distribution(analysis, lang, group)
    if dimension is not None:
        dist = dist[dist["dimension"] == dimension]
    labels = analysis.survey.instrument.scale.labels(lang)
    rows = []
    for _, r in dist.iterrows():
        hidden = r["hidden"] is not None and r["hidden"] == r["hidden"]
        row = {
            "Item": r["id"] + (" ↺" if r["reverse"] else ""),
            t("col.statement", lang): r["text"],
            t("col.n", lang): t("privacy.cell", lang) if hidden else fmt_int(int(r["n"]), lang),
        }
        for a in range(1, 6):
            row[f"{a} {labels[a - 1]}"] = fmt_percent(r[f"share_{a}"], 0, lang)
        row[t("col.favourable", lang)] = fmt_percent(r["favourable"], 0, lang)
        rows.append(row)
    return pd.DataFrame(rows)


def reliability_rows(analysis: Analysis, instrument: Instrument, lang: str, group: str | None = None) -> pd.DataFrame:
    """Cronbach's alpha per dimension with its interpretation."""
    return pd.DataFrame(
        [
            {
                t("col.dimension", lang): c["name"],
                t("col.alpha", lang): c["alpha_full_text"],
                t("col.interpretation", lang): alpha_note(c["alpha"], lang, c["alpha_n"]),
            }
            for c in dimension_cards(analysis, instrument, lang, group)
        ]
    )


def chart_summary(frame: pd.DataFrame, lang: str = "de", *, rows: int = 12, columns: int = 3) -> str:
    """The values of a chart as one text a screen reader reads out (WCAG 1.1.1):
    its table alternative row by row, the first column naming the row, then
    up to ``columns`` further columns as "header value"; after ``rows`` rows
    a note how many follow. The table tab beside the chart holds everything.

    >>> chart_summary(pd.DataFrame({"Dimension": ["Motivation", "Führung"], "Wert": ["64,9", "54,7"]}))
    'Motivation: Wert 64,9. Führung: Wert 54,7.'
    """
    if frame is None or frame.empty or frame.shape[1] == 0:
        return t("common.chart_summary_empty", lang)
    head = [str(c) for c in frame.columns]
    keep = min(columns, len(head) - 1)
    parts = []
    for values in frame.head(rows).itertuples(index=False):
        cells = [_cell(v, lang) for v in values]
        rest = ", ".join(f"{h} {c}" for h, c in zip(head[1:1 + keep], cells[1:1 + keep], strict=True) if c)
        parts.append(f"{cells[0]}: {rest}." if rest else f"{cells[0]}.")
    if len(frame) > rows:
        parts.append(t("common.chart_summary_more", lang, n=fmt_int(len(frame) - rows, lang)))
    return " ".join(parts)


def _cell(value: object, lang: str) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, float):
        return fmt_number(value, 1, lang)
    return str(value)
