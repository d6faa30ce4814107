"""t quantile and chi-squared tail: closed forms, printed tables and scipy.

Expected values: the closed forms for 1 and 2 degrees of freedom (Cauchy,
t₂; chi-squared with 1 and 2 df: erfc(√(x/2)) and e^(−x/2)), the printed
t table (t(0.975; 4) = 2.776, t(0.975; 30) = 2.042) and scipy.stats over the
range the analysis uses.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from learn_core.analysis.distributions import chi2_sf, t_quantile

DFS = [*range(1, 41), 49, 99, 100, 199, 399, 400, 401, 999, 4_999, 9_999, 99_999, 199_999, 999_999]


@pytest.mark.parametrize(("p", "df", "expected"), [
    (0.975, 1, 12.706204736174707),  # tan(π · 0.475)
    (0.975, 2, 0.95 / math.sqrt(2 * 0.975 * 0.025)),
    (0.975, 4, 2.776),
    (0.975, 30, 2.042),
    (0.995, 10, 3.169),
])
def test_t_quantile_closed_forms_and_printed_table(p, df, expected):
    places = 3 if df > 2 else 12
    assert round(t_quantile(p, df), places) == pytest.approx(expected, abs=10**-places)


@pytest.mark.parametrize("df", DFS)
@pytest.mark.parametrize("p", [0.6, 0.9, 0.95, 0.975, 0.995, 0.999999])
def test_t_quantile_equals_scipy(p, df):
    assert t_quantile(p, df) == pytest.approx(stats.t.ppf(p, df), rel=1e-10)


@pytest.mark.parametrize("df", [3, 10, 1000, 999_999])
@pytest.mark.parametrize("p", [0.5000001, 0.51, 0.3, 0.025])
def test_t_quantile_near_the_median_and_below_round_trips(p, df):
    # near p = ½ scipy's own quantile is less exact than its cdf, so check the round trip
    t = t_quantile(p, df)
    assert stats.t.cdf(t, df) == pytest.approx(p, rel=1e-11, abs=1e-16)
    assert t_quantile(1 - p, df) == pytest.approx(-t, rel=1e-12)


def test_t_quantile_median_and_errors():
    assert t_quantile(0.5, 7) == 0.0
    for p in (0.0, 1.0, -0.1, float("nan")):
        with pytest.raises(ValueError, match="p must"):
            t_quantile(p, 5)
    with pytest.raises(ValueError, match="df must"):
        t_quantile(0.9, 0)


@pytest.mark.parametrize("x", [1e-6, 0.01, 0.5, 1.0, 3.84, 10.0, 50.0, 300.0, 1400.0])
def test_chi2_closed_forms(x):
    assert chi2_sf(x, 2) == pytest.approx(math.exp(-x / 2), rel=1e-13, abs=1e-300)
    assert chi2_sf(x, 1) == pytest.approx(math.erfc(math.sqrt(x / 2)), rel=1e-12, abs=1e-300)


@pytest.mark.parametrize("df", [1, 2, 3, 4, 5, 7, 9, 12, 19, 30, 45, 60])
def test_chi2_sf_equals_scipy(df):
    for x in np.geomspace(1e-4, 2500, 300):
        expected = stats.chi2.sf(x, df)
        if expected > 1e-300:
            assert chi2_sf(float(x), df) == pytest.approx(expected, rel=1e-11), x


def test_chi2_sf_edges():
    assert chi2_sf(0.0, 3) == 1.0 and chi2_sf(-1.0, 3) == 1.0
    assert chi2_sf(math.inf, 3) == 0.0
    assert chi2_sf(3.841458820694124, 1) == pytest.approx(0.05, rel=1e-12)  # the 5 % point
    with pytest.raises(ValueError, match="df must"):
        chi2_sf(1.0, 0)


def test_scoring_needs_no_scipy():
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from learn_core.reading import read_survey\n"
        "from learn_core.analysis import analyse\n"
        "analyse(read_survey('sample_data/beispielstadt.csv'), 5)\n"
        "print('scipy' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=__import__("pathlib").Path(__file__).resolve().parents[2])
    assert out.stdout.strip() == "False"


def _f_quantile_by_plain_bisection(p: float, d1: float, d2: float) -> float:
    """A slow, obviously right reference: bisection on ln x for P(F > x) = 1 − p,
    every step evaluated."""
    import math

    from learn_core.analysis.distributions import f_sf

    q = 1.0 - p
    lo, hi = -1.0, 1.0
    while f_sf(math.exp(lo), d1, d2) < q:
        lo *= 2.0
    while f_sf(math.exp(hi), d1, d2) > q:
        hi *= 2.0
    for _ in range(200):
        mid = (lo + hi) / 2.0
        if f_sf(math.exp(mid), d1, d2) > q:
            lo = mid
        else:
            hi = mid
        if hi - lo < 1e-14:
            break
    return math.exp((lo + hi) / 2.0)


def _feldt_cases(rng, count: int) -> list[tuple[float, float, float]]:
    """Feldt's degrees of freedom, n − 1 and (n − 1)(k − 1), at the interval's and random p."""
    cases = []
    for _ in range(count):
        n = int(rng.choice([rng.integers(3, 60), rng.integers(60, 3000), rng.integers(3000, 200_000)]))
        k = int(rng.integers(2, 12))
        cases.append((float(rng.choice([0.025, 0.975, rng.uniform(0.01, 0.99)])), n - 1, (n - 1) * (k - 1)))
    return cases


def test_f_quantile_agrees_with_a_plain_bisection_and_with_scipy():
    from scipy import stats

    from learn_core.analysis.distributions import f_quantile

    rng = np.random.default_rng(21)
    cases = _feldt_cases(rng, 150)
    cases += [(float(rng.uniform(0.01, 0.99)), float(rng.uniform(0.5, 50)), float(rng.uniform(0.5, 500)))
              for _ in range(80)]
    for c in cases:
        got = f_quantile(*c)
        # above 10⁵ degrees of freedom the tail itself is only good to about 1e-11 (rounding noise)
        assert got == pytest.approx(_f_quantile_by_plain_bisection(*c), rel=1e-11 if c[1] < 1e5 else 1e-9), c
        assert got == pytest.approx(float(stats.f.ppf(*c)), rel=1e-10 if c[1] < 1e5 else 1e-9), c


@pytest.mark.parametrize(("p", "d1", "d2"), [(1e-10, 3, 7), (1 - 1e-10, 3, 7), (1e-6, 0.2, 0.3), (0.5, 1, 1),
                                               (0.999999, 0.2, 0.3), (0.975, 2, 2), (0.025, 199_999, 1_999_990)])
def test_f_quantile_in_the_far_tails_and_at_the_edges_of_its_range(p, d1, d2):
    from scipy import stats

    from learn_core.analysis.distributions import f_quantile

    assert f_quantile(p, d1, d2) == pytest.approx(float(stats.f.ppf(p, d1, d2)), rel=1e-9)


def test_f_quantile_needs_few_tail_evaluations(monkeypatch):
    """Newton's method on the probit of the distribution function: a handful of
    incomplete beta evaluations per quantile (the bisection it replaced needed about 27)."""
    import learn_core.analysis.distributions as dist

    calls = []
    real = dist._betainc_parts
    monkeypatch.setattr(dist, "_betainc_parts", lambda *a: calls.append(a) or real(*a))
    cases = _feldt_cases(np.random.default_rng(5), 100)
    for c in cases:
        dist.f_quantile(*c)
    assert len(calls) / len(cases) <= 8


def _beta_fraction_by_generator(a: float, b: float, x: float) -> float:
    """_beta_fraction as it was: the partial numerators from a generator, the
    modified Lentz method in a function of its own."""
    from learn_core.analysis.distributions import _EPS, _MAX_TERMS, _TINY

    def terms():
        m = 0
        yield -(a + b) * x / (a + 1.0)
        while True:
            m += 1
            yield m * (b - m) * x / ((a + 2 * m - 1.0) * (a + 2 * m))
            yield -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1.0))

    c, d, h = 1.0, 0.0, 1.0
    for k, term in enumerate(terms(), 1):
        d = 1.0 + term * d
        d = 1.0 / (d if abs(d) > _TINY else _TINY)
        c = 1.0 + term / c
        c = c if abs(c) > _TINY else _TINY
        step = c * d
        h *= step
        if abs(step - 1.0) < _EPS or k >= _MAX_TERMS:
            break
    return 1.0 / h


def test_beta_fraction_equals_the_generator_form_bit_for_bit():
    from learn_core.analysis.distributions import _beta_fraction

    rng = np.random.default_rng(5)
    sizes = [(0.1, 5), (5, 500), (500, 2e6)]
    cases = []
    for _ in range(2000):
        a, b = (0.5 if rng.random() < 0.2 else float(rng.uniform(*sizes[rng.integers(3)])) for _ in range(2))
        cases.append((a, b, float(rng.uniform(0, 1)) * (a + 1) / (a + b + 2)))
    assert [_beta_fraction(*c) for c in cases] == [_beta_fraction_by_generator(*c) for c in cases]
