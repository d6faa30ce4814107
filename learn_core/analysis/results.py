"""The typed result of an analysis: organisation, groups, dimension and item
cells, what was hidden and why, the comparison and the recommendations.

Every layer (pages, reports, command line, workshop) reads these attributes;
:meth:`AnalysisResult.to_json` gives the command line's JSON (the contract
in the README). A figure that privacy hides is ``None`` here, with the
reason beside it: no hidden number is ever stored in a result.

Reasons a cell or group is hidden (:data:`HIDDEN_REASONS`):

* ``min_size`` – fewer than k respondents answered it;
* ``complementary`` – hidden so that another hidden cell cannot be worked
  out from the total and the reported cells;
* ``overlap`` – hidden because another grouping of the same data would
  otherwise give a set of fewer than k people (or a hidden cell) by
  subtraction;
* ``item_hidden`` – a dimension's favourable share, hidden because one of its
  statements is hidden in this group (the share would give it away).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from learn_core.reading.validation import Problem

if TYPE_CHECKING:  # these modules build on this one: imported for the types only
    from learn_core.analysis.benchmark import Benchmark
    from learn_core.analysis.comments import Comments
    from learn_core.analysis.drivers import Drivers
    from learn_core.analysis.gaps import LeaderGap
    from learn_core.analysis.participation import Participation
    from learn_core.analysis.priorities import ItemPriority

__all__ = [
    "HIDDEN_REASONS",
    "AnalysisResult",
    "Comparison",
    "DimensionResult",
    "GroupResult",
    "HiddenCell",
    "HiddenGroup",
    "ItemResult",
    "Subset",
    "PairDifference",
    "RecommendationRef",
    "VsRest",
]

HIDDEN_REASONS = ("min_size", "complementary", "overlap", "item_hidden")


@dataclass(frozen=True)
class VsRest:
    """A group's dimension against the rest of the organisation (everyone
    else): the difference of the means, its 95 % Welch interval, the p-value
    and the Holm-corrected p over all departments × dimensions, and the
    verdict ("strength", "focus" or None: not both meaningful and significant)."""

    diff: float
    ci95: tuple[float, float]
    p: float
    #: None for a cell too small to be judged (``small_n``): not in the family
    p_holm: float | None
    verdict: str | None
    small_n: bool

    def to_json(self) -> dict:
        return {"diff": self.diff, "ci95": list(self.ci95), "p": self.p, "p_holm": self.p_holm,
                "verdict": self.verdict, "small_n": self.small_n}


@dataclass(frozen=True)
class DimensionResult:
    """One dimension of one group (or the organisation).

    ``n`` respondents with a score; ``score`` their mean on 0–100; ``ci95``
    the t-interval of that mean; ``favourable`` the percentage of all valid
    answers to the dimension's items that are 4 or 5 (after reversal);
    ``alpha`` Cronbach's alpha over the ``alpha_n`` respondents who answered
    every item. ``hidden`` is the reason the whole cell is hidden (then every
    figure is None); ``favourable_hidden`` and ``alpha_hidden`` the reasons
    for those figures alone.
    """

    key: str
    n: int | None
    score: float | None
    ci95: tuple[float, float] | None
    level: int | None
    favourable: float | None
    alpha: float | None
    alpha_n: int | None
    hidden: str | None = None
    favourable_hidden: str | None = None
    alpha_hidden: str | None = None
    #: the levels the interval spans: (3, 3) certain, (3, 4) between two
    level_range: tuple[int, int] | None = None
    #: Feldt's 95 % interval of alpha
    alpha_ci95: tuple[float, float] | None = None
    #: against the rest of the organisation (groups only)
    vs_rest: VsRest | None = None

    @property
    def reported(self) -> bool:
        return self.hidden is None

    def to_json(self) -> dict:
        return {
            "n": self.n,
            "score": self.score,
            "ci95": list(self.ci95) if self.ci95 else None,
            "level": self.level,
            "favourable": self.favourable,
            "alpha": self.alpha,
            "alpha_n": self.alpha_n,
            "hidden": self.hidden,
            "favourable_hidden": self.favourable_hidden,
            "alpha_hidden": self.alpha_hidden,
            "level_range": list(self.level_range) if self.level_range else None,
            "alpha_ci95": list(self.alpha_ci95) if self.alpha_ci95 else None,
            "vs_rest": self.vs_rest.to_json() if self.vs_rest else None,
        }


@dataclass(frozen=True)
class ItemResult:
    """One statement of one group: ``n`` who answered it, ``shares`` the
    percentage of each answer 1–5 as worded (before reversal), and
    ``favourable`` the percentage of 4–5 after reversal. All None when
    ``hidden``."""

    id: str
    dimension: str
    reverse: bool
    n: int | None
    shares: tuple[float, float, float, float, float] | None
    favourable: float | None
    hidden: str | None = None

    @property
    def reported(self) -> bool:
        return self.hidden is None

    def to_json(self) -> dict:
        return {"n": self.n, "shares": list(self.shares) if self.shares else None,
                "favourable": self.favourable, "hidden": self.hidden}


@dataclass(frozen=True)
class GroupResult:
    """The figures of one reported group, or of the organisation (``name`` None).

    ``index`` is the mean of the reported dimension scores; ``index_dimensions``
    how many it rests on (fewer than four when a dimension cannot be scored or
    is hidden).
    """

    name: str | None
    n: int
    index: float | None
    index_dimensions: int
    level: int | None
    dimensions: Mapping[str, DimensionResult]
    items: Mapping[str, ItemResult]
    strengths: tuple[str, ...] = ()
    focus_areas: tuple[str, ...] = ()
    recommendations: tuple[str, ...] = ()
    #: the levels the index may lie in (from the dimensions' intervals)
    index_level_range: tuple[int, int] | None = None

    def dimension(self, key: str) -> DimensionResult:
        return self.dimensions[key]

    def scores(self) -> dict[str, float | None]:
        """Dimension key → reported score (None where hidden or not scorable)."""
        return {k: d.score for k, d in self.dimensions.items()}

    def to_json(self, *, group: bool) -> dict:
        out: dict[str, object] = {
            "n": self.n,
            "index": self.index,
            "index_dimensions": self.index_dimensions,
            "level": self.level,
            "level_range": list(self.index_level_range) if self.index_level_range else None,
            "dimensions": {k: d.to_json() for k, d in self.dimensions.items()},
            "items": {i: it.to_json() for i, it in self.items.items()},
        }
        if group:
            out["strengths"] = list(self.strengths)
            out["focus_areas"] = list(self.focus_areas)
            out["recommendations"] = list(self.recommendations)
        return out


@dataclass(frozen=True)
class HiddenGroup:
    """A group shown by name only, with the reason."""

    name: str
    reason: str


@dataclass(frozen=True)
class HiddenCell:
    """A hidden figure of a reported group (``group`` None: the organisation):
    ``figure`` is "score" (the whole dimension cell), "favourable", "alpha"
    or "item" (then ``item`` names the statement)."""

    group: str | None
    dimension: str
    figure: str
    reason: str
    item: str | None = None

    def to_json(self) -> dict:
        return {"group": self.group, "dimension": self.dimension, "item": self.item,
                "figure": self.figure, "reason": self.reason}


@dataclass(frozen=True)
class PairDifference:
    """Dunn's test of two departments (after a significant Kruskal–Wallis test)."""

    a: str
    b: str
    z: float
    p: float
    p_holm: float

    def to_json(self) -> dict:
        return {"a": self.a, "b": self.b, "z": self.z, "p": self.p, "p_holm": self.p_holm}


