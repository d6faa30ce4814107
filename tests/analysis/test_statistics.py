"""Statistics against hand computations and scipy."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from learn_core.analysis.statistics import (
    cronbach_alpha,
    kruskal_wallis,
    t_interval,
)


def test_cronbach_alpha_by_hand():
    m = np.array([[1, 2, 3], [2, 3, 3], [3, 3, 4], [4, 5, 5]], dtype=float)
    # item variances 5/3, 19/12, 11/12 (sum 12.5/3); total variance 35/3
    # alpha = 3/2 × (1 − 12.5/35) = 0.9642857…
    assert cronbach_alpha(m) == pytest.approx(1.5 * (1 - 12.5 / 35), rel=1e-12)


def test_cronbach_alpha_matches_covariance_form():
    # Independent formulation: alpha = k/(k−1) × (1 − trace(C) / sum(C)) with the
    # item covariance matrix C (np.cov), instead of item and total variances.
    m = np.array(
        [
            [3, 4, 3, 3, 4],
            [4, 4, 4, 5, 5],
            [2, 3, 2, 2, 3],
            [5, 5, 4, 5, 5],
            [3, 3, 3, 4, 2],
            [4, 3, 4, 4, 4],
        ],
        dtype=float,
    )
    cov = np.cov(m, rowvar=False)
    k = m.shape[1]
    expected = k / (k - 1) * (1 - np.trace(cov) / cov.sum())
    assert cronbach_alpha(m) == pytest.approx(expected, rel=1e-12)


def test_cronbach_alpha_edge_cases():
    assert cronbach_alpha(np.array([[1, 2], [2, 3]], dtype=float)) is None  # 2 rows
    assert cronbach_alpha(np.full((5, 3), 4.0)) is None  # zero variance
    m = np.array([[1, 2], [2, 3], [np.nan, 1], [3, 3]], dtype=float)
    assert cronbach_alpha(m) == pytest.approx(cronbach_alpha(m[[0, 1, 3]]))
    with pytest.raises(ValueError):
        cronbach_alpha(np.array([1.0, 2.0]))


def test_t_interval():
    # n = 2: t(0.975; 1) = 12.7062; mean 50, s = 35.355…, half = 12.7062 × 25
    lo, hi = t_interval(np.array([25.0, 75.0]))
    assert lo == pytest.approx(50 - 12.706204736174707 * 25, rel=1e-9)
    assert hi == pytest.approx(50 + 12.706204736174707 * 25, rel=1e-9)
    assert t_interval(np.array([42.0])) is None
    assert t_interval(np.array([])) is None


def test_kruskal_wallis_and_epsilon_squared():
    a, b, c = [10.0, 20, 30, 40], [50.0, 60, 70], [15.0, 25, 80, 90, 95]
    res = kruskal_wallis([np.array(a), np.array(b), np.array(c)])
    h, p = stats.kruskal(a, b, c)
    n = 12
    assert res["H"] == pytest.approx(h) and res["p"] == pytest.approx(p)
    assert res["epsilon2"] == pytest.approx(h / ((n**2 - 1) / (n + 1)))
    assert res["epsilon2"] == pytest.approx(h / (n - 1))


def test_kruskal_wallis_needs_two_groups_and_variation():
    assert kruskal_wallis([np.array([1.0, 2.0])]) is None
    assert kruskal_wallis([np.array([5.0, 5.0]), np.array([5.0])]) is None
    assert kruskal_wallis([np.array([1.0, 2.0]), np.array([])]) is None


@pytest.mark.parametrize(
    ("samples", "h", "p"),
    [
        # no ties: rank sums 3, 7, 11 of n = 6 → H = 12/42 · 89.5 − 21 = 32/7; chi² with 2 df: p = e^(−H/2)
        ([[1, 2], [3, 4], [5, 6]], 32 / 7, math.exp(-16 / 7)),
        # ties: ranks 2, 2, 2, 4 → H₀ = 0.6 · 26 − 15 = 0.6, C = 1 − 24/60 = 0.6, H = 1; p = P(χ²₁ > 1)
        ([[1, 1], [1, 2]], 1.0, 0.31731050786291415),
    ],
)
def test_kruskal_wallis_by_hand(samples, h, p):
    res = kruskal_wallis([np.array(s, dtype=float) for s in samples])
    assert res["H"] == pytest.approx(h, rel=1e-12)
    assert res["p"] == pytest.approx(p, rel=1e-9)


def test_kruskal_wallis_equals_scipy_on_tied_scores():
    rng = np.random.default_rng(7)
    for _ in range(200):
        k = int(rng.integers(2, 7))
        samples = [rng.integers(0, 17, size=int(rng.integers(1, 30))) * 6.25 for _ in range(k)]
        if np.all(np.concatenate(samples) == samples[0][0]):
            continue
        ours = kruskal_wallis(samples)
        h, p = stats.kruskal(*samples)
        assert ours["H"] == pytest.approx(h, rel=1e-10)
        assert ours["p"] == pytest.approx(p, rel=1e-8, abs=1e-300)


def _average_ranks_by_sorting(values):
    """_average_ranks as it was: every value sorted (the reference)."""
    order = np.argsort(values, kind="mergesort")
    ordered = values[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    counts = np.diff(np.r_[starts, ordered.size])
    ranks = np.empty(values.size, dtype=np.float64)
    ranks[order] = np.repeat(starts + (counts + 1) / 2.0, counts)
    return ranks, counts


@pytest.mark.parametrize("kind", ["scores", "all distinct", "with zeros", "one value", "empty"])
def test_average_ranks_equal_the_ranks_by_sorting(kind):
    from learn_core.analysis.statistics import _average_ranks

    rng = np.random.default_rng(31)
    values = {
        "scores": (rng.integers(4, 31, size=5000) - 4) * 100.0 / 24 / rng.choice([4.0, 5.0, 6.0], size=5000),
        "all distinct": rng.normal(size=3000),
        "with zeros": np.r_[np.zeros(40), rng.integers(0, 5, size=500).astype(float)],
        "one value": np.full(7, 2.5),
        "empty": np.zeros(0),
    }[kind]
    ranks, ties = _average_ranks(values)
    expected_ranks, expected_ties = _average_ranks_by_sorting(values)
    assert np.array_equal(ranks, expected_ranks) and ranks.dtype == expected_ranks.dtype
    assert np.array_equal(ties, expected_ties)
