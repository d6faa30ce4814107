"""Key drivers (learn_core.analysis.drivers), checked against statsmodels and scipy,
and item priorities (learn_core.analysis.priorities), hand-computed."""

from __future__ import annotations

import numpy as np
import pytest
import statsmodels.api as sm
from scipy import stats

from learn_core.analysis import analyse
from learn_core.analysis.drivers import (
    MIN_DRIVER_RESPONDENTS,
    fisher_interval,
    relative_weights,
    standardised_regression,
)
from learn_core.analysis.priorities import item_priorities
from learn_core.instrument import instrument_version
from learn_core.reading import read_survey
from learn_core.recommendations import catalogue
from learn_core.samples import SAMPLE_XLSX
from tests.conftest import dim_answers, survey_of


def _data(rng, n=200):
    x = rng.normal(size=(n, 3)) @ np.array([[1.0, 0.5, 0.3], [0.0, 1.0, 0.4], [0.0, 0.0, 1.0]])
    y = x @ np.array([0.5, 0.2, 0.1]) + rng.normal(size=n)
    return x, y


def _z(a):
    return (a - a.mean(axis=0)) / a.std(axis=0, ddof=1)


def test_standardised_regression_equals_statsmodels(rng):
    x, y = _data(rng)
    beta, se, r2 = standardised_regression(x, y)
    fit = sm.OLS(_z(y), sm.add_constant(_z(x))).fit()
    assert beta == pytest.approx(fit.params[1:], rel=1e-10)
    assert se == pytest.approx(fit.bse[1:], rel=1e-10)
    assert r2 == pytest.approx(fit.rsquared, rel=1e-10)


def test_relative_weights_sum_to_r2_and_equal_r_squared_when_uncorrelated(rng):
    x, y = _data(rng)
    weights = relative_weights(x, y)
    assert weights.sum() == pytest.approx(sm.OLS(y, sm.add_constant(x)).fit().rsquared, rel=1e-10)
    assert (weights > 0).all()
    # orthogonal predictors (exactly uncorrelated columns): each weight is its r²
    # (orthonormal columns that are orthogonal to the constant too: centred and uncorrelated)
    xo = np.linalg.qr(np.column_stack([np.ones(50), rng.normal(size=(50, 3))]))[0][:, 1:]
    yo = xo @ np.array([3.0, 2.0, 1.0]) + rng.normal(size=50) * 0.1
    r = np.array([stats.pearsonr(xo[:, j], yo).statistic for j in range(3)])
    assert relative_weights(xo, yo) == pytest.approx(r**2, rel=1e-8)


def test_relative_weights_of_a_published_example():
    # Johnson (2000)'s idea by hand for two predictors with r12 = 0.5, r1y = 0.6, r2y = 0.3:
    # β = (0.6, 0) → R² = 0.36; Λ = R^½ has diagonal a = (√1.5 + √0.5)/2, off-diagonal b = (√1.5 − √0.5)/2;
    # β* = Λ⁻¹ r; ε = Λ² β*²
    rxx = np.array([[1.0, 0.5], [0.5, 1.0]])
    rxy = np.array([0.6, 0.3])
    cov = np.block([[rxx, rxy[:, None]], [rxy[None, :], np.ones((1, 1))]])
    data = np.random.default_rng(1).multivariate_normal(np.zeros(3), cov, size=400)
    # whiten to the exact correlation matrix, so the sample has exactly these correlations
    data = _z(data)
    data = data @ np.linalg.inv(np.linalg.cholesky(np.corrcoef(data.T)).T) @ np.linalg.cholesky(cov).T
    a, b = (np.sqrt(1.5) + np.sqrt(0.5)) / 2, (np.sqrt(1.5) - np.sqrt(0.5)) / 2
    lam = np.array([[a, b], [b, a]])
    star = np.linalg.solve(lam, rxy)
    expected = (lam**2) @ (star**2)
    assert expected.sum() == pytest.approx(0.36)
    assert relative_weights(data[:, :2], data[:, 2]) == pytest.approx(expected, rel=1e-8)


@pytest.mark.parametrize("n", [4, 30, 177])
def test_fisher_interval_equals_scipy(rng, n):
    a = rng.normal(size=n)
    b = a + rng.normal(size=n)
    res = stats.pearsonr(a, b)
    ci = res.confidence_interval(0.95)
    assert fisher_interval(res.statistic, n) == pytest.approx((ci.low, ci.high), rel=1e-9)
    with pytest.raises(ValueError):
        fisher_interval(0.5, 3)


def test_sample_drivers_and_priority():
    a = analyse(read_survey(SAMPLE_XLSX, instrument=instrument_version("1.0")), 5)
    d = a.result.drivers
    assert d.n == 177 and not d.caution and d.reason is None
    scores = a.scores.dropna(subset=["motivation", "fuehrung", "kompetenz", "lernerfolg"])
    fit = sm.OLS(_z(scores["lernerfolg"].to_numpy()),
                 sm.add_constant(_z(scores[["motivation", "fuehrung", "kompetenz"]].to_numpy()))).fit()
    assert [x.beta for x in d.dimensions] == pytest.approx(fit.params[1:], rel=1e-9)
    assert [x.beta_ci95 for x in d.dimensions] == [pytest.approx(tuple(c), rel=1e-9) for c in fit.conf_int()[1:]]
    assert d.r2 == pytest.approx(fit.rsquared) and sum(x.share for x in d.dimensions) == pytest.approx(100.0)
    # Führung: the largest weight and the lowest enabler score → act here first; the others not
    assert [x.dimension for x in d.dimensions if x.priority] == ["fuehrung"]
    m1 = next(x for x in d.items if x.item == "M1")
    ok = ~np.isnan(a.values[:, 0]) & ~np.isnan(a.scores["lernerfolg"].to_numpy())
    assert m1.n == int(ok.sum()) and m1.r == pytest.approx(stats.pearsonr(a.values[ok, 0],
                                                                            a.scores["lernerfolg"][ok]).statistic)
    assert {x.item[0] for x in d.items} == {"M", "F", "K"} and len(d.items) == 18