@dataclass(frozen=True)
class Comparison:
    """Kruskal–Wallis over the reported cells of one dimension; ``p_holm``
    corrected over the four dimensions; ``pairs`` Dunn's tests (Holm within
    the dimension) when ``p_holm`` < 0.05."""

    key: str
    H: float
    p: float
    epsilon2: float
    n: int
    groups: int
    p_holm: float = 1.0
    pairs: tuple[PairDifference, ...] = ()

    def to_json(self) -> dict:
        return {"H": self.H, "p": self.p, "epsilon2": self.epsilon2, "n": self.n, "groups": self.groups,
                "p_holm": self.p_holm, "pairs": [pair.to_json() for pair in self.pairs]}


@dataclass(frozen=True)
class RecommendationRef:
    """A matched measure as the JSON names it."""

    id: str
    dimension: str
    levels: tuple[int, int]
    title: str

    def to_json(self) -> dict:
        return {"id": self.id, "dimension": self.dimension, "levels": list(self.levels), "title": self.title}


@dataclass(frozen=True)
class Subset:
    """What a filtered analysis covers: the respondents with ``value`` in the
    attribute column ``column`` (:func:`learn_core.analysis.analyse`'s ``within``)."""

    column: str
    value: str

    def to_json(self) -> dict:
        return {"column": self.column, "value": self.value}


