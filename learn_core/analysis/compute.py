"""The analysis of a survey: organisation, groups, privacy, comparison and
recommendations in one typed result (:mod:`learn_core.analysis.results`).

:func:`analyse` is the one call the CLI, the dashboard pages, the reports and
the wave comparison make. Its result never contains a figure that privacy
hides (:mod:`learn_core.analysis.privacy`).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from learn_core.analysis.benchmark import INDEX, rank_bands
from learn_core.analysis.comments import (
    DEFAULT_COMMENT_MIN_GROUP,
    Comments,
    comment_threshold,
    open_comments,
)
from learn_core.analysis.distributions import t_quantile
from learn_core.analysis.drivers import key_drivers
from learn_core.analysis.gaps import LeaderGap, leader_gap, role_column
from learn_core.analysis.inference import (
    MEANINGFUL_DIFFERENCE,
    MIN_JUDGED,
    SIGNIFICANCE,
    dunn,
    feldt_interval,
    flag_differences,
    holm,
    level_range,
)
from learn_core.analysis.priorities import item_priorities
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
    PairDifference,
    RecommendationRef,
    Subset,
    VsRest,
)
from learn_core.analysis.scoring import (
    UnitFigures,
    dimension_scores,
    respondent_mask,
    reversed_answers,
    unit_figures,
)
from learn_core.analysis.statistics import kruskal_wallis
from learn_core.errors import PrivacyError, ReadError, shown
from learn_core.instrument import DIMENSION_KEYS, Instrument, level_for
from learn_core.reading.attributes import MAX_GROUPS
from learn_core.reading.survey import Survey
from learn_core.reading.validation import Problem
from learn_core.recommendations import match, weakest_enablers

__all__ = ["NO_GROUPS", "STRENGTH_MARGIN", "Analysis", "analyse", "analyse_upload"]

#: Points above (below) the rest of the organisation that a strength (focus area)
#: needs at least, besides significance (:mod:`learn_core.analysis.inference`).
STRENGTH_MARGIN = MEANINGFUL_DIFFERENCE

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
        raise ReadError(code="errors.analysis.too_many_groups",
                        params={"column": shown(chosen, 40), "count": len(groupings.labels[position]),
                                "most": MAX_GROUPS})
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


#: Separates the two labels of a cross grouping's cell (a group label never holds it: whitespace is collapsed).
_CROSS = "\x1f"


@dataclass(frozen=True)
class _View:
    """A filtered analysis: the rows of one value of an attribute column.

    ``column``/``value`` the filter; ``fg``/``fv`` the filter's grouping and
    cell; ``xg`` the cross grouping (group column × filter column);
    ``cells[c]`` the cross cell of group c within the filter (−1: none of the
    filter's rows is in group c); ``rows`` the respondents it covers."""

    column: str
    value: str
    fg: int
    fv: int
    xg: int
    cells: np.ndarray
    rows: np.ndarray


def _with_view(groupings: Groupings, gi: int, within: tuple[str, str]) -> tuple[Groupings, _View]:
    """The groupings with the cross grouping of the group column and the
    filter column last (the privacy rules then cover every cell of both and
    of their crossing), and the view."""
    column, value = within
    if column not in groupings.names or column == groupings.names[gi]:
        raise PrivacyError(code="errors.analysis.filter_column", params={"column": shown(column, 40)})
    fg = groupings.names.index(column)
    if value not in groupings.labels[fg]:
        raise PrivacyError(code="errors.analysis.filter_value",
                           params={"value": shown(value, 40), "column": shown(column, 40)})
    fv = groupings.labels[fg].index(value)
    g_labels, f_labels = groupings.labels[gi], groupings.labels[fg]
    pair = groupings.codes[:, gi] * len(f_labels) + groupings.codes[:, fg]
    codes, uniques = pd.factorize(pair, sort=True)  # sorted: by group, then by the filter's value
    cross = tuple(f"{g_labels[int(u) // len(f_labels)]}{_CROSS}{f_labels[int(u) % len(f_labels)]}" for u in uniques)
    position = {label: i for i, label in enumerate(cross)}
    cells = np.asarray([position.get(f"{name}{_CROSS}{value}", -1) for name in g_labels], dtype=np.int64)
    wider = Groupings((*groupings.names, f"{groupings.names[gi]} × {column}"), (*groupings.labels, cross),
                      np.column_stack([groupings.codes, codes.astype(np.int64)]))
    return wider, _View(column, value, fg, fv, len(groupings.names), cells, groupings.codes[:, fg] == fv)


def _families(hidden: _Hidden):
    yield hidden.groups
    yield from hidden.score.values()
    yield from hidden.favourable.values()
    yield from hidden.items.values()


def _covers(narrow: _Hidden, wide: _Hidden) -> bool:
    """Whether every cell the single groupings' run reports is reported by
    the run with the cross grouping too (then that run's rules cover the
    unfiltered and the filtered figures together)."""
    for a, b in zip(_families(narrow), _families(wide), strict=True):
        for ra, rb in zip(a, b, strict=False):  # the wide run has one grouping more, at the end
            if any(x is None and y is not None for x, y in zip(ra, rb, strict=True)):
                return False
    return True


# --------------------------------------------------------------------------- results of one unit


@lru_cache(maxsize=4096)
def _t975(df: int) -> float:
    return t_quantile(0.975, df)


def _num(x: float) -> float | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)