def test_every_statement_correlation_equals_scipy_over_the_pairs_both_given_and_a_constant_one_has_none():
    """The item correlations come from sums over the pairs (matrix products):
    each equals scipy's Pearson r on exactly those pairs; a statement all
    answered alike has no r (not a rounding remainder) and is left out."""
    from learn_core.analysis.drivers import _item_correlations

    inst = instrument_version("1.0")
    rng = np.random.default_rng(8)
    n = 400
    values = rng.integers(1, 6, (n, len(inst.items))).astype(np.float64)
    values[rng.random(values.shape) < 0.15] = np.nan
    constant = inst.item_ids.index("K3")
    values[:, constant] = np.where(np.isnan(values[:, constant]), np.nan, 4.0)
    outcome = rng.uniform(0, 100, n)
    outcome[rng.random(n) < 0.1] = np.nan

    class _Org:
        items = {i: type("I", (), {"favourable": 50.0})() for i in inst.item_ids}

    found = {item.id: (m, r) for item, m, r, _ in _item_correlations(values, outcome, inst, _Org())}
    enablers = [it.id for it in inst.items if it.dimension != "lernerfolg"]
    assert sorted(found) == sorted(set(enablers) - {"K3"})
    for item_id, (m, r) in found.items():
        j = inst.item_ids.index(item_id)
        ok = ~np.isnan(values[:, j]) & ~np.isnan(outcome)
        assert m == int(ok.sum())
        assert r == pytest.approx(stats.pearsonr(values[ok, j], outcome[ok]).statistic, rel=1e-9)


def _rows(n, rng):
    rows = []
    for _ in range(n):
        base = int(rng.integers(1, 6))
        row = {}
        for p in "MFKL":
            row.update(dim_answers(p, [int(np.clip(base + rng.integers(-1, 2), 1, 5)) for _ in range(6)]))
        row["Abteilung"] = "A"
        rows.append(row)
    return rows


def test_no_drivers_below_the_minimum(rng):
    few = analyse(survey_of(_rows(MIN_DRIVER_RESPONDENTS - 1, rng), "Abteilung"), 5).result.drivers
    assert few.reason == "too_few" and few.dimensions == () and few.items == ()
    enough = analyse(survey_of(_rows(MIN_DRIVER_RESPONDENTS, rng), "Abteilung"), 5).result.drivers
    assert enough.reason is None and enough.caution and len(enough.dimensions) == 3
    assert enough.to_json()["dimensions"][0]["n"] == MIN_DRIVER_RESPONDENTS


def test_item_priorities_pick_the_weakest_and_link_measures():
    # favourable shares by hand: in Motivation M3 (0 %) and M1 (25 %) are the weakest, M2 (50 %) next
    rows = []
    for i in range(8):
        row = dim_answers("M", [5 if i < 2 else 2, 5 if i < 4 else 2, 2, 5, 5, 1])
        row.update(dim_answers("F", [4] * 5 + [2]))
        row.update(dim_answers("K", [4] * 5 + [2]))
        row.update(dim_answers("L", [3] * 5 + [3]))
        rows.append(row)
    a = analyse(survey_of(rows), 5)
    pri = [p for p in a.result.item_priorities if p.dimension == "motivation"]
    assert [(p.item, p.favourable) for p in pri] == [("M3", 0.0), ("M1", 25.0)]
    assert pri[0].r is None and pri[0].priority is None  # 8 respondents: no driver analysis
    for p in pri:
        by_indicator = [r.id for r in catalogue() if p.item in r.indicator_items]
        if p.linked_by == "indicator":
            assert set(p.measures) <= set(by_indicator) and p.measures
        else:
            assert not by_indicator and all(r.dimension == "motivation" for r in catalogue() if r.id in p.measures)
    assert item_priorities(None, instrument_version("1.0"), None) == ()


def test_json_carries_drivers_and_priorities():
    out = analyse(read_survey(SAMPLE_XLSX, instrument=instrument_version("1.0")), 5).result.to_json()
    assert out["drivers"]["method"] == "relative_weights" and len(out["drivers"]["dimensions"]) == 3
    assert [(p["dimension"], p["item"]) for p in out["item_priorities"]] == [
        ("motivation", "M5"), ("motivation", "M2"), ("fuehrung", "F4"), ("fuehrung", "F6"),
        ("kompetenz", "K4"), ("kompetenz", "K6")]


def test_a_dimension_everyone_scored_alike_gives_no_drivers_and_says_why():
    """Everyone answered Führung with 3: no correlation exists (before, a division
    by zero warned and the analysis said "too few")."""
    import warnings

    import pandas as pd

    from learn_core.analysis import analyse
    from learn_core.display.drivers import driver_sentence
    from learn_core.instrument import instrument_version
    from learn_core.reading import survey_from_frame

    rng = np.random.default_rng(3)
    rows = [{i: (3 if i.startswith("F") else int(rng.integers(1, 6))) for i in instrument_version("1.0").item_ids}
            for _ in range(60)]
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        drivers = analyse(survey_from_frame(pd.DataFrame(rows)), 5).result.drivers
    assert (drivers.reason, drivers.n, drivers.dimensions) == ("no_variance", 60, ())
    assert "denselben Wert" in driver_sentence(drivers, "de") and "same score" in driver_sentence(drivers, "en")
