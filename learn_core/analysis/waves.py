"""Survey waves: the change between two or more analyses (oldest first),
the "Check" of the PDCA cycle, with privacy across waves.

:func:`compare_waves` is the one call the command line and the Verlauf page
make; :mod:`learn_core.display.waves` turns its JSON-ready result into the
tables, sentences and chart they show.

Rules (pinned by tests/analysis/test_waves.py):

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
  (:func:`~learn_core.analysis.inference.mann_whitney_p`: exact without ties in
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

from learn_core.analysis.compute import Analysis
from learn_core.analysis.inference import holm, linear_trend, mann_whitney_p, wilcoxon_p
from learn_core.analysis.scoring import dimension_scores, mean_score
from learn_core.errors import LearnError
from learn_core.i18n import t
from learn_core.instrument import DIMENSION_KEYS, Instrument, Item

__all__ = ["CLEAR_CHANGE", "PAIRED_MIN", "SIGNIFICANCE", "WavesError", "change", "compare_waves", "default_labels",
           "first_last_test", "label_from_name", "verdict"]



class WavesError(LearnError, ValueError):
    """The survey waves cannot be compared: fewer than two, or their names
    are of the wrong number, empty or repeated."""


#: Significance level of the Mann–Whitney U test.
SIGNIFICANCE = 0.05
#: A change of at least this many points (on 0–100) counts as clear.
CLEAR_CHANGE = 5.0
#: The fewest people in both waves (by their pseudonymous code) for a paired test.
PAIRED_MIN = 10


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
        return default_labels([a.result.file or f"Welle {i}" for i, a in enumerate(analyses, 1)])
    labels = [str(x).strip() for x in labels]
    if len(labels) != len(analyses):
        raise WavesError(code="errors.waves.labels_count", params={"waves": len(analyses), "labels": len(labels)})
    if not all(labels):
        raise WavesError(code="errors.waves.label_empty")
    if len(set(labels)) != len(labels):
        raise WavesError(code="errors.waves.label_twice")
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
            found = [f for p in present if (f := p.get(it.id)) is not None]
            if len(found) == len(present):
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
    for column in ("group", "code"):
        if column in analysis.scores:
            frame[column] = analysis.scores[column].to_numpy()
    return frame


def _series(frames: list[pd.DataFrame], labels: list[str], keys: list[str], analyses: list[Analysis],
            group: str | None = None) -> list[dict]:
    """Per wave: respondents, the scores of the dimensions ``keys`` and the index over them.

    A score is None where the wave's analysis hides that cell, or where fewer
    than k respondents have a score over the compared items (the privacy
    rules of :mod:`learn_core.analysis.privacy` hold for every wave)."""
    out = []
    for frame, label, analysis in zip(frames, labels, analyses, strict=False):
        unit = analysis.organisation if group is None else analysis.result.groups[group]
        part = frame if group is None else frame.loc[(frame["group"] == group).to_numpy()]
        scores: dict[str, float | None] = dict.fromkeys(DIMENSION_KEYS)
        for key in keys:
            s = part[key].to_numpy()
            s = s[~np.isnan(s)]
            shown = unit is not None and unit.dimensions[key].reported and s.size >= analysis.min_group_size
            scores[key] = mean_score(s) if shown else None
        index = float(np.mean([scores[k] for k in keys])) if keys and None not in [scores[k] for k in keys] else None
        out.append({"wave": label, "n": len(part), "scores": scores, "index": index})
    return out


def change(before: float | None, after: float | None) -> dict:
    """``{"before", "after", "delta"}`` with delta = after − before (None when either is missing)."""
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


def first_last_test(first: pd.DataFrame, last: pd.DataFrame, key: str, min_pairs: int) -> dict:
    """The test of the change from the first to the last wave in one dimension:
    paired (Wilcoxon signed-rank) over the people both files name by their
    pseudonymous code, when at least ``min_pairs`` are in both; otherwise the
    independent Mann–Whitney U test of the two waves' scores.

    Returns
    -------
    {"p", "method": "wilcoxon" | "mann_whitney", "pairs": n or None}
    """
    if "code" in first and "code" in last:
        a = first[["code", key]].dropna().drop_duplicates("code", keep=False)
        b = last[["code", key]].dropna().drop_duplicates("code", keep=False)
        both = a.merge(b, on="code", suffixes=("_a", "_b"))
        if len(both) >= min_pairs:
            p, pairs = wilcoxon_p(both[f"{key}_a"].to_numpy(), both[f"{key}_b"].to_numpy())
            return {"p": p, "method": "wilcoxon", "pairs": int(len(both))}
    return {"p": mann_whitney_p(first[key].to_numpy(), last[key].to_numpy()), "method": "mann_whitney", "pairs": None}


def _dimensions(keys: list[str], common: dict, frames: list[pd.DataFrame], org: list[dict],
                reasons: dict[str, dict], min_pairs: int) -> dict[str, dict]:
    """The organisation's change per dimension, with the first-to-last test
    (Holm over the dimensions), the trend over all waves, the verdict and why
    a dimension is not compared."""
    out = {}
    tests = {key: first_last_test(frames[0], frames[-1], key, min_pairs) for key in keys}
    adjusted = dict(zip(tests, holm([tests[k]["p"] for k in tests]), strict=True))
    for key in DIMENSION_KEYS:
        ok = key in keys
        entry = change(org[0]["scores"][key], org[-1]["scores"][key]) if ok else change(None, None)
        test = tests.get(key, {"p": None, "method": None, "pairs": None})
        p_holm = adjusted.get(key)
        code = verdict(entry["delta"], p_holm)
        trend = linear_trend([f[key].to_numpy() for f in frames]) if ok and len(frames) >= 3 else None
        reason = reasons.get(key, reasons.get(""))
        entry.update(
            p=test["p"], p_holm=p_holm, method=test["method"], pairs=test["pairs"],
            trend=None if trend is None else {"slope": trend[0], "p": trend[1]},
            n_before=int(frames[0][key].notna().sum()) if ok else None,
            n_after=int(frames[-1][key].notna().sum()) if ok else None, items=common[key] if ok else [],
            verdict=code, verdict_de=t(f"verlauf2.verdict_{code}", "de"), verdict_en=t(f"verlauf2.verdict_{code}", "en"),
            reason=None if ok or not reason else reason["message"],
            reason_en=None if ok or not reason else reason["message_en"],
        )
        out[key] = entry
    return out


def _group_changes(compared: list[str], group_series: dict, frames: list[pd.DataFrame], keys: list[str],
                   min_pairs: int) -> dict[str, dict]:
    """Each compared group's change per dimension with its test (paired when
    enough people are in both waves), Holm over groups × dimensions."""
    out: dict[str, dict] = {}
    family = []
    for name in compared:
        series = group_series[name]
        parts = [f.loc[(f["group"] == name).to_numpy()] for f in (frames[0], frames[-1])]
        out[name] = {}
        for key in DIMENSION_KEYS:
            entry = change(series[0]["scores"][key], series[-1]["scores"][key])
            if key in keys and entry["delta"] is not None:
                entry.update(first_last_test(parts[0], parts[1], key, min_pairs))
                family.append((name, key))
            out[name][key] = entry
    for (name, key), p_holm in zip(family, holm([out[n][k]["p"] for n, k in family]), strict=True):
        out[name][key].update(p_holm=p_holm, verdict=verdict(out[name][key]["delta"], p_holm))
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
    WavesError
        (a ValueError) fewer than two analyses; labels of the wrong number, empty or repeated.
    """
    analyses = list(analyses)
    if len(analyses) < 2:
        raise WavesError(code="errors.waves.need_two")
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
    org = _series(frames, labels, keys, analyses)
    for key in list(keys):
        empty = [p["wave"] for p in org if p["scores"][key] is None]
        if empty:
            keys.remove(key)
            reasons[key] = _problem("warning", "p_no_values", dimension=ref.dimension(key).name_de, wave=empty[0])
            problems.append(reasons[key])
    org = _series(frames, labels, keys, analyses)

    named = {g for a in analyses for g in [*a.groups, *a.suppressed_groups]}
    compared = sorted(set.intersection(*(set(a.groups) for a in analyses))) if reported else []
    hidden = sorted(named - set(compared))
    if hidden:
        problems.append(_problem("info", "p_hidden_groups", groups=", ".join(hidden)))
    group_series = {name: _series(frames, labels, keys, analyses, name) for name in compared}
    # a paired test only over at least k people (and 10): fewer pairs could not be shown
    min_pairs = max(PAIRED_MIN, max(a.min_group_size for a in analyses))
    return {
        "waves": labels,
        "files": [a.result.file for a in analyses],
        "respondents": [a.result.respondents for a in analyses],
        "min_group_size": max(a.min_group_size for a in analyses),
        "dimensions": _dimensions(keys, common, frames, org, reasons, min_pairs),
        "index": {**(change(org[0]["index"], org[-1]["index"]) if org else change(None, None)), "dimensions": keys},
        "groups": _group_changes(compared, group_series, frames, keys, min_pairs),
        "hidden_groups": hidden,
        "series": {"organisation": org, "groups": group_series},
        "missing_items": missing,
        "problems": problems,
    }
