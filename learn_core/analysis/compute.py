"""The analysis of a survey: organisation, groups, privacy, comparison and
recommendations in one typed result (:mod:`learn_core.analysis.results`).

:func:`analyse` is the one call the CLI, the dashboard pages, the reports and
the wave comparison make. Its result never contains a figure that privacy
hides (:mod:`learn_core.analysis.privacy`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from learn_core.analysis.distributions import t_quantile
from learn_core.analysis.privacy import (
    DEFAULT_MIN_GROUP_SIZE,
    Groupings,
    atoms_of,
    check_min_group_size,
    suppress_family,
)
from learn_core.analysis.results import (
    AnalysisResult,
    Comparison,
    DimensionResult,
    GroupResult,
    HiddenCell,
    HiddenGroup,
    ItemResult,
    RecommendationRef,
)
from learn_core.analysis.scoring import (
    UnitFigures,
    dimension_scores,
    respondent_mask,
    reversed_answers,
    unit_figures,
)
from learn_core.analysis.statistics import kruskal_wallis
from learn_core.errors import ReadError
from learn_core.instrument import DIMENSION_KEYS, Instrument, level_for
from learn_core.reading.attributes import MAX_GROUPS
from learn_core.reading.survey import Survey
from learn_core.reading.validation import Problem
from learn_core.recommendations import match

__all__ = ["NO_GROUPS", "STRENGTH_MARGIN", "Analysis", "analyse", "analyse_upload"]

#: Points above (below) the organisation that make a strength (focus area).
STRENGTH_MARGIN = 10.0
#: The group column choice "no groups" (the dashboard's "keine Abteilungen").
NO_GROUPS = "__none__"


@dataclass
class Analysis:
    """Result of :func:`analyse`.

    ``result`` is the typed result (:class:`~learn_core.analysis.results.AnalysisResult`;
    ``result.to_json()`` the CLI's JSON). ``scores`` holds the respondents'
    dimension scores with their group (``group`` column); it includes
    respondents of hidden groups and is for the wave comparison and
    statistics only, never for display. ``values`` are the reversed answers
    of the respondents, row-aligned with ``scores``.
    """

    survey: Survey
    min_group_size: int
    result: AnalysisResult
    scores: pd.DataFrame
    values: np.ndarray

    @property
    def organisation(self) -> GroupResult | None:
        return self.result.organisation

    @property
    def groups(self) -> dict[str, GroupResult]:
        return dict(self.result.groups)

    @property
    def suppressed_groups(self) -> list[str]:
        return self.result.suppressed_groups

    def reported_mask(self) -> np.ndarray:
        """True for respondents whose group is reported (or all, without groups)."""
        if "group" not in self.scores:
            return np.ones(len(self.scores), dtype=bool)
        return self.scores["group"].isin(list(self.result.groups)).to_numpy()


# --------------------------------------------------------------------------- privacy over all figures


@dataclass(frozen=True)
class _Hidden:
    """Per grouping and cell the reason each figure is hidden (None: reported)."""

    groups: list[list[str | None]]
    score: dict[str, list[list[str | None]]]
    favourable: dict[str, list[list[str | None]]]
    items: dict[str, list[list[str | None]]]


def _groupings(survey: Survey, is_resp: np.ndarray) -> tuple[Groupings, int]:
    """All groupings of the respondents (priority order) and the position of the chosen one."""
    chosen = survey.report.group_column
    columns = {name: labels.to_numpy()[is_resp] for name, labels in survey.attributes.items()}
    if chosen not in columns:
        columns[chosen] = survey.groups.to_numpy()[is_resp]
    groupings = Groupings.from_columns(columns)
    position = groupings.names.index(chosen)
    if len(groupings.labels[position]) > MAX_GROUPS:
        raise ReadError(
            f"Die Gruppenspalte „{chosen}“ hat {len(groupings.labels[position])} verschiedene Werte; "
            f"als Gruppen sind höchstens {MAX_GROUPS} möglich. Bitte eine andere Spalte wählen."
        )
    return groupings, position


def _suppress_all(groupings: Groupings, values: np.ndarray, scores: pd.DataFrame, instrument: Instrument,
                  k: int) -> _Hidden:
    atoms = atoms_of(groupings)
    everyone = np.ones(values.shape[0], dtype=bool)
    groups = suppress_family(groupings, everyone, k, atoms=atoms)
    valid = ~np.isnan(values)
    score, fav, items = {}, {}, {}
    for j, item in enumerate(instrument.items):
        items[item.id] = suppress_family(groupings, valid[:, j], k, groups, atoms=atoms)
    for key in DIMENSION_KEYS:
        score[key] = suppress_family(groupings, ~np.isnan(scores[key].to_numpy()), k, groups, atoms=atoms)
        cols = [j for j, it in enumerate(instrument.items) if it.dimension == key]
        start = [[r if r is not None else next(("item_hidden" for j in cols
                                                if items[instrument.items[j].id][g][c] is not None), None)
                  for c, r in enumerate(rs)] for g, rs in enumerate(score[key])]
        fav[key] = suppress_family(groupings, valid[:, cols].any(axis=1), k, start, atoms=atoms)
    return _Hidden(groups, score, fav, items)


# --------------------------------------------------------------------------- results of one unit


@lru_cache(maxsize=4096)
def _t975(df: int) -> float:
    return t_quantile(0.975, df)


def _num(x: float) -> float | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)


def _dimension(key: str, fig, u: int, hidden: str | None, fav_hidden: str | None, k: int) -> DimensionResult:
    d = fig.dimensions[key]
    if hidden is not None:
        return DimensionResult(key, None, None, None, None, None, None, None, hidden, hidden, hidden)
    n, score, sd = int(d.n[u]), _num(d.score[u]), _num(d.sd[u])
    ci = None
    if score is not None and sd is not None and n >= 2:
        half = _t975(n - 1) * sd / math.sqrt(n)
        ci = (score - half, score + half)
    favourable = None
    if fav_hidden is None and d.answers[u] > 0:
        favourable = float(d.favourable[u] * 100.0 / d.answers[u])
    alpha_n = int(d.alpha_n[u])
    alpha, alpha_hidden = _num(d.alpha[u]), None
    if alpha_n < k:
        alpha, alpha_n, alpha_hidden = None, None, "min_size"
    return DimensionResult(key, n, score, ci, level_for(score), favourable, alpha, alpha_n, None, fav_hidden,
                           alpha_hidden)


def _items(fig: UnitFigures, u: int, instrument: Instrument, hidden: dict[str, str | None]) -> dict[str, ItemResult]:
    out = {}
    for j, item in enumerate(instrument.items):
        reason = hidden[item.id]
        counts = fig.item_counts[u, j]
        n = int(counts.sum())
        if reason is not None or n == 0:
            out[item.id] = ItemResult(item.id, item.dimension, item.reverse, None, None, None,
                                      reason or "min_size")
            continue
        shares = tuple(float(c * 100.0 / n) for c in counts)
        out[item.id] = ItemResult(item.id, item.dimension, item.reverse, n, shares,  # type: ignore[arg-type]
                                  float(fig.item_favourable[u, j] * 100.0 / n))
    return out


def _unit(name: str | None, fig: UnitFigures, u: int, n: int, instrument: Instrument, k: int,
          score_hidden: dict[str, str | None], fav_hidden: dict[str, str | None],
          item_hidden: dict[str, str | None]) -> GroupResult:
    dims = {key: _dimension(key, fig, u, score_hidden[key], fav_hidden[key], k) for key in DIMENSION_KEYS}
    shown = [d.score for d in dims.values() if d.score is not None]
    index = float(np.mean(shown)) if shown else None
    return GroupResult(name, n, index, len(shown), level_for(index), dims, _items(fig, u, instrument, item_hidden))


def _hidden_cells(unit: GroupResult) -> list[HiddenCell]:
    out = []
    for key, d in unit.dimensions.items():
        if d.hidden:
            out.append(HiddenCell(unit.name, key, "score", d.hidden))
            continue
        if d.favourable_hidden:
            out.append(HiddenCell(unit.name, key, "favourable", d.favourable_hidden))
        if d.alpha_hidden:
            out.append(HiddenCell(unit.name, key, "alpha", d.alpha_hidden))
    for item_id, it in unit.items.items():
        if it.hidden and not unit.dimensions[it.dimension].hidden:
            out.append(HiddenCell(unit.name, it.dimension, "item", it.hidden, item_id))
    return out


def _strengths(group: GroupResult, org: GroupResult) -> tuple[tuple[str, ...], tuple[str, ...]]:
    strengths: list[str] = []
    focus: list[str] = []
    for key in DIMENSION_KEYS:
        g, o = group.dimensions[key].score, org.dimensions[key].score
        if g is None or o is None:
            continue
        if g >= o + STRENGTH_MARGIN:
            strengths.append(key)
        elif g <= o - STRENGTH_MARGIN:
            focus.append(key)
    return tuple(strengths), tuple(focus)


# --------------------------------------------------------------------------- the analysis


def analyse(survey: Survey, min_group_size: int = DEFAULT_MIN_GROUP_SIZE) -> Analysis:
    """Score a survey for the organisation and every group, with privacy.

    Returns
    -------
    Analysis
        whose ``result`` holds the organisation (None below the minimum
        size), the reported groups, the hidden groups and cells with their
        reasons, the Kruskal–Wallis comparison over the reported cells and the
        recommendations.

    Raises
    ------
    ValueError
        when ``min_group_size`` is not an integer ≥ 3.
    ReadError
        when the group column has more than the allowed number of groups.
    """
    k = check_min_group_size(min_group_size)
    instrument = survey.instrument
    values_all = reversed_answers(survey.answers, instrument)
    is_resp = respondent_mask(values_all)
    values = values_all[is_resp]
    scores = dimension_scores(values, instrument)
    report = survey.report
    problems: list[Problem] = report.problems()
    n = int(values.shape[0])

    grouped = survey.groups is not None and n > 0
    if grouped:
        groupings, gi = _groupings(survey, is_resp)
        labels, codes = groupings.labels[gi], groupings.codes[:, gi]
        scores["group"] = np.asarray(labels, dtype=object)[codes]
        fig = unit_figures(values, scores, codes, len(labels), instrument, total=True)
        org_unit = len(labels)
    else:
        fig = unit_figures(values, scores, np.zeros(n, dtype=np.int64), 1, instrument)
        org_unit = 0
    organisation = None
    if n >= k:
        valid = ~np.isnan(values)
        item_hidden = {it.id: (None if valid[:, j].sum() >= k else "min_size") for j, it in enumerate(instrument.items)}
        score_hidden = {key: (None if fig.dimensions[key].n[org_unit] >= k else "min_size") for key in DIMENSION_KEYS}
        fav_hidden = {}
        for key in DIMENSION_KEYS:
            ids = [it.id for it in instrument.items_of(key)]
            fav_hidden[key] = score_hidden[key] or ("min_size" if fig.dimensions[key].n_any[org_unit] < k else None) \
                or ("item_hidden" if any(item_hidden[i] for i in ids) else None)
        organisation = _unit(None, fig, org_unit, n, instrument, k, score_hidden, fav_hidden, item_hidden)
    else:
        problems.append(Problem(None, None, "error",
                                f"Zu wenige Antworten: {n} Personen haben geantwortet, für eine Auswertung "
                                f"sind mindestens {k} nötig (Mindestgruppengröße)."))

    groups: dict[str, GroupResult] = {}
    hidden_groups: list[HiddenGroup] = []
    comparison: dict[str, Comparison] = {}
    names: tuple[str, ...] = ()
    if grouped:
        names = tuple(x for x in groupings.names if x != report.group_column)
        if organisation is None:
            hidden_groups = [HiddenGroup(name, "min_size") for name in labels]
        else:
            hidden = _suppress_all(groupings, values, scores, instrument, k)
            counts = np.bincount(codes, minlength=len(labels))
            for c, name in enumerate(labels):
                reason = hidden.groups[gi][c]
                if reason is not None:
                    hidden_groups.append(HiddenGroup(name, reason))
                    continue
                unit = _unit(name, fig, c, int(counts[c]), instrument, k,
                             {key: hidden.score[key][gi][c] for key in DIMENSION_KEYS},
                             {key: hidden.favourable[key][gi][c] for key in DIMENSION_KEYS},
                             {it.id: hidden.items[it.id][gi][c] for it in instrument.items})
                strengths, focus = _strengths(unit, organisation)
                recs = tuple(r.id for r in match(unit.scores()))
                groups[name] = GroupResult(unit.name, unit.n, unit.index, unit.index_dimensions, unit.level,
                                           unit.dimensions, unit.items, strengths, focus, recs)
            comparison = _comparison(scores, codes, groups, labels)
        if hidden_groups:
            problems.append(Problem(None, report.group_column, "info",
                                    f"{len(hidden_groups)} Gruppen ausgeblendet (weniger als {k} Antworten "
                                    "oder zum Schutz kleiner Gruppen): "
                                    + ", ".join(h.name for h in hidden_groups) + "."))

    recs = match(organisation.scores()) if organisation else []
    cells = [c for unit in ([organisation] if organisation else []) + list(groups.values()) for c in _hidden_cells(unit)]
    result = AnalysisResult(
        file=report.file_name, sheet=report.sheet, instrument_name=instrument.name_de,
        instrument_version=instrument.version, instrument_source=instrument.source, min_group_size=k,
        group_column=report.group_column, rows_read=report.rows_read, respondents=n,
        empty_rows_skipped=report.empty_rows_skipped, problems=tuple(problems), organisation=organisation,
        groups=groups, hidden_groups=tuple(hidden_groups), hidden_cells=tuple(cells), comparison=comparison,
        recommendations=tuple(RecommendationRef(r.id, r.dimension, tuple(r.levels), r.title_de) for r in recs),
        groupings=names,
    )
    return Analysis(survey=survey, min_group_size=k, result=result, scores=scores, values=values)


def _comparison(scores: pd.DataFrame, codes: np.ndarray, groups: dict[str, GroupResult],
                labels: tuple[str, ...]) -> dict[str, Comparison]:
    """Kruskal–Wallis per dimension over the groups whose cell is reported."""
    out: dict[str, Comparison] = {}
    position = {name: c for c, name in enumerate(labels)}
    for key in DIMENSION_KEYS:
        shown = [name for name, g in groups.items() if g.dimensions[key].reported]
        if len(shown) < 2:
            continue
        col = scores[key].to_numpy()
        test = kruskal_wallis([col[codes == position[name]] for name in shown])
        if test is not None:
            out[key] = Comparison(key, test["H"], test["p"], test["epsilon2"], test["n"], test["groups"])
    return out


def analyse_upload(
    *,
    name: str,
    data: bytes | None = None,
    frame: pd.DataFrame | None = None,
    instrument=None,
    sheet: str | None = None,
    group_column: str | None = None,
    column_map: dict[str, str] | None = None,
    min_group_size: int = DEFAULT_MIN_GROUP_SIZE,
) -> Analysis:
    """Read a file's bytes (``data``) or a table of raw cells (``frame``, the
    live workshop's answers) and analyse it, as the dashboard does.

    ``group_column`` is a header, None (recognise it) or :data:`NO_GROUPS`
    (analyse without groups).

    Raises
    ------
    ReadError
        when the file cannot be used (one German sentence).
    ValueError
        for an unknown group column or a minimum group size below 3.
    """
    from learn_core.reading import read_survey, survey_from_frame

    column = None if group_column == NO_GROUPS else group_column
    if frame is not None:
        survey = survey_from_frame(frame, instrument, group_column=column, file_name=name, column_map=column_map)
    else:
        survey = read_survey(data, file_name=name, instrument=instrument, sheet=sheet, group_column=column,
                             column_map=column_map)
    if group_column == NO_GROUPS:
        survey.groups = None
        survey.report.group_column = None
    return analyse(survey, min_group_size)
