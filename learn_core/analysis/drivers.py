"""Key drivers: how strongly each enabler (Motivation, Führung, Kompetenz)
and each of their statements goes with Lernerfolg, and where to act first.

Method (the Methodik page and the README state it; tests/analysis/test_drivers.py
checks every figure against statsmodels and scipy):

* **Dimensions.** On the respondents with all four dimension scores, the
  standardised least-squares regression of the Lernerfolg score on the three
  enabler scores: the coefficients β with their 95 % t-intervals (OLS
  standard errors, n − 4 degrees of freedom) and R²; and Johnson's (2000)
  **relative weights**, which split R² among correlated predictors (they sum
  to R²; ``share`` is each weight ÷ R² in percent). The relative weight is
  the importance on the priority matrix.
* **Statements.** For every enabler statement (answers after reversal)
  Pearson's r with the Lernerfolg score over the respondents who answered
  it and have that score, with the Fisher-z 95 % interval.
* **Priority ("act here first").** A dimension (statement) whose importance
  is at least the mean importance of the three dimensions (of all enabler
  statements) and whose score (favourable share) is at most their mean, and
  whose correlation with Lernerfolg is positive beyond doubt (the interval's
  lower bound above 0).
* **Minimum.** Only for the organisation, and only from
  :data:`MIN_DRIVER_RESPONDENTS` respondents (statements: that many answers
  each); below :data:`CAUTION_BELOW` the result carries a caution: the
  ranking of close drivers can change with a few answers. No driver is
  computed for a group, so no group's figure can be worked out from the
  organisation's. The results are associations in one survey, not causes.

References: Johnson, J. W. (2000). A heuristic method for estimating the
relative weight of predictor variables in multiple regression. *Multivariate
Behavioral Research* 35(1), 1–19. Fisher, R. A. (1915), the z-transformation.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from learn_core.analysis.distributions import t_quantile
from learn_core.instrument import Instrument

__all__ = ["CAUTION_BELOW", "ENABLERS", "MIN_DRIVER_RESPONDENTS", "OUTCOME", "DriverResult", "Drivers",
           "fisher_interval", "key_drivers", "relative_weights", "standardised_regression"]

#: Fewest respondents (with all four scores) for a driver analysis; fewer per statement leave it out.
MIN_DRIVER_RESPONDENTS = 30
#: Below this many respondents the drivers carry a caution.
CAUTION_BELOW = 100
#: The outcome and the predictors.
OUTCOME = "lernerfolg"
ENABLERS = ("motivation", "fuehrung", "kompetenz")
_Z975 = 1.959963984540054


@dataclass(frozen=True)
class DriverResult:
    """One driver: a dimension (``item`` None) or one of its statements.

    ``r`` and ``r_ci95`` Pearson's correlation with the Lernerfolg score and
    its Fisher interval; ``beta``, ``beta_ci95``, ``weight`` (relative
    weight) and ``share`` (percent of R²) for dimensions only; ``performance``
    the dimension's score or the statement's favourable share; ``priority``
    True for "act here first".
    """

    dimension: str
    item: str | None
    n: int
    r: float
    r_ci95: tuple[float, float]
    importance: float
    performance: float | None
    priority: bool
    beta: float | None = None
    beta_ci95: tuple[float, float] | None = None
    weight: float | None = None
    share: float | None = None

    def to_json(self) -> dict:
        return {"dimension": self.dimension, "item": self.item, "n": self.n, "r": self.r,
                "r_ci95": list(self.r_ci95), "importance": self.importance, "performance": self.performance,
                "priority": self.priority, "beta": self.beta,
                "beta_ci95": list(self.beta_ci95) if self.beta_ci95 else None, "weight": self.weight,
                "share": self.share}


@dataclass(frozen=True)
class Drivers:
    """The organisation's key drivers; ``reason`` says why there are none
    ("too_few", "hidden", "no_variance": a dimension everyone scored alike), then the tuples are empty."""

    n: int
    r2: float | None
    caution: bool
    dimensions: tuple[DriverResult, ...]
    items: tuple[DriverResult, ...]
    reason: str | None = None
    minimum: int = MIN_DRIVER_RESPONDENTS

    def to_json(self) -> dict:
        return {"n": self.n, "r2": self.r2, "caution": self.caution, "minimum": self.minimum,
                "reason": self.reason, "method": "relative_weights",
                "dimensions": [d.to_json() for d in self.dimensions], "items": [i.to_json() for i in self.items]}


def fisher_interval(r: float, n: int) -> tuple[float, float]:
    """The 95 % interval of a Pearson correlation: tanh(atanh r ± 1.96 / √(n − 3)).

    Raises ValueError for n < 4. Checked against
    ``scipy.stats.pearsonr(...).confidence_interval()``."""
    if n < 4:
        raise ValueError(f"Fisher's interval needs n ≥ 4, got {n}")
    z = math.atanh(max(min(r, 1 - 1e-15), -1 + 1e-15))
    half = _Z975 / math.sqrt(n - 3)
    return math.tanh(z - half), math.tanh(z + half)


def _corr(x: np.ndarray) -> np.ndarray:
    z = (x - x.mean(axis=0)) / x.std(axis=0, ddof=1)
    return z.T @ z / (x.shape[0] - 1)


def standardised_regression(x: np.ndarray, y: np.ndarray, *, corr: np.ndarray | None = None
                            ) -> tuple[np.ndarray, np.ndarray, float]:
    """Least squares of z-scored ``y`` on z-scored columns of ``x`` (with intercept):
    (β, standard errors, R²). Checked against statsmodels OLS on z-scores.
    ``corr``: the correlation matrix of ``x`` and ``y`` when the caller has it.

    Raises ValueError when a column has no variance or n ≤ p + 1."""
    n, p = x.shape
    if n <= p + 1:
        raise ValueError(f"need more than {p + 1} rows, got {n}")
    r = _corr(np.column_stack([x, y])) if corr is None else corr
    if not np.all(np.isfinite(r)):
        raise ValueError("a variable has no variance")
    rxx, rxy = r[:p, :p], r[:p, p]
    beta = np.linalg.solve(rxx, rxy)
    r2 = float(beta @ rxy)
    sigma2 = (1.0 - r2) * (n - 1) / (n - p - 1)  # residual variance of z-scored y
    se = np.sqrt(sigma2 * np.diag(np.linalg.inv(rxx)) / (n - 1))
    return beta, se, r2


def relative_weights(x: np.ndarray, y: np.ndarray, *, corr: np.ndarray | None = None) -> np.ndarray:
    """Johnson's relative weights of the columns of ``x`` for ``y``; they sum to R².
    ``corr``: the correlation matrix of ``x`` and ``y`` when the caller has it.

    Λ = R_xx^½ (symmetric square root), β* = Λ⁻¹ r_xy, ε_j = Σ_k Λ_jk² β*_k².
    """
    p = x.shape[1]
    r = _corr(np.column_stack([x, y])) if corr is None else corr
    rxx, rxy = r[:p, :p], r[:p, p]
    vals, vecs = np.linalg.eigh(rxx)
    lam = vecs @ np.diag(np.sqrt(np.clip(vals, 0.0, None))) @ vecs.T
    b = np.linalg.solve(lam, rxy)
    return (lam**2) @ (b**2)


def _pearson(a: np.ndarray, b: np.ndarray) -> float:
    a, b = a - a.mean(), b - b.mean()
    den = math.sqrt(float(a @ a) * float(b @ b))
    return float(a @ b) / den if den > 0 else math.nan


def _item_correlations(values: np.ndarray, outcome: np.ndarray, instrument: Instrument, organisation) -> list:
    """(item, n, r, favourable) of every enabler statement with enough answers,
    r over the pairs both given: from the sums over those pairs, as matrix
    products over all statements at once (answers are 1–5 and scores 0–100,
    so the sums lose no digit that matters: 1e-9 against scipy)."""
    cols = [j for j, it in enumerate(instrument.items) if it.dimension in ENABLERS]
    has_outcome = ~np.isnan(outcome)
    x, y = values[has_outcome][:, cols], outcome[has_outcome]
    ok = ~np.isnan(x)
    given = ok.astype(np.float64)
    x0 = np.where(ok, x, 0.0)
    n = ok.sum(axis=0)
    sx, sxx, sxy = x0.sum(axis=0), np.einsum("ij,ij->j", x0, x0), y @ x0
    sy, syy = y @ given, (y * y) @ given
    with np.errstate(invalid="ignore", divide="ignore"):
        cov, vx, vy = sxy - sx * sy / n, sxx - sx * sx / n, syy - sy * sy / n
        r = cov / np.sqrt(vx * vy)
    # a statement (or outcome) everyone answered alike has no correlation, whatever rounding leaves of its variance
    r = np.where((vx > 1e-12 * sxx) & (vy > 1e-12 * syy), r, np.nan)
    out = []
    for c, j in enumerate(cols):
        item = instrument.items[j]
        fav = organisation.items[item.id].favourable
        if n[c] >= MIN_DRIVER_RESPONDENTS and fav is not None and np.isfinite(r[c]):
            out.append((item, int(n[c]), float(r[c]), fav))
    return out


def key_drivers(values: np.ndarray, scores: pd.DataFrame, instrument: Instrument, organisation) -> Drivers:
    """The key drivers of the organisation (see the module's rules).

    ``values`` reversed answers (respondents × items), ``scores`` their
    dimension scores, ``organisation`` the reported
    :class:`~learn_core.analysis.results.GroupResult` (its scores and
    favourable shares are the performance axis)."""
    dims = scores[list(ENABLERS) + [OUTCOME]].to_numpy(dtype=np.float64)
    complete = ~np.isnan(dims).any(axis=1)
    n = int(complete.sum())
    if organisation is None or any(not organisation.dimensions[k].reported for k in (*ENABLERS, OUTCOME)):
        return Drivers(n, None, False, (), (), "hidden")
    if n < MIN_DRIVER_RESPONDENTS:
        return Drivers(n, None, False, (), (), "too_few")
    x, y = dims[complete, :3], dims[complete, 3]
    if (np.ptp(dims[complete], axis=0) == 0).any():  # a dimension everyone scored alike: no correlation exists
        return Drivers(n, None, False, (), (), "no_variance")
    corr = _corr(np.column_stack([x, y]))  # once for both
    try:
        beta, se, r2 = standardised_regression(x, y, corr=corr)
    except (ValueError, np.linalg.LinAlgError):
        return Drivers(n, None, False, (), (), "too_few")
    weights = relative_weights(x, y, corr=corr)
    tq = t_quantile(0.975, n - len(ENABLERS) - 1)
    perf = {k: organisation.dimensions[k].score for k in ENABLERS}
    mean_w, mean_s = float(np.mean(weights)), float(np.mean(list(perf.values())))
    dim_rows = []
    for j, key in enumerate(ENABLERS):
        r = _pearson(x[:, j], y)
        ci = fisher_interval(r, n)
        w = float(weights[j])
        dim_rows.append(DriverResult(key, None, n, r, ci, w, perf[key], w >= mean_w and perf[key] <= mean_s and ci[0] > 0,
                                     float(beta[j]), (float(beta[j] - tq * se[j]), float(beta[j] + tq * se[j])), w,
                                     w * 100.0 / r2 if r2 > 0 else None))
    found = _item_correlations(values, scores[OUTCOME].to_numpy(dtype=np.float64), instrument, organisation)
    item_rows = []
    if found:
        mean_r, mean_f = float(np.mean([f[2] for f in found])), float(np.mean([f[3] for f in found]))
        for item, m, r, fav in found:
            ci = fisher_interval(r, m)
            item_rows.append(DriverResult(item.dimension, item.id, m, r, ci, r, fav,
                                          r >= mean_r and fav <= mean_f and ci[0] > 0))
    return Drivers(n, r2, n < CAUTION_BELOW, tuple(dim_rows), tuple(item_rows))
