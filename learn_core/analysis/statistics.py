"""Statistics used by the analysis: t-interval of a mean, Cronbach's alpha,
Kruskal–Wallis with epsilon².

No scipy at run time: the t quantile and the chi-squared tail come from
:mod:`learn_core.analysis.distributions` (checked against scipy in the
tests); the tests behind judgements are in :mod:`learn_core.analysis.inference`.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from learn_core.analysis.distributions import chi2_sf, t_quantile

__all__ = ["cronbach_alpha", "kruskal_wallis", "t_interval"]


def t_interval(values: np.ndarray, confidence: float = 0.95) -> tuple[float, float] | None:
    """Two-sided t confidence interval of the mean.

    Notes
    -----
    mean ± t(1 − α/2; n − 1) · s / √n with the sample standard deviation s
    (ddof = 1). ``None`` when n < 2. The interval is not clipped to the score
    range. Checked in the tests against a hand computation with the t
    quantile from a printed table (t(0.975; 4) = 2.776).

    Returns
    -------
    (low, high) or None
    """
    values = np.asarray(values, dtype=np.float64)
    values = values[~np.isnan(values)]
    n = values.size
    if n < 2:
        return None
    mean = float(values.mean())
    sd = float(values.std(ddof=1))
    half = t_quantile(0.5 + confidence / 2, n - 1) * sd / math.sqrt(n)
    return (mean - half, mean + half)


def cronbach_alpha(matrix: np.ndarray) -> float | None:
    """Cronbach's alpha of a respondents × items matrix.

    Only rows without any NaN are used (complete cases).

    Notes
    -----
    α = k / (k − 1) · (1 − Σ s²ᵢ / s²ₜ) with item variances s²ᵢ and the
    variance s²ₜ of the row sums (both ddof = 1). ``None`` with fewer than 3
    complete rows, fewer than 2 items or zero total variance. The test checks
    the value against pingouin's documented example and an independent
    computation.

    References
    ----------
    Cronbach, L. J. (1951). Coefficient alpha and the internal structure of
    tests. Psychometrika, 16(3), 297–334.
    """
    m = np.asarray(matrix, dtype=np.float64)
    if m.ndim != 2:
        raise ValueError("matrix must be two-dimensional (respondents × items)")
    m = m[~np.isnan(m).any(axis=1)]
    n, k = m.shape
    if n < 3 or k < 2:
        return None
    total_var = float(m.sum(axis=1).var(ddof=1))
    if total_var == 0.0:
        return None
    item_var = float(m.var(axis=0, ddof=1).sum())
    return k / (k - 1) * (1.0 - item_var / total_var)


def _average_ranks(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """1-based ranks with ties given their average rank, and the tie group
    sizes (in the order of the values).

    Scores take few distinct values, so the values are grouped by hashing
    (``pandas.factorize``) and only the distinct ones sorted: the same ranks
    and sizes as sorting all values (the test compares both), a fraction of
    the time at 100,000 respondents. With NaN or −0.0 (which hashing might
    tell from 0.0), and for no values, all values are sorted.
    """
    values = np.asarray(values, dtype=np.float64)
    zero = values == 0.0
    if values.size and not (np.isnan(values).any() or np.signbit(values[zero]).any()):
        codes, uniques = pd.factorize(values, sort=True)
        counts = np.bincount(codes, minlength=len(uniques))
        starts = np.cumsum(counts) - counts
        return (starts + (counts + 1) / 2.0)[codes], counts
    order = np.argsort(values, kind="mergesort")
    ordered = values[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    counts = np.diff(np.r_[starts, ordered.size])
    ranks = np.empty(values.size, dtype=np.float64)
    ranks[order] = np.repeat(starts + (counts + 1) / 2.0, counts)
    return ranks, counts


def kruskal_wallis(samples: list[np.ndarray]) -> dict | None:
    """Kruskal–Wallis H test over groups of scores, with effect size epsilon².

    Notes
    -----
    With average ranks R over all n values, group sizes nᵢ and rank sums Rᵢ:
    H = [12 / (n(n + 1)) · Σ Rᵢ²/nᵢ − 3(n + 1)] / C with the tie correction
    C = 1 − Σ(t³ − t)/(n³ − n) over the tie groups of size t; p is the upper
    tail of the chi-squared distribution with (groups − 1) degrees of
    freedom. This is the computation of :func:`scipy.stats.kruskal`, which
    the tests check it against (and against a hand-computed example).
    ε² = H / ((n² − 1) / (n + 1)) = H / (n − 1) (Tomczak & Tomczak 2014).
    ``None`` with fewer than two non-empty groups or when all values are
    identical.

    Returns
    -------
    {"H": float, "p": float, "epsilon2": float, "n": int, "groups": int} or None
    """
    samples = [np.asarray(s, dtype=np.float64) for s in samples]
    samples = [s[~np.isnan(s)] for s in samples]
    samples = [s for s in samples if s.size]
    if len(samples) < 2:
        return None
    allv = np.concatenate(samples)
    n = allv.size
    if n < 3 or np.all(allv == allv[0]):
        return None
    ranks, ties = _average_ranks(allv)
    sizes = np.array([s.size for s in samples])
    bounds = np.r_[0, np.cumsum(sizes)]
    rank_sums = np.add.reduceat(ranks, bounds[:-1])
    h = 12.0 / (n * (n + 1)) * float(np.sum(rank_sums**2 / sizes)) - 3.0 * (n + 1)
    correction = 1.0 - float(np.sum(ties.astype(np.float64) ** 3 - ties)) / (float(n) ** 3 - n)
    h /= correction
    p = chi2_sf(h, len(samples) - 1)
    return {"H": h, "p": p, "epsilon2": h / ((n * n - 1) / (n + 1)), "n": int(n), "groups": len(samples)}
