"""Survey waves: the change between two or more analyses (oldest first),
the "Check" of the PDCA cycle, with privacy across waves.

:func:`compare_waves` is the one call the command line and the Verlauf page
make; the other public functions turn its JSON-ready result into the
tables, sentences and chart they show.

Rules (pinned by tests/test_waves.py):

* waves are matched by item ID, whatever their column layout or instrument
  version; a dimension is compared over the items that every wave holds
  (same dimension, same reverse key), and only when these are at least as
  many as a respondent needs for a score (4 of 6) and every wave can score
  it; otherwise its figures are null and ``reason`` and a problem say why;
* ``before``/``after`` are the organisation's dimension scores in the first
  and the last wave (the mean of the respondents' scores over the common
  items: with the same items in every wave exactly the analysis' scores),
  ``delta`` = after − before, ``p`` the two-sided Mann–Whitney U p-value of
  the respondents' scores of the first and the last wave
  (:func:`~learn_core.statistics.mann_whitney_p`: exact without ties in
  small samples, else the normal approximation with tie and continuity
  correction; the tests check both against a hand computation);
* the organisation is compared only when it is reported in every wave, a
  group only when it is reported (minimum size and complementary
  suppression) in every wave; every other group is named in
  ``hidden_groups``, without any figure: its change is as hidden as its level;
* verdict: p < 0.05 and |delta| ≥ 5 points: clearly improved/worsened;
  p < 0.05 and a smaller change: slightly; otherwise no demonstrable change.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from learn_core.analysis import Analysis
from learn_core.i18n import fmt_date, fmt_int, fmt_number, t
from learn_core.instrument import DIMENSION_KEYS, Instrument, Item
from learn_core.scoring import dimension_scores
from learn_core.statistics import mann_whitney_p
from learn_core.views import PrivacyError

__all__ = [
    "CLEAR_CHANGE", "SIGNIFICANCE", "change_cards", "change_sentences", "change_table", "compare_text",
    "compare_waves", "default_labels", "first_last_series", "group_change_table", "label_from_name", "p_text",
    "pdca_table", "problem_texts", "series_frame", "series_table", "verdict", "waves_line_chart",
]

#: Significance level of the Mann–Whitney U test.
SIGNIFICANCE = 0.05
#: A change of at least this many points (on 0–100) counts as clear.
CLEAR_CHANGE = 5.0


# --------------------------------------------------------------------------- labels


def label_from_name(name: str, taken: Sequence[str] = ()) -> str:
    """A wave label from a file name: its stem (``Herbst 2025.xlsx`` →
    ``Herbst 2025``), made unique against ``taken`` with " (2)", " (3)" …"""
    stem = Path(str(name)).stem.strip() or "Welle"
    label, i = stem, 2
    while label in taken:
        label, i = f"{stem} ({i})", i + 1
    return label


def default_labels(names: Sequence[str]) -> list[str]:
    """Unique wave labels for file names, in order (:func:`label_from_name`)."""
    out: list[str] = []
    for name in names:
        out.append(label_from_name(name, out))
    return out


def _check_labels(labels: Sequence[str] | None, analyses: list[Analysis]) -> list[str]:
    if labels is None:
        return default_labels([a.result["file"] or f"Welle {i}" for i, a in enumerate(analyses, 1)])
    labels = [str(x).strip() for x in labels]
    if len(labels) != len(analyses):
        raise ValueError(f"Es sind {len(analyses)} Wellen, aber {len(labels)} Namen angegeben.")
    if not all(labels):
        raise ValueError("Jede Welle braucht einen Namen.")
    if len(set(labels)) != len(labels):
        raise ValueError("Zwei Wellen haben denselben Namen; bitte eindeutige Namen vergeben.")
    return labels


# --------------------------------------------------------------------------- comparison


def verdict(delta: float | None, p: float | None) -> str:
    """The verdict code of a change: ``clear_up``, ``slight_up``, ``none``,
    ``slight_down``, ``clear_down``, or ``not_compared`` when ``delta`` is None."""
    if delta is None:
        return "not_compared"
    if p is None or p >= SIGNIFICANCE or delta == 0:
        return "none"
    return ("clear_" if abs(delta) >= CLEAR_CHANGE else "slight_") + ("up" if delta > 0 else "down")


def _problem(severity: str, key: str, **values: object) -> dict:
    return {"row": None, "column": None, "severity": severity,
            "message": t(f"verlauf2.{key}", "de", **values), "message_en": t(f"verlauf2.{key}", "en", **values)}


def _present(analysis: Analysis) -> dict[str, Item]:
    missing = set(analysis.survey.report.missing_items)
    return {it.id: it for it in analysis.survey.instrument.items if it.id not in missing}


def _common_items(analyses: list[Analysis], labels: list[str], problems: list[dict],
                  reasons: dict[str, dict]) -> dict[str, list[str]]:
    """Per comparable dimension the item IDs every wave holds; for every other
    dimension a problem, also kept in ``reasons``."""
    ref = analyses[0].survey.instrument
    present = [_present(a) for a in analyses]
    out: dict[str, list[str]] = {}
    for key in DIMENSION_KEYS:
        name = ref.dimension(key).name_de
        ids = []
        for it in ref.items_of(key):
            found = [p.get(it.id) for p in present]
            if all(f is not None for f in found):
                if all((f.dimension, f.reverse) == (it.dimension, it.reverse) for f in found):
                    ids.append(it.id)
                else:
                    problems.append(_problem("warning", "p_item_differs", item=it.id))
        unscorable = [lab for a, lab in zip(analyses, labels, strict=True)
                      if key in a.survey.report.unscorable_dimensions]
        if unscorable:
            reasons[key] = _problem("warning", "p_unscorable", dimension=name, wave=unscorable[0])
        elif len(ids) < ref.min_valid(key):
            reasons[key] = _problem("warning", "p_too_few_items", dimension=name)
        else:
            out[key] = ids
            if len(ids) < len(ref.items_of(key)):
                problems.append(_problem("info", "p_reduced", dimension=name, items=", ".join(ids)))
        if key in reasons:
            problems.append(reasons[key])
    return out


def _rescore(analysis: Analysis, sub: Instrument) -> pd.DataFrame:
    """Respondent scores over the items of ``sub`` only (with the group column)."""
    ids = analysis.survey.instrument.item_ids
    frame = dimension_scores(analysis.values[:, [ids.index(it.id) for it in sub.items]], sub)
    if "group" in analysis.scores:
        frame["group"] = analysis.scores["group"].to_numpy()
    return frame


def _series(frames: list[pd.DataFrame], labels: list[str], keys: list[str], group: str | None = None) -> list[dict]:
    """Per wave: respondents, the scores of the dimensions ``keys`` and the index over them."""
    out = []
    for frame, label in zip(frames, labels, strict=False):
        part = frame if group is None else frame.loc[(frame["group"] == group).to_numpy()]
        scores: dict[str, float | None] = dict.fromkeys(DIMENSION_KEYS)
        for key in keys:
            s = part[key].to_numpy()
            scores[key] = float(s[~np.isnan(s)].mean()) if (~np.isnan(s)).any() else None
        index = float(np.mean([scores[k] for k in keys])) if keys and None not in [scores[k] for k in keys] else None
        out.append({"wave": label, "n": len(part), "scores": scores, "index": index})
    return out


def _change(before: float | None, after: float | None) -> dict:
    delta = after - before if before is not None and after is not None else None
    return {"before": before, "after": after, "delta": delta}


def _missing_items(analyses: list[Analysis], labels: list[str], problems: list[dict]) -> dict[str, list[str]]:
    """Per wave the item IDs (of any wave's instrument) that it lacks."""
    union = list(dict.fromkeys(i for a in analyses for i in a.survey.instrument.item_ids))
    missing = {}
    for a, lab in zip(analyses, labels, strict=True):
        present = _present(a)
        missing[lab] = [i for i in union if i not in present]
        if missing[lab]:
            problems.append(_problem("warning", "p_missing_items", wave=lab, items=", ".join(missing[lab])))
    return missing


def _dimensions(keys: list[str], common: dict, frames: list[pd.DataFrame], org: list[dict],
                reasons: dict[str, dict]) -> dict[str, dict]:
    """The organisation's change per dimension, with p, verdict and why a dimension is not compared."""
    out = {}
    for key in DIMENSION_KEYS:
        ok = key in keys
        entry = _change(org[0]["scores"][key], org[-1]["scores"][key]) if ok else _change(None, None)
        p = mann_whitney_p(frames[0][key].to_numpy(), frames[-1][key].to_numpy()) if ok else None
        code = verdict(entry["delta"], p)
        reason = reasons.get(key, reasons.get(""))
        entry.update(
            p=p, n_before=int(frames[0][key].notna().sum()) if ok else None,
            n_after=int(frames[-1][key].notna().sum()) if ok else None, items=common[key] if ok else [],
            verdict=code, verdict_de=t(f"verlauf2.verdict_{code}", "de"), verdict_en=t(f"verlauf2.verdict_{code}", "en"),
            reason=None if ok or not reason else reason["message"],
            reason_en=None if ok or not reason else reason["message_en"],
        )
        out[key] = entry
    return out


def compare_waves(analyses: Sequence[Analysis], labels: Sequence[str] | None = None) -> dict:
    """Compare two or more analyses of survey waves, oldest first.

    Parameters
    ----------
    analyses
        the waves' analyses (:func:`learn_core.analysis.analyse`), oldest first.
    labels
        a unique name per wave; default the file names' stems.

    Returns
    -------
    dict
        JSON-ready: ``waves`` (labels), ``files``, ``respondents``,
        ``min_group_size``, ``dimensions`` {KEY: {before, after, delta, p,
        n_before, n_after, items, verdict, verdict_de, verdict_en, reason,
        reason_en}}, ``index`` {before, after, delta, dimensions},
        ``groups`` {NAME: {KEY: {before, after, delta}}} (only groups
        reported in every wave), ``hidden_groups`` (names only),
        ``series`` {"organisation": [per wave {wave, n, scores, index}],
        "groups": {NAME: [...]}}, ``missing_items`` {label: [item IDs]} and
        ``problems`` [{row, column, severity, message, message_en}].

    Raises
    ------
    ValueError
        fewer than two analyses; labels of the wrong number, empty or repeated.
    """
    analyses = list(analyses)
    if len(analyses) < 2:
        raise ValueError("Zum Vergleich sind mindestens zwei Befragungswellen nötig.")
    labels = _check_labels(labels, analyses)
    ref = analyses[0].survey.instrument
    problems: list[dict] = []
    versions = list(dict.fromkeys(a.survey.instrument.version for a in analyses))
    if len(versions) > 1:
        problems.append(_problem("info", "p_versions", versions=", ".join(versions)))
    missing = _missing_items(analyses, labels, problems)
    reasons: dict[str, dict] = {}
    common = _common_items(analyses, labels, problems, reasons)
    for a, lab in zip(analyses, labels, strict=True):
        if a.organisation is None:
            reasons.setdefault("", _problem("error", "p_org_hidden", wave=lab, k=a.min_group_size))
    reported = "" not in reasons
    problems += [reasons[""]] if not reported else []
    keys = [k for k in DIMENSION_KEYS if k in common] if reported else []
    sub = dataclasses.replace(ref, items=tuple(ref.item(i) for k in keys for i in common[k]))
    frames = [_rescore(a, sub) for a in analyses] if reported else []
    org = _series(frames, labels, keys)
    for key in list(keys):
        empty = [p["wave"] for p in org if p["scores"][key] is None]
        if empty:
            keys.remove(key)
            reasons[key] = _problem("warning", "p_no_values", dimension=ref.dimension(key).name_de, wave=empty[0])
            problems.append(reasons[key])
    org = _series(frames, labels, keys)

    named = {g for a in analyses for g in [*a.groups, *a.suppressed_groups]}
    compared = sorted(set.intersection(*(set(a.groups) for a in analyses))) if reported else []
    hidden = sorted(named - set(compared))
    if hidden:
        problems.append(_problem("info", "p_hidden_groups", groups=", ".join(hidden)))
    group_series = {name: _series(frames, labels, keys, name) for name in compared}
    return {
        "waves": labels,
        "files": [a.result["file"] for a in analyses],
        "respondents": [a.result["respondents"] for a in analyses],
        "min_group_size": max(a.min_group_size for a in analyses),
        "dimensions": _dimensions(keys, common, frames, org, reasons),
        "index": {**(_change(org[0]["index"], org[-1]["index"]) if org else _change(None, None)), "dimensions": keys},
        "groups": {name: {k: _change(s[0]["scores"][k], s[-1]["scores"][k]) for k in DIMENSION_KEYS}
                   for name, s in group_series.items()},
        "hidden_groups": hidden,
        "series": {"organisation": org, "groups": group_series},
        "missing_items": missing,
        "problems": problems,
    }


# --------------------------------------------------------------------------- display
# Functions with a ``group`` argument raise PrivacyError for a group that is not compared.


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
        raise PrivacyError(t("privacy.group_hidden", "de", k=result["min_group_size"]))
    series = result["series"]["groups"][group]
    return result["groups"][group], _change(series[0]["index"], series[-1]["index"]), series


def change_table(result: dict, instrument: Instrument, lang: str = "de", group: str | None = None) -> pd.DataFrame:
    """Per dimension and the index: first wave, last wave, change in points,
    for the organisation also p and the verdict (formatted); raises PrivacyError."""
    dims, index, _ = _entries(result, group)
    first, last = result["waves"][0], result["waves"][-1]
    rows = []
    for name, e in [(d.name(lang), dims[d.key]) for d in instrument.dimensions] + [(t("col.index", lang), index)]:
        row = {t("col.dimension", lang): name, first: fmt_number(e["before"], 1, lang),
               last: fmt_number(e["after"], 1, lang), t("verlauf2.col_change", lang): _signed(e["delta"], lang)}
        if group is None:
            row[t("verlauf2.col_p", lang)] = p_text(e.get("p"), lang)
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
            p = p_text(e["p"], lang)
            sentence = t("verlauf3.sentence", lang, dimension=name, verdict=_verdict(e, lang), delta=delta,
                         before=fmt_number(e["before"], 1, lang), after=fmt_number(e["after"], 1, lang),
                         first=result["waves"][0], last=result["waves"][-1],
                         p="p " + p if p.startswith("<") else "p = " + p)
        cards.append({"name": name, "value": fmt_number(e["after"], 1, lang), "verdict": _verdict(e, lang),
                      "delta": None if e["delta"] is None else t("verlauf2.points", lang, delta=delta),
                      "significant": e["verdict"] not in ("none", "not_compared"), "sentence": sentence})
    return cards


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
    """Series for :func:`learn_core.charts.radar_chart`: the first and the last wave; raises PrivacyError."""
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

    from learn_core.charts import DASHES, INK, OKABE_ITO, SHAPES

    fs, de = 22 if large else 13, lang == "de"
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
