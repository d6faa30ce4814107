"""Scoring: reverse keys, respondent dimension scores and group summaries.

The contract (pinned by tests/analysis/test_scoring.py):

* a valid answer is an integer 1–5; reverse-keyed answers become 6 − x first;
* a respondent is a row with at least one valid answer;
* a respondent has a dimension score when at least 4 of the dimension's 6
  items are valid: (mean − 1) × 25, on 0–100;
* a group's dimension ``score`` is the mean of its respondents' dimension
  scores, ``n`` how many had one, ``ci95`` the t-interval of that mean,
  ``favourable`` the percentage of all valid answers to the dimension's items
  (after reversal, from every respondent of the group) that are 4 or 5,
  ``alpha`` Cronbach's alpha over the respondents with all items valid;
* a group's ``index`` is the mean of its dimension scores that exist
  (that are reported: :mod:`learn_core.analysis.privacy` hides cells).

:func:`unit_figures` computes these figures for every group at once; the
analysis (:mod:`learn_core.analysis.compute`) turns them into results.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from learn_core.instrument import DIMENSION_KEYS, Instrument

__all__ = ["DimensionFigures", "UnitFigures", "dimension_scores", "mean_score", "respondent_mask", "reversed_answers", "unit_figures"]


def reversed_answers(answers: pd.DataFrame, instrument: Instrument) -> np.ndarray:
    """The answers matrix with reverse-keyed items turned (x → 6 − x); NaN stays NaN."""
    values = answers[list(instrument.item_ids)].to_numpy(dtype=np.float64, copy=True)
    rev = np.array([it.reverse for it in instrument.items], dtype=bool)
    scale = instrument.scale
    values[:, rev] = (scale.minimum + scale.maximum) - values[:, rev]
    return values


def respondent_mask(values: np.ndarray) -> np.ndarray:
    """True for rows with at least one valid answer."""
    return ~np.isnan(values).all(axis=1)


def dimension_scores(values: np.ndarray, instrument: Instrument) -> pd.DataFrame:
    """Respondent × dimension scores on 0–100 (NaN below the minimum of valid answers).

    ``values`` are reversed answers (:func:`reversed_answers`).
    """
    # the sums and counts of every dimension at once: a product with the items' membership
    # (answers are whole numbers, so the sums are exact, as summing them one by one)
    member = np.array([[it.dimension == key for key in DIMENSION_KEYS] for it in instrument.items],
                      dtype=np.float64).reshape(len(instrument.items), len(DIMENSION_KEYS))  # (0, 4) without items
    valid = ~np.isnan(values)
    counts = valid.astype(np.float64) @ member
    sums = np.where(valid, values, 0.0) @ member
    with np.errstate(invalid="ignore", divide="ignore"):
        means = sums / counts
    low, high = instrument.scale.minimum, instrument.scale.maximum
    out = {}
    for d, key in enumerate(DIMENSION_KEYS):
        score = (means[:, d] - low) * 100.0 / (high - low)
        out[key] = np.where(counts[:, d] >= instrument.min_valid(key), score, np.nan)
    return pd.DataFrame(out)


@dataclass(frozen=True)
class DimensionFigures:
    """One dimension's figures for every unit (group), arrays indexed by unit.

    ``n`` respondents with a score, ``score`` their mean, ``sd`` their sample
    SD (NaN for n < 2), ``n_any`` respondents with at least one valid answer,
    ``favourable`` / ``answers`` the 4–5 answers and all valid answers (after
    reversal), ``alpha`` Cronbach's alpha over the ``alpha_n`` complete rows
    (NaN with fewer than 3 or zero variance).
    """

    n: np.ndarray
    score: np.ndarray
    sd: np.ndarray
    n_any: np.ndarray
    favourable: np.ndarray
    answers: np.ndarray
    alpha: np.ndarray
    alpha_n: np.ndarray


@dataclass(frozen=True)
class UnitFigures:
    """Every unit's figures: per dimension key a :class:`DimensionFigures`;
    ``item_counts[u, j, a]`` how many in unit u answered item j with a + 1
    as worded (before reversal); ``item_favourable[u, j]`` how many of them
    agree after reversal (4–5)."""

    units: int
    dimensions: dict[str, DimensionFigures]
    item_counts: np.ndarray
    item_favourable: np.ndarray


def mean_score(scores: np.ndarray) -> float | None:
    """The mean of respondents' scores (NaN left out) summed exactly as
    :func:`unit_figures` sums them, so both give the same float; None when empty."""
    s = np.asarray(scores, dtype=np.float64)
    s = s[~np.isnan(s)]
    return float(np.bincount(np.zeros(s.size, dtype=np.int64), weights=s, minlength=1)[0] / s.size) if s.size else None


def _columns(a: np.ndarray, idx: list[int]) -> np.ndarray:
    """``a[:, idx]``; a view when the columns are consecutive (a dimension's
    statements usually are), so no copy of every row is made."""
    if idx and idx == list(range(idx[0], idx[0] + len(idx))):
        return a[:, idx[0]:idx[0] + len(idx)]
    return a[:, idx]


def unit_figures(values: np.ndarray, scores: pd.DataFrame, codes: np.ndarray, units: int,
                 instrument: Instrument, *, total: bool = False) -> UnitFigures:
    """The figures of every unit at once (array operations, no loop over units).

    Parameters
    ----------
    values
        reversed answers, respondents × items (:func:`reversed_answers`).
    scores
        the respondents' dimension scores (:func:`dimension_scores`).
    codes
        each respondent's unit, 0 … ``units`` − 1.
    total
        add one more unit (index ``units``) holding every respondent: the
        organisation, from the units' sums where they add up exactly.

    Notes
    -----
    The SD of the scores is computed in two passes (mean first); item and
    total variances for alpha from sums of squares of the 1–5 answers, which
    are exact in floating point, so a total made of the units' sums is the
    total's own. The formulas are those of
    :func:`learn_core.analysis.statistics.t_interval` and
    :func:`~learn_core.analysis.statistics.cronbach_alpha`, which the tests
    compare them with. Means are summed as :func:`mean_score` sums them.
    """
    codes = np.asarray(codes, dtype=np.int64)
    out_units = units + (1 if total else 0)

    def per_unit(c: np.ndarray, weights: np.ndarray | None = None, shape: tuple[int, ...] = ()) -> np.ndarray:
        size = units * int(np.prod(shape)) if shape else units
        flat = np.bincount(c, weights=weights, minlength=size)[:size].astype(np.float64)
        grid = flat.reshape((units, *shape)) if shape else flat
        return np.concatenate([grid, grid.sum(axis=0, keepdims=True)]) if total else grid

    valid = ~np.isnan(values)
    n_items = values.shape[1]
    low, high = instrument.scale.minimum, instrument.scale.maximum
    width = high - low + 1
    rev = np.array([it.reverse for it in instrument.items], dtype=bool)
    # every cell's bin (unit, item, answer as worded) in one pass; an empty cell in a bin of its own
    # after each (unit, item)'s answers, dropped after counting
    worded = np.where(rev, (low + high) - values, values) - low
    np.copyto(worded, width, where=~valid)
    size = units * n_items * (width + 1)
    key = (codes[:, None] * n_items + np.arange(n_items)) * (width + 1) + worded.astype(np.int64)
    flat = np.bincount(key.ravel(), minlength=size)[:size].reshape(units, n_items, width + 1)[:, :, :width]
    flat = flat.astype(np.float64)
    counts = np.concatenate([flat, flat.sum(axis=0, keepdims=True)]) if total else flat
    # agreement after reversal (4–5): the worded 4–5 of an item, the worded 1–2 of a reversed one
    scale = np.arange(low, high + 1)
    agree = np.where(rev, counts[:, :, (low + high) - scale >= 4].sum(axis=2), counts[:, :, scale >= 4].sum(axis=2))
    dims: dict[str, DimensionFigures] = {}
    everyone = np.zeros(codes.size, dtype=np.int64)
    with np.errstate(invalid="ignore", divide="ignore"):
        for key in DIMENSION_KEYS:
            idx = [i for i, it in enumerate(instrument.items) if it.dimension == key]
            k = len(idx)
            ok = _columns(valid, idx)
            s = scores[key].to_numpy()
            has = ~np.isnan(s)
            ch, sh = codes[has], s[has]
            n = per_unit(ch)
            mean = per_unit(ch, sh)[: units] / n[:units]
            if total:
                mean = np.append(mean, np.bincount(everyone[has], weights=sh, minlength=1)[0] / n[units])
            dev = (sh - mean[ch]) ** 2
            ss = per_unit(ch, dev)
            if total:
                ss[units] = float(((sh - mean[units]) ** 2).sum()) if sh.size else 0.0
            sd = np.where(n >= 2, np.sqrt(ss / (n - 1)), np.nan)
            n_any = per_unit(codes[ok.any(axis=1)])
            answers = counts[:, idx, :].sum(axis=(1, 2))
            favourable = agree[:, idx].sum(axis=1)
            complete = ok.all(axis=1)
            cc, cb = codes[complete], _columns(values, idx)[complete]
            an = per_unit(cc)
            pos = (cc[:, None] * k + np.arange(k)).ravel()
            s1, s2 = per_unit(pos, cb.ravel(), (k,)), per_unit(pos, cb.ravel() ** 2, (k,))
            item_var = ((s2 - s1 * s1 / an[:, None]) / (an[:, None] - 1)).sum(axis=1)
            tot = cb.sum(axis=1)
            t1, t2 = per_unit(cc, tot), per_unit(cc, tot**2)
            total_var = (t2 - t1 * t1 / an) / (an - 1)
            alpha = np.where((an >= 3) & (k >= 2) & (total_var > 0), k / (k - 1) * (1 - item_var / total_var), np.nan)
            dims[key] = DimensionFigures(n.astype(np.int64), np.where(n > 0, mean, np.nan), sd,
                                         n_any.astype(np.int64), favourable, answers, alpha, an.astype(np.int64))
    return UnitFigures(out_units, dims, counts, agree)
