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
* a group's ``index`` is the mean of its dimension scores that exist.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from learn_core.analysis.statistics import cronbach_alpha, t_interval
from learn_core.instrument import DIMENSION_KEYS, Instrument, level_for

__all__ = ["dimension_scores", "respondent_mask", "reversed_answers", "summarise_group"]


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
    out = {}
    for key in DIMENSION_KEYS:
        cols = [i for i, it in enumerate(instrument.items) if it.dimension == key]
        block = values[:, cols]
        valid = (~np.isnan(block)).sum(axis=1)
        with np.errstate(invalid="ignore"):
            sums = np.nansum(block, axis=1)
            mean = np.where(valid > 0, sums / np.maximum(valid, 1), np.nan)
        score = (mean - instrument.scale.minimum) * 100.0 / (instrument.scale.maximum - instrument.scale.minimum)
        out[key] = np.where(valid >= instrument.min_valid(key), score, np.nan)
    return pd.DataFrame(out)


def _mean_or_none(values: list[float]) -> float | None:
    return float(np.mean(values)) if values else None


def summarise_group(values: np.ndarray, scores: pd.DataFrame, instrument: Instrument) -> dict:
    """Figures of one group (or the organisation) from its respondents' rows.

    Parameters
    ----------
    values
        reversed answers of the group's respondents (rows × items).
    scores
        their dimension scores (:func:`dimension_scores`), same rows.

    Returns
    -------
    {"n", "index", "level", "dimensions": {key: {"n", "score", "ci95", "level", "favourable", "alpha"}}}
    """
    dims: dict[str, dict] = {}
    for key in DIMENSION_KEYS:
        cols = [i for i, it in enumerate(instrument.items) if it.dimension == key]
        block = values[:, cols]
        s = scores[key].to_numpy()
        s = s[~np.isnan(s)]
        score = float(s.mean()) if s.size else None
        ci = t_interval(s)
        valid = ~np.isnan(block)
        n_valid = int(valid.sum())
        favourable = float((block[valid] >= 4).sum() * 100.0 / n_valid) if n_valid else None
        dims[key] = {
            "n": int(s.size),
            "score": score,
            "ci95": [ci[0], ci[1]] if ci else None,
            "level": level_for(score),
            "favourable": favourable,
            "alpha": cronbach_alpha(block),
        }
    index = _mean_or_none([d["score"] for d in dims.values() if d["score"] is not None])
    return {"n": int(values.shape[0]), "index": index, "level": level_for(index), "dimensions": dims}