def _dimension(key: str, fig, u: int, hidden: str | None, fav_hidden: str | None, k: int,
               items: int) -> DimensionResult:
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
    alpha_ci = feldt_interval(alpha, alpha_n, items) if alpha is not None and alpha_n is not None else None
    levels = level_range(*ci) if ci else (level_for(score),) * 2 if score is not None else None
    return DimensionResult(key, n, score, ci, level_for(score), favourable, alpha, alpha_n, None, fav_hidden,
                           alpha_hidden, levels, alpha_ci)


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
    dims = {key: _dimension(key, fig, u, score_hidden[key], fav_hidden[key], k, len(instrument.items_of(key)))
            for key in DIMENSION_KEYS}
    shown = [d for d in dims.values() if d.score is not None]
    index = float(np.mean([d.score for d in shown])) if shown else None
    # the index's interval: the mean of the dimensions' bounds (as if they moved together: on the safe side)
    bounds = [d.ci95 for d in shown if d.ci95]
    index_levels = level_range(float(np.mean([b[0] for b in bounds])), float(np.mean([b[1] for b in bounds]))) \
        if bounds and len(bounds) == len(shown) else None
    return GroupResult(name, n, index, len(shown), level_for(index), dims, _items(fig, u, instrument, item_hidden),
                       index_level_range=index_levels)


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


def _versus_rest(groups: dict[str, GroupResult], fig: UnitFigures, org_unit: int,
                 position: dict[str, int]) -> dict[str, GroupResult]:
    """Each reported cell against the rest of the organisation, Holm over all
    of them (:func:`~learn_core.analysis.inference.flag_differences`); the
    verdicts are the strengths and focus areas."""
    family = [(name, key) for name, g in groups.items() for key, d in g.dimensions.items() if d.reported]

    def stats(key: str, u: int) -> tuple[int, float, float]:
        f = fig.dimensions[key]
        return int(f.n[u]), float(f.score[u]), float(f.sd[u])

    flags = flag_differences([stats(key, position[name]) for name, key in family],
                             [stats(key, org_unit) for _, key in family])
    changes: dict[str, dict[str, DimensionResult]] = {}
    for (name, key), (r, p_holm, verdict) in zip(family, flags, strict=True):
        if r is None:
            continue
        d = groups[name].dimensions[key]
        vs = VsRest(r.diff, (r.low, r.high), r.p, None if p_holm is None else float(p_holm), verdict,
                    (d.n or 0) < MIN_JUDGED)
        changes.setdefault(name, {})[key] = dataclasses.replace(d, vs_rest=vs)
    out = dict(groups)
    for name, dims in changes.items():
        g = groups[name]
        merged = {**g.dimensions, **dims}
        verdicts = {k: merged[k].vs_rest.verdict if merged[k].vs_rest else None for k in DIMENSION_KEYS}
        out[name] = dataclasses.replace(g, dimensions=merged,
                                        strengths=tuple(k for k, v in verdicts.items() if v == "strength"),
                                        focus_areas=tuple(k for k, v in verdicts.items() if v == "focus"))
    return out


# --------------------------------------------------------------------------- the analysis