@dataclass(frozen=True)
class AnalysisResult:
    """The whole result of :func:`learn_core.analysis.analyse`."""

    file: str
    sheet: str | None
    instrument_name: str
    instrument_version: str
    instrument_source: str
    min_group_size: int
    group_column: str | None
    rows_read: int
    respondents: int
    empty_rows_skipped: int
    problems: tuple[Problem, ...]
    organisation: GroupResult | None
    groups: Mapping[str, GroupResult]
    hidden_groups: tuple[HiddenGroup, ...]
    hidden_cells: tuple[HiddenCell, ...]
    comparison: Mapping[str, Comparison]
    recommendations: tuple[RecommendationRef, ...]
    #: the other columns of the same data that could group it, whose
    #: groupings the privacy rules took into account
    groupings: tuple[str, ...] = field(default=())
    #: the dimensions the organisation's measures aim at (the weakest enablers)
    targets: tuple[str, ...] = ()
    #: False when the next enabler cannot be told apart from the chosen ones
    targets_certain: bool = True
    #: rows with content that were not scored: ``{row, reason, text}`` (summary, note, no_answer)
    left_out_rows: tuple[dict, ...] = ()
    #: the workbook's sheets that were not read
    other_sheets: tuple[str, ...] = ()
    #: participation per department when headcounts were given
    #: (:class:`learn_core.analysis.participation.Participation`), else None
    participation: Participation | None = None
    #: the organisation's key drivers (:class:`learn_core.analysis.drivers.Drivers`)
    drivers: Drivers | None = None
    #: the weakest statements per enabler (:class:`learn_core.analysis.priorities.ItemPriority`)
    item_priorities: tuple[ItemPriority, ...] = ()
    #: the open comments that may be shown (:class:`learn_core.analysis.comments.Comments`)
    comments: Comments | None = None
    #: the leader-vs-staff gap per dimension when a role column exists
    #: (:class:`learn_core.analysis.gaps.LeaderGap`), else None
    leader_gap: LeaderGap | None = None
    #: the reported groups' rank bands (:class:`learn_core.analysis.benchmark.Benchmark`), else None
    benchmark: Benchmark | None = None
    #: the filter of a filtered analysis (organisation = the respondents it
    #: covers, groups = their part of each group), else None
    subset: Subset | None = None

    @property
    def suppressed_groups(self) -> list[str]:
        """Names of the hidden groups, sorted (the JSON's ``suppressed_groups``)."""
        return [h.name for h in self.hidden_groups]

    def to_json(self, *, comment_texts: bool = False) -> dict:
        """The JSON of ``python -m learn_core score`` (see the README): the
        comments' counts always, their texts only with ``comment_texts``."""
        return {
            "file": self.file,
            "sheet": self.sheet,
            "instrument": {"name": self.instrument_name, "version": self.instrument_version,
                           "source": self.instrument_source},
            "min_group_size": self.min_group_size,
            "group_column": self.group_column,
            "rows_read": self.rows_read,
            "respondents": self.respondents,
            "empty_rows_skipped": self.empty_rows_skipped,
            "problems": [p.to_dict() for p in self.problems],
            "organisation": self.organisation.to_json(group=False) if self.organisation else None,
            "groups": {name: g.to_json(group=True) for name, g in self.groups.items()},
            "suppressed_groups": self.suppressed_groups,
            "hidden_groups": [{"name": h.name, "reason": h.reason} for h in self.hidden_groups],
            "hidden_cells": [c.to_json() for c in self.hidden_cells],
            "privacy": {"min_group_size": self.min_group_size, "groupings": list(self.groupings)},
            "comparison": {k: c.to_json() for k, c in self.comparison.items()},
            "recommendations": [r.to_json() for r in self.recommendations],
            "targets": {"dimensions": list(self.targets), "certain": self.targets_certain},
            "left_out_rows": [dict(r) for r in self.left_out_rows],
            "other_sheets": list(self.other_sheets),
            "participation": self.participation.to_json() if self.participation is not None else None,
            "drivers": self.drivers.to_json() if self.drivers is not None else None,
            "item_priorities": [p.to_json() for p in self.item_priorities],
            "comments": self.comments.to_json(texts=comment_texts) if self.comments is not None else None,
            "leader_gap": self.leader_gap.to_json() if self.leader_gap is not None else None,
            "benchmark": self.benchmark.to_json() if self.benchmark is not None else None,
            "filter": self.subset.to_json() if self.subset is not None else None,
        }
