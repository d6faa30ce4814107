"""The analysis of a survey: organisation, groups, privacy, comparison and
recommendations in one JSON-ready result.

:func:`analyse` is the one call the CLI, the dashboard pages, the reports and
the wave comparison make. Its result never contains a figure of a
suppressed group.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from learn_core.analysis.privacy import DEFAULT_MIN_GROUP_SIZE, check_min_group_size, suppress
from learn_core.analysis.scoring import (
    dimension_scores,
    respondent_mask,
    reversed_answers,
    summarise_group,
)
from learn_core.analysis.statistics import kruskal_wallis
from learn_core.instrument import DIMENSION_KEYS
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

    ``result`` is the JSON-ready dict of the CLI. ``scores`` holds the
    respondents' dimension scores with their group (``group`` column); it
    includes respondents of suppressed groups and is for the wave comparison
    and statistics only, never for display. ``values`` are the reversed
    answers of the respondents, row-aligned with ``scores``.
    """

    survey: Survey
    min_group_size: int
    result: dict
    scores: pd.DataFrame
    values: np.ndarray

    @property
    def organisation(self) -> dict | None:
        return self.result["organisation"]

    @property
    def groups(self) -> dict[str, dict]:
        return self.result["groups"]

    @property
    def suppressed_groups(self) -> list[str]:
        return self.result["suppressed_groups"]

    def reported_mask(self) -> np.ndarray:
        """True for respondents whose group is reported (or all, without groups)."""
        if "group" not in self.scores:
            return np.ones(len(self.scores), dtype=bool)
        return self.scores["group"].isin(list(self.groups)).to_numpy()


def _strengths(group: dict, org: dict | None) -> tuple[list[str], list[str]]:
    strengths: list[str] = []
    focus: list[str] = []
    if org is None:
        return strengths, focus
    for key in DIMENSION_KEYS:
        g = group["dimensions"][key]["score"]
        o = org["dimensions"][key]["score"]
        if g is None or o is None:
            continue
        if g >= o + STRENGTH_MARGIN:
            strengths.append(key)
        elif g <= o - STRENGTH_MARGIN:
            focus.append(key)
    return strengths, focus


def _scores_of(summary: dict) -> dict[str, float | None]:
    return {k: d["score"] for k, d in summary["dimensions"].items()}


def analyse(survey: Survey, min_group_size: int = DEFAULT_MIN_GROUP_SIZE) -> Analysis:
    """Score a survey for the organisation and every group, with privacy.

    Returns
    -------
    Analysis
        whose ``result`` has the keys ``rows_read``, ``respondents``,
        ``problems``, ``organisation`` (or None below the minimum size),
        ``groups``, ``suppressed_groups``, ``comparison``, ``recommendations``
        and ``min_group_size``, ``group_column``.

    Raises
    ------
    ValueError
        when ``min_group_size`` is not an integer ≥ 3.
    """
    k = check_min_group_size(min_group_size)
    instrument = survey.instrument
    values_all = reversed_answers(survey.answers, instrument)
    is_resp = respondent_mask(values_all)
    values = values_all[is_resp]
    scores = dimension_scores(values, instrument)
    if survey.groups is not None:
        scores["group"] = survey.groups.to_numpy()[is_resp]
    report = survey.report
    problems: list[Problem] = report.problems()

    n = int(values.shape[0])
    organisation = summarise_group(values, scores, instrument) if n >= k else None
    if organisation is None:
        problems.append(
            Problem(
                None,
                None,
                "error",
                f"Zu wenige Antworten: {n} Personen haben geantwortet, für eine Auswertung "
                f"sind mindestens {k} nötig (Mindestgruppengröße).",
            )
        )

    groups: dict[str, dict] = {}
    hidden: list[str] = []
    comparison: dict[str, dict] = {}
    if survey.groups is not None and n:
        labels = scores["group"]
        counts = labels.value_counts().to_dict()
        reported, hidden = suppress({str(g): int(c) for g, c in counts.items()}, k)
        if organisation is None:
            reported, hidden = [], sorted(counts)
        codes, names = pd.factorize(labels)  # one pass; a mask per group is then an integer compare
        position = {str(n): i for i, n in enumerate(names)}
        masks = {name: codes == position[name] for name in reported}
        for name in reported:
            mask = masks[name]
            summary = summarise_group(values[mask], scores.loc[mask], instrument)
            strengths, focus = _strengths(summary, organisation)
            summary["strengths"] = strengths
            summary["focus_areas"] = focus
            summary["recommendations"] = [r.id for r in match(_scores_of(summary))]
            groups[name] = summary
        if len(reported) >= 2:
            for key in DIMENSION_KEYS:
                col = scores[key].to_numpy()
                samples = [col[masks[name]] for name in reported]
                test = kruskal_wallis(samples)
                if test is not None:
                    comparison[key] = {"H": test["H"], "p": test["p"], "epsilon2": test["epsilon2"]}
        if hidden:
            problems.append(
                Problem(
                    None,
                    report.group_column,
                    "info",
                    f"{len(hidden)} Gruppen ausgeblendet (weniger als {k} Antworten "
                    "oder zum Schutz kleiner Gruppen): " + ", ".join(hidden) + ".",
                )
            )

    recs = match(_scores_of(organisation)) if organisation else []
    result = {
        "file": report.file_name,
        "sheet": report.sheet,
        "instrument": {"name": instrument.name_de, "version": instrument.version, "source": instrument.source},
        "min_group_size": k,
        "group_column": report.group_column,
        "rows_read": report.rows_read,
        "respondents": n,
        "empty_rows_skipped": report.empty_rows_skipped,
        "problems": [p.to_dict() for p in problems],
        "organisation": organisation,
        "groups": groups,
        "suppressed_groups": hidden,
        "comparison": comparison,
        "recommendations": [r.to_dict() for r in recs],
    }
    return Analysis(survey=survey, min_group_size=k, result=result, scores=scores, values=values)


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