def analyse(survey: Survey, min_group_size: int = DEFAULT_MIN_GROUP_SIZE, *,
            comment_min_group: int = DEFAULT_COMMENT_MIN_GROUP, seed: int | None = None,
            within: tuple[str, str] | None = None) -> Analysis:
    """Score a survey for the organisation and every group, with privacy.

    ``comment_min_group`` is the comment threshold's setting (used as
    max(it, k)) and ``seed`` fixes the comments' random order
    (:func:`learn_core.analysis.comments.open_comments`).

    ``within`` = (attribute column, value) filters the analysis: the
    organisation is then the respondents with that value and each group
    their part of it (its cells: the crossing of the group column with the
    filter column). The privacy rules run over every grouping plus that
    crossing, and a filter whose figures could give away a small group
    together with the unfiltered ones is refused (PrivacyError). A filtered
    analysis has no comments (reason ``filtered``) and no leader gap; its
    key drivers are those of the respondents it covers.

    Returns
    -------
    Analysis
        whose ``result`` holds the organisation (None below the minimum
        size), the reported groups, the hidden groups and cells with their
        reasons, the Kruskal–Wallis comparison over the reported cells, the
        recommendations and the comments that may be shown.

    Raises
    ------
    ValueError
        when ``min_group_size`` is not an integer ≥ 3 or ``comment_min_group`` below 1.
    ReadError
        when the group column has more than the allowed number of groups.
    PrivacyError
        for a filter (``within``) that is unknown or may not be shown.
    """
    k = check_min_group_size(min_group_size)
    instrument = survey.instrument
    values_all = reversed_answers(survey.answers, instrument)
    is_resp = respondent_mask(values_all)
    values = values_all[is_resp]
    scores = dimension_scores(values, instrument)
    report = survey.report
    problems: list[Problem] = report.problems()

    if survey.codes is not None:  # for pairing survey waves only, never shown
        scores["code"] = survey.codes[1].to_numpy()[is_resp]
    grouped = survey.groups is not None and values.shape[0] > 0
    if within is not None and survey.groups is None:
        raise PrivacyError(code="errors.analysis.filter_needs_groups")
    view: _View | None = None
    hidden: _Hidden | None = None
    if grouped:
        groupings, gi = _groupings(survey, is_resp)
        if within is not None:
            single = groupings
            groupings, view = _with_view(groupings, gi, within)
        labels, codes = groupings.labels[gi], groupings.codes[:, gi]
        scores["group"] = np.asarray(labels, dtype=object)[codes]
        if values.shape[0] >= k:
            hidden = _suppress_all(groupings, values, scores, instrument, k)
        if view is not None:
            if hidden is None or hidden.groups[view.fg][view.fv] is not None:
                raise PrivacyError(code="errors.analysis.view_small",
                                   params={"column": shown(view.column, 40), "value": shown(view.value, 40), "k": k})
            if not _covers(_suppress_all(single, values, scores, instrument, k), hidden):
                raise PrivacyError(code="errors.analysis.view_reveals",
                                   params={"column": shown(view.column, 40), "value": shown(view.value, 40)})
            values, scores, codes = values[view.rows], scores[view.rows].reset_index(drop=True), codes[view.rows]
        fig = unit_figures(values, scores, codes, len(labels), instrument, total=True)
        org_unit = len(labels)
    else:
        fig = unit_figures(values, scores, np.zeros(values.shape[0], dtype=np.int64), 1, instrument)
        org_unit = 0
    n = int(values.shape[0])
    organisation = None
    if view is not None and hidden is not None:  # the filter's cell, as the privacy rules left it
        at = (view.fg, view.fv)
        organisation = _unit(None, fig, org_unit, n, instrument, k,
                             {key: hidden.score[key][at[0]][at[1]] for key in DIMENSION_KEYS},
                             {key: hidden.favourable[key][at[0]][at[1]] for key in DIMENSION_KEYS},
                             {it.id: hidden.items[it.id][at[0]][at[1]] for it in instrument.items})
    elif n >= k:
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
        problems.append(Problem.of(None, None, "error", "too_few", n=n, k=k))

    groups: dict[str, GroupResult] = {}
    hidden_groups: list[HiddenGroup] = []
    comparison: dict[str, Comparison] = {}
    names: tuple[str, ...] = ()
    if grouped:
        names = tuple(x for x in groupings.names if x != report.group_column)
        if organisation is None or hidden is None:
            hidden_groups = [HiddenGroup(name, "min_size") for name in labels]
        else:
            # the cells the groups are: the group column's, or (filtered) their crossing with the filter
            g_at, cell_of = (view.xg, view.cells) if view is not None else (gi, np.arange(len(labels)))
            counts = np.bincount(codes, minlength=len(labels))
            for c, name in enumerate(labels):
                x = int(cell_of[c])
                if x < 0:  # none of the filter's respondents is in this group
                    continue
                reason = hidden.groups[g_at][x]
                if reason is not None:
                    hidden_groups.append(HiddenGroup(name, reason))
                    continue
                unit = _unit(name, fig, c, int(counts[c]), instrument, k,
                             {key: hidden.score[key][g_at][x] for key in DIMENSION_KEYS},
                             {key: hidden.favourable[key][g_at][x] for key in DIMENSION_KEYS},
                             {it.id: hidden.items[it.id][g_at][x] for it in instrument.items})
                recs = tuple(r.id for r in match(unit.scores(), targets=targets_of(unit)[0]))
                groups[name] = dataclasses.replace(unit, recommendations=recs)
            groups = _versus_rest(groups, fig, org_unit, {name: c for c, name in enumerate(labels)})
            comparison = _comparison(scores, codes, groups, labels)
        if hidden_groups:
            problems.append(Problem.of(None, report.group_column, "info",
                                       "hidden_groups" if len(hidden_groups) != 1 else "hidden_group",
                                       count=len(hidden_groups),
                                       k=k, names=", ".join(h.name for h in hidden_groups)))

    targets, certain = targets_of(organisation) if organisation else ([], True)
    recs = match(organisation.scores(), targets=targets) if organisation else []
    cells = [c for unit in ([organisation] if organisation else []) + list(groups.values()) for c in _hidden_cells(unit)]
    drivers = key_drivers(values, scores, instrument, organisation) if organisation else None
    result = AnalysisResult(
        file=report.file_name, sheet=report.sheet, instrument_name=instrument.name_de,
        instrument_version=instrument.version, instrument_source=instrument.source, min_group_size=k,
        group_column=report.group_column, rows_read=report.rows_read, respondents=n,
        empty_rows_skipped=report.empty_rows_skipped, problems=tuple(problems), organisation=organisation,
        groups=groups, hidden_groups=tuple(hidden_groups), hidden_cells=tuple(cells), comparison=comparison,
        recommendations=tuple(RecommendationRef(r.id, r.dimension, tuple(r.levels), r.title_de) for r in recs),
        groupings=names, targets=tuple(targets), targets_certain=certain,
        left_out_rows=tuple(r.to_dict() for r in report.left_out_rows), other_sheets=tuple(report.other_sheets),
        drivers=drivers, item_priorities=item_priorities(organisation, instrument, drivers),
        leader_gap=_leader_gap(survey, is_resp, values, scores, k, (groupings, hidden) if hidden else None)
        if organisation and view is None else None,
        benchmark=_benchmark(groups, organisation) if groups and organisation else None,
        subset=Subset(view.column, view.value) if view is not None else None,
    )
    if view is None:
        comments = open_comments(survey, result, comment_min_group, seed=seed)
    else:  # comments are shown for all respondents and the first attribute's groups only
        comments = Comments(comment_threshold(comment_min_group, k), (), (), "filtered")
    result = dataclasses.replace(result, comments=comments)
    return Analysis(survey=survey, min_group_size=k, result=result, scores=scores, values=values)


