"""The scoring contract, pinned with small hand-computed cases."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from learn_core.analysis import analyse, scoring
from learn_core.analysis.scoring import dimension_scores, reversed_answers, unit_figures
from learn_core.analysis.statistics import t_interval
from learn_core.instrument import level_for
from tests.conftest import dim_answers, full_row, survey_of

APPROX = dict(rel=1e-12, abs=1e-9)


def org_dim(result: dict, key: str) -> dict:
    return result["organisation"]["dimensions"][key]


# ---------------------------------------------------------------- respondent scores


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        # M6 is reverse-keyed: 2 → 4; mean (4+4+3+5+2+4)/6 = 22/6; (22/6 − 1) × 25
        ([4, 4, 3, 5, 2, 2], (22 / 6 - 1) * 25),
        ([5, 5, 5, 5, 5, 1], 100.0),  # M6 = 1 → 5
        ([1, 1, 1, 1, 1, 5], 0.0),  # M6 = 5 → 1
        ([3, 3, 3, 3, 3, 3], 50.0),
        # 4 of 6 valid is enough: (4+2+5+1 → reversed 5)/4 … M6 missing here
        ([4, 2, 5, 1, None, None], ((4 + 2 + 5 + 1) / 4 - 1) * 25),
        ([4, 2, 5, None, None, 1], ((4 + 2 + 5 + 5) / 4 - 1) * 25),
        # 3 of 6 is not
        ([4, 2, 5, None, None, None], math.nan),
        ([None, None, None, None, None, 1], math.nan),
    ],
)
def test_motivation_score_of_one_respondent(answers, expected):
    survey = survey_of([dim_answers("M", answers)])
    values = reversed_answers(survey.answers, survey.instrument)
    got = dimension_scores(values, survey.instrument)["motivation"].iloc[0]
    if math.isnan(expected):
        assert math.isnan(got)
    else:
        assert got == pytest.approx(expected, **APPROX)


@pytest.mark.parametrize("prefix", ["M", "F", "K", "L"])
def test_only_the_sixth_item_is_reversed(prefix):
    key = {"M": "motivation", "F": "fuehrung", "K": "kompetenz", "L": "lernerfolg"}[prefix]
    survey = survey_of([dim_answers(prefix, [5, 5, 5, 5, 5, 5])])
    values = reversed_answers(survey.answers, survey.instrument)
    # five items stay 5, the sixth becomes 1: mean 26/6
    got = dimension_scores(values, survey.instrument)[key].iloc[0]
    assert got == pytest.approx((26 / 6 - 1) * 25, **APPROX)


@pytest.mark.parametrize("bad", [0, 6, 3.5, "abc", -1, 7.0, True])
def test_invalid_answers_count_as_missing(bad):
    # 4 valid answers + 1 invalid: still scored from the 4 valid ones
    survey = survey_of([dim_answers("M", [4, 4, 4, 4, bad, None])])
    values = reversed_answers(survey.answers, survey.instrument)
    assert dimension_scores(values, survey.instrument)["motivation"].iloc[0] == pytest.approx(75.0)
    assert survey.report.invalid_count == 1


def test_row_with_only_invalid_cells_is_no_respondent_but_reported():
    rows = [full_row(4), {"M1": 9, "F2": "x"}, {}]
    survey = survey_of(rows)
    result = analyse(survey, 3).result.to_json()
    # the empty row is not read at all; the invalid row is read but is no respondent
    assert result["rows_read"] == 2
    assert result["respondents"] == 1
    invalid = [p for p in result["problems"] if p["row"] == 3]
    assert {p["column"] for p in invalid} == {"M1", "F2"}


# ---------------------------------------------------------------- group figures


def test_group_mean_n_and_t_interval():
    # motivation scores 50, 75, 100, 25, 50 (all six items equal, M6 reversed)
    rows = [full_row(v) for v in (3, 4, 5, 2, 3)]
    result = analyse(survey_of(rows), 5).result.to_json()
    d = org_dim(result, "motivation")
    scores = np.array([50, 75, 100, 25, 50.0])
    assert d["n"] == 5
    assert d["score"] == pytest.approx(60.0, **APPROX)
    # sample SD: sqrt(sum((x-60)^2)/4) = sqrt((100+225+1600+1225+100)/4) = sqrt(812.5)
    sd = math.sqrt(812.5)
    assert scores.std(ddof=1) == pytest.approx(sd)
    # t(0.975; 4) = 2.776445 (printed t tables: 2.776)
    half = 2.7764451051977987 * sd / math.sqrt(5)
    assert d["ci95"][0] == pytest.approx(60 - half, rel=1e-9)
    assert d["ci95"][1] == pytest.approx(60 + half, rel=1e-9)
    assert d["level"] == 4


def test_a_single_score_has_no_interval_and_its_cell_is_hidden():
    rows = [full_row(4)] + [{"M1": 4, "F1": 4}] * 4  # only one motivation score
    survey = survey_of(rows)
    values = reversed_answers(survey.answers, survey.instrument)
    fig = unit_figures(values, dimension_scores(values, survey.instrument), np.zeros(5, dtype=int), 1,
                       survey.instrument).dimensions["motivation"]
    assert fig.n[0] == 1 and fig.score[0] == pytest.approx(75.0) and math.isnan(fig.sd[0])
    assert t_interval(np.array([75.0])) is None
    # one score is fewer than k: the organisation's cell is hidden, no figure of it shown
    d = org_dim(analyse(survey, 5).result.to_json(), "motivation")
    assert d["hidden"] == "min_size"
    assert [d[f] for f in ("n", "score", "ci95", "level", "favourable", "alpha")] == [None] * 6


def test_favourable_counts_all_valid_answers_of_all_respondents():
    rows = [
        dim_answers("M", [4, 5, 3, 2, 1, 1]),  # reversed M6: 5 → favourable: 4, 5, 5 = 3 of 6
        dim_answers("M", [5, None, None, None, None, 4]),  # no score, but 2 valid: 5 fav, M6 4→2 not
        {"F1": 4},  # respondent without any motivation answer
        dim_answers("M", [3, 3, 3, 3, 3, 3]),  # 0 of 6
        dim_answers("M", [4, 4, 4, 4, "x", None]),  # 4 of 4 valid
    ]
    survey = survey_of(rows)
    values = reversed_answers(survey.answers, survey.instrument)
    fig = unit_figures(values, dimension_scores(values, survey.instrument), np.zeros(5, dtype=int), 1,
                       survey.instrument).dimensions["motivation"]
    # favourable 3 + 1 + 0 + 4 = 8 of 6 + 2 + 6 + 4 = 18 valid answers
    assert (fig.favourable[0], fig.answers[0]) == (8, 18)
    assert (fig.n[0], fig.n_any[0]) == (3, 4)
    # in the analysis M5 was answered by two people only (fewer than k = 3):
    # M5 is hidden, and so is the favourable share it would give away
    d = org_dim(analyse(survey, 3).result.to_json(), "motivation")
    assert d["n"] == 3 and d["favourable"] is None and d["favourable_hidden"] == "item_hidden"
    rows[4] = dim_answers("M", [4, 4, 4, 4, 4, None])  # now M5 has 3 answers: 3 + 1 + 0 + 5 of 19
    d = org_dim(analyse(survey_of(rows), 3).result.to_json(), "motivation")
    assert d["favourable"] == pytest.approx(9 / 19 * 100, **APPROX) and d["favourable_hidden"] is None


def test_cronbach_alpha_over_complete_cases_only():
    # item matrix (M1..M3 vary, M4..M6 fixed) – see test_statistics for the
    # hand computation of alpha; here: rows with a missing item are left out
    rows = [
        dim_answers("M", [1, 2, 3, 3, 3, 3]),
        dim_answers("M", [2, 3, 3, 3, 3, 3]),
        dim_answers("M", [3, 3, 4, 3, 3, 3]),
        dim_answers("M", [4, 5, 5, 3, 3, 3]),
        dim_answers("M", [5, 5, 5, None, 3, 3]),  # incomplete: not in alpha
    ]
    d = org_dim(analyse(survey_of(rows), 3).result.to_json(), "motivation")
    # 6 items: three constant ones add 0 variance; total variance unchanged
    # alpha = 6/5 × (1 − (5/3 + 19/12 + 11/12) / (35/3))
    expected = 6 / 5 * (1 - (5 / 3 + 19 / 12 + 11 / 12) / (35 / 3))
    assert d["alpha"] == pytest.approx(expected, **APPROX)


def test_alpha_null_with_fewer_than_three_complete_rows_or_no_variance():
    rows = [full_row(4), full_row(3), dim_answers("M", [4, 4, 4, 4, None, None])] + [{"F1": 3}] * 2
    assert org_dim(analyse(survey_of(rows), 5).result.to_json(), "motivation")["alpha"] is None
    same = [full_row(4)] * 5
    assert org_dim(analyse(survey_of(same), 5).result.to_json(), "motivation")["alpha"] is None


def test_index_is_mean_of_existing_dimension_scores():
    # motivation 100, fuehrung 50, kompetenz and lernerfolg not scorable
    rows = [{**dim_answers("M", [5, 5, 5, 5, 5, 1]), **dim_answers("F", [3, 3, 3, 3, None, None])}] * 3
    org = analyse(survey_of(rows), 3).result.to_json()["organisation"]
    assert org["dimensions"]["kompetenz"]["score"] is None
    assert org["dimensions"]["kompetenz"]["level"] is None
    assert org["index"] == pytest.approx(75.0)
    assert org["level"] == 4


def test_index_null_when_no_dimension_scores():
    rows = [{"M1": 4, "F1": 4}] * 5
    org = analyse(survey_of(rows), 5).result.to_json()["organisation"]
    assert org["index"] is None and org["level"] is None


@pytest.mark.parametrize(
    ("score", "level"),
    [
        (0.0, 1),
        (19.999999, 1),
        (20.0, 2),
        (39.99, 2),
        (40.0, 3),
        (59.999, 3),
        (60.0, 4),
        (79.9999, 4),
        (80.0, 5),
        (100.0, 5),
        (None, None),
        (math.nan, None),
    ],
)
def test_levels_at_band_edges(score, level):
    assert level_for(score) == level


def test_group_labels_as_spreadsheet_shows_them():
    rows = [full_row(4, group=10.0)] * 5 + [full_row(3, group="  Bauamt ")] * 5 + [full_row(2, group=None)] * 5
    result = analyse(survey_of(rows, "Abteilung"), 5).result.to_json()
    assert sorted(result["groups"]) == ["10", "Bauamt", "ohne Angabe"]
    assert result["groups"]["10"]["dimensions"]["fuehrung"]["score"] == pytest.approx(75.0)
    assert result["groups"]["ohne Angabe"]["index"] == pytest.approx(25.0)


@pytest.mark.parametrize("values", [
    ["  Bauamt ", "Bau\tamt", "Bauamt", "", "   ", "Jugend\n amt", "Kämmerei"],  # only texts: the fast path
    ["Bauamt", 10.0, None, 3.5, "  x  ", float("nan")],  # mixed cells: one at a time
    [True, 1.0, False, 0, "Bauamt", None],  # TRUE beside the number 1: two groups, not one (hashing equates them)
])
def test_group_labels_of_a_column_are_each_cells_label(values):
    from learn_core.reading.survey import NO_GROUP, group_label, group_labels

    got = list(group_labels(pd.Series(values, dtype=object)))
    assert got == [group_label(v) for v in values]
    assert NO_GROUP in got and "Bauamt" in got



# --------------------------------------------------------------------------- unit_figures against its former self


def _unit_figures_before(values: np.ndarray, scores: object, codes: np.ndarray, units: int,
                         instrument, *, total: bool = False) -> scoring.UnitFigures:
    """unit_figures as it was before the item counts were made in one pass (the reference)."""
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
    rows, cols = np.nonzero(valid)
    answer = values[rows, cols]
    raw = np.where(rev[cols], (low + high) - answer, answer).astype(np.int64) - low
    cell = codes[rows] * n_items + cols
    counts = per_unit(cell * width + raw, shape=(n_items, width))
    agree = per_unit(cell, (answer >= 4).astype(np.float64), shape=(n_items,))
    dims: dict = {}
    everyone = np.zeros(codes.size, dtype=np.int64)
    with np.errstate(invalid="ignore", divide="ignore"):
        for key in scoring.DIMENSION_KEYS:
            idx = [i for i, it in enumerate(instrument.items) if it.dimension == key]
            k = len(idx)
            ok = valid[:, idx]
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
            cc, cb = codes[complete], values[complete][:, idx]
            an = per_unit(cc)
            pos = (cc[:, None] * k + np.arange(k)).ravel()
            s1, s2 = per_unit(pos, cb.ravel(), (k,)), per_unit(pos, cb.ravel() ** 2, (k,))
            item_var = ((s2 - s1 * s1 / an[:, None]) / (an[:, None] - 1)).sum(axis=1)
            tot = cb.sum(axis=1)
            t1, t2 = per_unit(cc, tot), per_unit(cc, tot**2)
            total_var = (t2 - t1 * t1 / an) / (an - 1)
            alpha = np.where((an >= 3) & (k >= 2) & (total_var > 0), k / (k - 1) * (1 - item_var / total_var), np.nan)
            dims[key] = scoring.DimensionFigures(n.astype(np.int64), np.where(n > 0, mean, np.nan), sd,
                                         n_any.astype(np.int64), favourable, answers, alpha, an.astype(np.int64))
    return scoring.UnitFigures(out_units, dims, counts, agree)


@pytest.mark.parametrize("total", [False, True])
def test_unit_figures_equal_the_former_computation_exactly(total):
    from learn_core.instrument import default_instrument

    instrument = default_instrument()
    rng = np.random.default_rng(2112)
    n, units = 4000, 7
    answers = rng.integers(1, 6, size=(n, len(instrument.items))).astype(float)
    answers[rng.random(answers.shape) < 0.12] = np.nan
    answers[rng.random(n) < 0.05] = np.nan  # some rows without any answer
    values = reversed_answers(pd.DataFrame(answers, columns=list(instrument.item_ids)), instrument)
    values = values[scoring.respondent_mask(values)]
    scores = dimension_scores(values, instrument)
    codes = rng.integers(0, units, size=len(values))
    new = unit_figures(values, scores, codes, units, instrument, total=total)
    old = _unit_figures_before(values, scores, codes, units, instrument, total=total)
    assert np.array_equal(new.item_counts, old.item_counts) and np.array_equal(new.item_favourable, old.item_favourable)
    for key in old.dimensions:
        for field in ("n", "score", "sd", "n_any", "favourable", "answers", "alpha", "alpha_n"):
            a, b = getattr(new.dimensions[key], field), getattr(old.dimensions[key], field)
            assert a.dtype == b.dtype and np.array_equal(a, b, equal_nan=True), (key, field)


def test_dimension_scores_of_a_questionnaire_reduced_to_no_statements_are_all_empty():
    """The Verlauf rescores over the statements every wave holds; with none in
    common every dimension score is missing (it raised an IndexError once)."""
    import dataclasses

    from learn_core.instrument import DIMENSION_KEYS, default_instrument

    empty = dataclasses.replace(default_instrument(), items=())
    frame = dimension_scores(np.empty((3, 0)), empty)
    assert list(frame.columns) == list(DIMENSION_KEYS) and frame.shape == (3, 4) and frame.isna().all().all()


def test_dimension_scores_by_hand_with_gaps_and_the_minimum_of_valid_answers():
    """Motivation of respondent 0: answers 5, 4, –, 3, 4, 2 (M6 reversed, so 4 counts): mean 4 → 75;
    respondent 1: only three of six given, below the minimum of four → missing."""
    from learn_core.instrument import instrument_version

    inst = instrument_version("1.0")
    raw = np.full((2, len(inst.items)), np.nan)
    m = [inst.item_ids.index(f"M{i}") for i in range(1, 7)]
    raw[0, m] = [5, 4, np.nan, 3, 4, 2]
    raw[1, m[:3]] = [5, 5, 5]
    values = reversed_answers(pd.DataFrame(raw, columns=inst.item_ids), inst)
    got = dimension_scores(values, inst)
    assert got["motivation"].iloc[0] == pytest.approx(75.0) and np.isnan(got["motivation"].iloc[1])
    assert got[["fuehrung", "kompetenz", "lernerfolg"]].isna().all().all()
