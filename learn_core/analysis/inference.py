"""Inference behind the judgements: a department against the rest of the
organisation, multiple-testing control, which departments differ, honest
levels, the interval of Cronbach's alpha, and the tests of survey waves.

Every function here is checked against another statistics software or a
published example in tests/analysis/test_inference.py (scipy, statsmodels,
scikit-posthocs, Feldt's published interval); the Notes name the formula.
No scipy at run time.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from learn_core.analysis.distributions import f_quantile, norm_sf, t_quantile, t_sf
from learn_core.analysis.statistics import _average_ranks
from learn_core.instrument import level_for

__all__ = [
    "MEANINGFUL_DIFFERENCE",
    "MIN_JUDGED",
    "SIGNIFICANCE",
    "Difference",
    "dunn",
    "feldt_interval",
    "flag_differences",
    "holm",
    "level_range",
    "linear_trend",
    "mann_whitney_p",
    "rest_of",
    "welch",
    "wilcoxon_p",
]

#: Significance level of every test, after correction.
SIGNIFICANCE = 0.05
#: Points on 0–100 below which a difference is not called a strength or focus area, however significant.
MEANINGFUL_DIFFERENCE = 5.0
#: A department needs this many people with a score before its difference is judged.
MIN_JUDGED = 10


@dataclass(frozen=True)
class Difference:
    """A difference of two means with its Welch interval and two-sided p."""

    diff: float
    low: float
    high: float
    p: float
    df: float


def welch(n1: int, mean1: float, sd1: float, n2: int, mean2: float, sd2: float,
          confidence: float = 0.95) -> Difference | None:
    """Welch's t-test and interval for mean1 − mean2.

    Notes
    -----
    se = √(s₁²/n₁ + s₂²/n₂); t = (m₁ − m₂)/se with the Welch–Satterthwaite
    degrees of freedom ν = se⁴ / ((s₁²/n₁)²/(n₁−1) + (s₂²/n₂)²/(n₂−1));
    p two-sided from t(ν); the interval (m₁ − m₂) ± t(1 − α/2; ν)·se. The
    test compares with ``scipy.stats.ttest_ind(equal_var=False)``. None with
    fewer than two values on a side or no variance at all.
    """
    if n1 < 2 or n2 < 2:
        return None
    v1, v2 = sd1 * sd1 / n1, sd2 * sd2 / n2
    se2 = v1 + v2
    if not se2 > 0:
        return None
    se = math.sqrt(se2)
    df = se2 * se2 / (v1 * v1 / (n1 - 1) + v2 * v2 / (n2 - 1))
    diff = mean1 - mean2
    t = diff / se
    p = min(1.0, 2.0 * t_sf(abs(t), df))
    half = t_quantile(0.5 + confidence / 2, df) * se
    return Difference(diff, diff - half, diff + half, p, df)


def rest_of(n: int, mean: float, ss: float, n_g: int, mean_g: float, ss_g: float) -> tuple[int, float, float]:
    """The rest of a whole without one of its parts: (n, mean, SD) of the
    others, from the whole's and the part's n, mean and sum of squared
    deviations.

    Notes
    -----
    n_r = n − n_g; m_r = (n·m − n_g·m_g)/n_r; the decomposition of the sum of
    squares SS = SS_g + SS_r + n_g·n_r/n·(m_g − m_r)² gives SS_r, and
    s_r = √(SS_r/(n_r − 1)).
    """
    n_r = n - n_g
    if n_r <= 0:
        return 0, math.nan, math.nan
    mean_r = (n * mean - n_g * mean_g) / n_r
    ss_r = max(0.0, ss - ss_g - n_g * n_r / n * (mean_g - mean_r) ** 2)
    return n_r, mean_r, math.sqrt(ss_r / (n_r - 1)) if n_r > 1 else math.nan


def flag_differences(cells: Sequence[tuple[int, float, float]], whole: Sequence[tuple[int, float, float]],
                     min_n: int = MIN_JUDGED) -> list[tuple[Difference | None, float | None, str | None]]:
    """The strength/focus rule for a family of cells: each cell (n, mean, SD)
    of a department against the rest of its whole (n, mean, SD, the same
    dimension's organisation), Welch's test, Holm over the cells with at
    least ``min_n`` people; a verdict "strength"/"focus" where the difference
    is at least :data:`MEANINGFUL_DIFFERENCE` points and significant after
    the correction. Smaller cells get their difference and interval but no
    corrected p and no verdict: with a handful of people the t approximation
    errs on the bold side (the simulation in the tests shows it).

    Returns, per cell, (difference or None, Holm-adjusted p or None, verdict or None).
    """
    tests: list[Difference | None] = []
    for (n_g, mean_g, sd_g), (n, mean, sd) in zip(cells, whole, strict=True):
        ss = sd * sd * (n - 1) if n > 1 else 0.0
        ss_g = sd_g * sd_g * (n_g - 1) if n_g > 1 else 0.0
        n_r, mean_r, sd_r = rest_of(n, mean, ss, n_g, mean_g, ss_g)
        tests.append(welch(n_g, mean_g, sd_g, n_r, mean_r, sd_r))
    adjusted = holm([r.p if r is not None and c[0] >= min_n else None for r, c in zip(tests, cells, strict=True)])
    out = []
    for r, p in zip(tests, adjusted, strict=True):
        verdict = None
        if r is not None and p is not None and p < SIGNIFICANCE:
            verdict = "strength" if r.diff >= MEANINGFUL_DIFFERENCE else "focus" if r.diff <= -MEANINGFUL_DIFFERENCE \
                else None
        out.append((r, p, verdict))
    return out


def holm(pvalues: Sequence[float | None]) -> list[float | None]:
    """Holm's step-down adjusted p-values (None stays None, not counted).

    Notes
    -----
    With the m p-values sorted p₍₁₎ ≤ … ≤ p₍ₘ₎: p̃₍ᵢ₎ = max_{j ≤ i} min(1, (m − j + 1)·p₍ⱼ₎)
    (Holm 1979); the test compares with ``statsmodels`` ``multipletests(method="holm")``.
    """
    present = [(p, i) for i, p in enumerate(pvalues) if p is not None]
    m = len(present)
    out: list[float | None] = [None] * len(pvalues)
    running = 0.0
    for rank, (p, i) in enumerate(sorted(present)):
        running = max(running, min(1.0, (m - rank) * p))
        out[i] = running
    return out


def dunn(samples: Sequence[np.ndarray]) -> list[tuple[int, int, float, float]]:
    """Dunn's pairwise test after Kruskal–Wallis: (i, j, z, p) for every pair
    of samples, two-sided p before correction (use :func:`holm`).

    Notes
    -----
    Ranks over all N values (average ranks for ties);
    z = (R̄ᵢ − R̄ⱼ) / √((N(N+1)/12 − Σ(t³ − t)/(12(N − 1))) · (1/nᵢ + 1/nⱼ))
    (Dunn 1964, with the tie correction); the test compares with
    scikit-posthocs ``posthoc_dunn``.
    """
    samples = [np.asarray(s, dtype=np.float64) for s in samples]
    sizes = np.array([s.size for s in samples])
    allv = np.concatenate(samples)
    n = allv.size
    ranks, ties = _average_ranks(allv)
    bounds = np.r_[0, np.cumsum(sizes)]
    means = [float(ranks[bounds[i]:bounds[i + 1]].mean()) for i in range(len(samples))]
    tie = float(np.sum(ties.astype(np.float64) ** 3 - ties)) / (12.0 * (n - 1))
    base = n * (n + 1) / 12.0 - tie
    out = []
    for i in range(len(samples)):
        for j in range(i + 1, len(samples)):
            se = math.sqrt(base * (1.0 / sizes[i] + 1.0 / sizes[j]))
            z = (means[i] - means[j]) / se if se > 0 else 0.0
            out.append((i, j, z, min(1.0, 2.0 * norm_sf(abs(z)))))
    return out


def feldt_interval(alpha: float, n: int, k: int, confidence: float = 0.95) -> tuple[float, float] | None:
    """Feldt's confidence interval of Cronbach's alpha from n complete rows of k items.

    Notes
    -----
    With df₁ = n − 1 and df₂ = (n − 1)(k − 1): lower = 1 − (1 − α)·F(1 − γ/2; df₁, df₂),
    upper = 1 − (1 − α)·F(γ/2; df₁, df₂), γ = 1 − confidence (Feldt, Woodruff
    & Salih 1987, formulas 6 and 7). The test checks the published example
    α = 0.85, k = 7, n = 89 → [0.797, 0.893] (statpsych's ci.cronbach).
    """
    if n < 3 or k < 2:
        return None
    d1, d2 = n - 1, (n - 1) * (k - 1)
    g = 1.0 - confidence
    return 1.0 - (1.0 - alpha) * f_quantile(1.0 - g / 2, d1, d2), 1.0 - (1.0 - alpha) * f_quantile(g / 2, d1, d2)


def level_range(low: float | None, high: float | None) -> tuple[int, int] | None:
    """The levels an interval spans (its bounds clipped to 0–100): (3, 3) when
    it lies within one band, (3, 4) when it straddles an edge."""
    if low is None or high is None:
        return None
    a, b = level_for(max(0.0, min(100.0, low))), level_for(max(0.0, min(100.0, high)))
    return (a, b) if a is not None and b is not None else None


# --------------------------------------------------------------------------- waves


def mann_whitney_p(before: np.ndarray, after: np.ndarray) -> float | None:
    """Two-sided Mann–Whitney U p-value (independent samples).

    Notes
    -----
    Exact (the permutation distribution of U, by counting) when either
    sample has at most 8 values and there are no ties; otherwise the normal
    approximation with tie and continuity correction:
    z = (|U − n₁n₂/2| − ½) / √(n₁n₂/12 · ((n+1) − Σ(t³ − t)/(n(n − 1)))).
    This is ``scipy.stats.mannwhitneyu``'s default, which the tests compare with.
    None when a sample is empty.
    """
    a = np.asarray(before, dtype=np.float64)
    b = np.asarray(after, dtype=np.float64)
    a, b = a[~np.isnan(a)], b[~np.isnan(b)]
    n1, n2 = a.size, b.size
    if n1 == 0 or n2 == 0:
        return None
    ranks, ties = _average_ranks(np.concatenate([a, b]))
    u1 = float(ranks[:n1].sum()) - n1 * (n1 + 1) / 2.0
    u = max(u1, n1 * n2 - u1)
    if (n1 <= 8 or n2 <= 8) and not (ties > 1).any():
        counts = _u_counts(n1, n2)
        total = float(counts.sum())
        p = 2.0 * float(counts[int(round(u)):].sum()) / total
        return min(1.0, p)
    n = n1 + n2
    var = n1 * n2 / 12.0 * ((n + 1) - float(np.sum(ties.astype(np.float64) ** 3 - ties)) / (n * (n - 1)))
    if not var > 0:
        return 1.0
    z = (u - n1 * n2 / 2.0 - 0.5) / math.sqrt(var)
    return min(1.0, 2.0 * norm_sf(z))


def _u_counts(n1: int, n2: int) -> np.ndarray:
    """How many of the C(n₁ + n₂, n₁) arrangements (no ties) give U = 0 … n₁n₂,
    by the recursion f(j, i)[u] = f(j − 1, i)[u − i] + f(j, i − 1)[u] over j
    values of the smaller and i of the larger sample (the last value is from
    the smaller sample, above all i others, or from the larger)."""
    m, n = min(n1, n2), max(n1, n2)
    size = m * n + 1
    cur = [np.zeros(size) for _ in range(m + 1)]
    for row in cur:
        row[0] = 1.0  # no value of the larger sample yet: U = 0
    for i in range(1, n + 1):
        new = [cur[0]]
        for j in range(1, m + 1):
            shifted = np.zeros(size)
            shifted[i:] = new[j - 1][: size - i]
            new.append(shifted + cur[j])
        cur = new
    return cur[m]


def wilcoxon_p(before: np.ndarray, after: np.ndarray) -> tuple[float | None, int]:
    """Two-sided Wilcoxon signed-rank p-value for paired scores, and the
    number of pairs it rests on (pairs with a difference of 0 are left out).

    Notes
    -----
    d = after − before, zeros dropped (Wilcoxon's rule); W⁺ the sum of the
    ranks of |d| with d > 0. Exact (the distribution of W⁺ by counting) for
    at most 50 pairs without ties among |d|; otherwise the normal
    approximation z = (W⁺ − n(n+1)/4) / √(n(n+1)(2n+1)/24 − Σ(t³ − t)/48),
    without continuity correction. The tests compare with
    ``scipy.stats.wilcoxon(zero_method="wilcox", correction=False)`` and the
    matching ``method``.
    """
    d = np.asarray(after, dtype=np.float64) - np.asarray(before, dtype=np.float64)
    d = d[~np.isnan(d)]
    d = d[d != 0]
    n = int(d.size)
    if n == 0:
        return None, 0
    ranks, ties = _average_ranks(np.abs(d))
    w = float(ranks[d > 0].sum())
    if n <= 50 and not (ties > 1).any():
        top = n * (n + 1) // 2
        counts = np.zeros(top + 1, dtype=np.float64)
        counts[0] = 1.0
        for r in range(1, n + 1):
            counts[r:] = counts[r:] + counts[: top + 1 - r].copy()
        total = counts.sum()
        k = int(round(w))
        p = 2.0 * min(counts[: k + 1].sum(), counts[k:].sum()) / total
        return min(1.0, float(p)), n
    var = n * (n + 1) * (2 * n + 1) / 24.0 - float(np.sum(ties.astype(np.float64) ** 3 - ties)) / 48.0
    if not var > 0:
        return 1.0, n
    z = (w - n * (n + 1) / 4.0) / math.sqrt(var)
    return min(1.0, 2.0 * norm_sf(abs(z))), n


def linear_trend(waves: Sequence[np.ndarray]) -> tuple[float, float] | None:
    """The trend over all waves: the slope of the respondents' scores on the
    wave number (points per wave) and its two-sided p.

    Notes
    -----
    Ordinary least squares of score on wave index 0, 1, 2, …; t = b / se(b)
    with n − 2 degrees of freedom. The tests compare with
    ``scipy.stats.linregress``. None with fewer than three values or a single wave.
    """
    xs = np.concatenate([np.full(np.asarray(w).size, i, dtype=np.float64) for i, w in enumerate(waves)])
    ys = np.concatenate([np.asarray(w, dtype=np.float64) for w in waves])
    keep = ~np.isnan(ys)
    xs, ys = xs[keep], ys[keep]
    n = xs.size
    if n < 3 or np.unique(xs).size < 2:
        return None
    mx, my = xs.mean(), ys.mean()
    sxx = float(((xs - mx) ** 2).sum())
    slope = float(((xs - mx) * (ys - my)).sum()) / sxx
    resid = ys - my - slope * (xs - mx)
    s2 = float((resid**2).sum()) / (n - 2)
    if s2 == 0:
        return slope, 0.0 if slope != 0 else 1.0
    t = slope / math.sqrt(s2 / sxx)
    return slope, min(1.0, 2.0 * t_sf(abs(t), n - 2))