def _leader_gap(survey: Survey, is_resp: np.ndarray, values: np.ndarray, scores: pd.DataFrame, k: int,
                suppressed: tuple[Groupings, _Hidden] | None) -> LeaderGap | None:
    """The organisation's leader-vs-staff gap (:mod:`learn_core.analysis.gaps`)
    when a role column exists, with the privacy engine's verdict on both role
    cells: that of the whole analysis, or (without a group column) one over
    the attribute columns alone."""
    role = role_column(survey.attributes)
    if role is None:
        return None
    if suppressed is None or role.header not in suppressed[0].names:
        groupings = Groupings.from_columns({h: s.to_numpy()[is_resp] for h, s in survey.attributes.items()})
        suppressed = groupings, _suppress_all(groupings, values, scores, survey.instrument, k)
    groupings, hidden = suppressed
    g = groupings.names.index(role.header)
    labels = groupings.labels[g]
    cells = [labels.index(v) if v in labels else None for v in (role.leader, role.staff)]  # None: no respondent
    reasons = {key: tuple("min_size" if c is None else hidden.score[key][g][c] for c in cells)
               for key in DIMENSION_KEYS}
    return leader_gap(scores, np.asarray(labels, dtype=object)[groupings.codes[:, g]], role, DIMENSION_KEYS,
                      reasons, k)


def _benchmark(groups: dict[str, GroupResult], organisation: GroupResult):
    """Rank bands of the reported groups (:mod:`learn_core.analysis.benchmark`):
    their reported scores, and the index where it rests on as many dimensions
    as the organisation's."""
    return rank_bands({name: {**g.scores(), INDEX: g.index if g.index_dimensions == organisation.index_dimensions
                              else None} for name, g in groups.items()})


def _comparison(scores: pd.DataFrame, codes: np.ndarray, groups: dict[str, GroupResult],
                labels: tuple[str, ...]) -> dict[str, Comparison]:
    """Kruskal–Wallis per dimension over the groups whose cell is reported,
    Holm over the dimensions; after a significant one, Dunn's tests of every
    pair (Holm within the dimension)."""
    position = {name: c for c, name in enumerate(labels)}
    # the respondents sorted by group once (stable: each group's in file order), a group a slice
    order = np.argsort(codes, kind="stable")
    starts = np.concatenate([[0], np.cumsum(np.bincount(codes, minlength=len(labels)))])
    found = []
    for key in DIMENSION_KEYS:
        shown = [name for name, g in groups.items() if g.dimensions[key].reported]
        if len(shown) < 2:
            continue
        col = scores[key].to_numpy()[order]
        samples = [col[starts[position[name]]:starts[position[name] + 1]] for name in shown]
        samples = [s[~np.isnan(s)] for s in samples]
        test = kruskal_wallis(samples)
        if test is not None:
            found.append((key, shown, samples, test))
    out: dict[str, Comparison] = {}
    for (key, shown, samples, test), p_holm in zip(found, holm([f[3]["p"] for f in found]), strict=True):
        pairs: tuple[PairDifference, ...] = ()
        if p_holm < SIGNIFICANCE:
            raw = dunn(samples)
            pairs = tuple(PairDifference(shown[i], shown[j], z, p, float(q))
                          for (i, j, z, p), q in zip(raw, holm([r[3] for r in raw]), strict=True))
        out[key] = Comparison(key, test["H"], test["p"], test["epsilon2"], test["n"], test["groups"], float(p_holm),
                              pairs)
    return out


def targets_of(unit: GroupResult) -> tuple[list[str], bool]:
    """The dimensions the measures aim at: the two weakest enablers
    (Motivation, Führung, Kompetenz; Lernerfolg is the outcome), and whether
    that choice is clear – False when the interval of the next enabler
    overlaps the chosen one's (the order could be otherwise)."""
    scores = unit.scores()
    targets = weakest_enablers(scores)
    rest = [k for k in weakest_enablers(scores, 3) if k not in targets]
    certain = True
    if targets and rest:
        last, nxt = unit.dimensions[targets[-1]].ci95, unit.dimensions[rest[0]].ci95
        certain = not (last and nxt and nxt[0] <= last[1])
    return targets, certain


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
    answer_map: dict[str, int] | None = None,
    comment_min_group: int = DEFAULT_COMMENT_MIN_GROUP,
) -> Analysis:
    """Read a file's bytes (``data``) or a table of raw cells (``frame``, the
    live workshop's answers) and analyse it, as the dashboard does.

    ``group_column`` is a header, None (recognise it) or :data:`NO_GROUPS`
    (analyse without groups); ``comment_min_group`` as for :func:`analyse`.

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
        survey = survey_from_frame(frame, instrument, group_column=column, file_name=name, column_map=column_map,
                                   answer_map=answer_map)
    else:
        survey = read_survey(data, file_name=name, instrument=instrument, sheet=sheet, group_column=column,
                             column_map=column_map, answer_map=answer_map)
    if group_column == NO_GROUPS:
        survey.groups = None
        survey.report.group_column = None
    return analyse(survey, min_group_size, comment_min_group=comment_min_group)
